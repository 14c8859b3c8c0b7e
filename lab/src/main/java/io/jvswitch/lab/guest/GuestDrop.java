package io.jvswitch.lab.guest;

import io.jvswitch.wire.DropReason;

/** Why a guest did not send or did not take a frame; each has a counter ({@link Guest#drops}). */
public enum GuestDrop implements DropReason {
    TX_TOO_BIG("frame to send is larger than the guest's MTU allows (the stack refuses it: message too long)"),
    TX_NO_LINK("the guest's network card is not connected to anything"),
    TX_UNREACHABLE("destination is off-link and the guest has no gateway for it"),
    NEIGHBOR_FAILED("no ARP reply (or neighbor advertisement) after every attempt: packets queued for it dropped"),
    NEIGHBOR_QUEUE_FULL("too many packets queued for one unresolved address: the oldest dropped"),
    RX_TOO_BIG("received frame is larger than the guest's MTU plus the Ethernet header (14, or 18 when tagged)"),
    RX_MALFORMED("received frame is malformed"),
    RX_BAD_CHECKSUM("received ICMP, ICMPv6 or UDP checksum is wrong"),
    RX_WRONG_VLAN("received frame is tagged and the card is not on that VLAN (or untagged and it is)"),
    RX_NOT_FOR_US("received frame is for another MAC or IP address"),
    RX_UNSUPPORTED("received frame is a protocol the guest's stack does not speak");

    private final String description;

    GuestDrop(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }
}
