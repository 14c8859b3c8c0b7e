package io.jvswitch.datapath.io;

import io.jvswitch.wire.DropReason;

/**
 * Why the real I/O (ports, underlay, the datapath thread) drops a packet; counted with the datapath's own reasons
 * ({@link io.jvswitch.datapath.Datapath#dropCounters}).
 */
public enum IoDrop implements DropReason {
    FORWARDING_DISABLED("forwarding is off (flow-restore-wait): packets that arrive are dropped until it is on again"),
    FRAME_TRUNCATED("a received frame was larger than a packet buffer (a GSO frame from a veth with offload on?)"),
    BAD_COALESCED_DATAGRAMS("an underlay UDP socket handed over coalesced datagrams (UDP_GRO) whose segment size"
            + " cannot be right (0 or less, or larger than a packet buffer)"),
    BAD_OFFLOAD("a TAP handed over a partial checksum or TCP super-frame whose virtio header did not fit the frame"),
    RECEIVE_FAILED("receiving from a port or underlay socket failed (the error is logged)"),
    PROCESSING_FAILED("switching the packet threw an exception: the packet is dropped, the datapath thread goes on"),
    UNDERLAY_SEND_FAILED("the kernel refused a tunnel packet (no route, larger than the MTU, buffers full)"),
    UNDERLAY_NOT_IP("the underlay was given a frame that is not an IPv4 or IPv6 packet"),
    UNDERLAY_NO_IPV6("an IPv6 tunnel packet, but the underlay was opened for IPv4 only"),
    UNDERLAY_NOT_OPEN("a tunnel packet before the underlay's sockets were opened (the datapath thread opens them)"),
    PORT_SEND_FAILED("a TAP or system port refused a frame (interface down, queue full)");

    private final String description;

    IoDrop(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }
}
