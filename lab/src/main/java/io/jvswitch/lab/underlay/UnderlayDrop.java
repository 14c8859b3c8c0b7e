package io.jvswitch.lab.underlay;

import io.jvswitch.wire.DropReason;

/** Why the simulated underlay did not deliver a frame. Segments and nodes count each. */
public enum UnderlayDrop implements DropReason {
    MTU_EXCEEDED("IP packet is larger than the link's MTU (the underlay never fragments)"),
    LOST("lost on the link (random loss, from the lab's seed)"),
    NO_SUCH_MAC("no interface on the segment has the frame's destination MAC"),
    NO_ROUTE("no route to the destination address"),
    NO_NEIGHBOR("the route's next hop is not an address of any interface on its segment"),
    TTL_EXPIRED("TTL (hop limit) reached 0 at a router"),
    NOT_FOR_HOST("frame reached a host whose addresses and groups do not include its destination"),
    NO_RECEIVER("frame reached a host that has no receiver set (no switch attached)"),
    MALFORMED("frame is not a well-formed IPv4 or IPv6 packet in Ethernet");

    private final String description;

    UnderlayDrop(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }
}
