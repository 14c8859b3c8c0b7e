package io.jvswitch.tunnel;

import io.jvswitch.wire.DropReason;

/** Reasons the tunnel layer drops a packet that is well-formed but cannot go through this tunnel. */
public enum TunnelDrop implements DropReason {
    L3_TUNNEL_NON_IP("an L3 tunnel (packet_type=legacy_l3) carries IP packets only"),
    TOO_BIG_FOR_IPV4("the encapsulated packet would exceed IPv4's 65535-byte total length");

    private final String description;

    TunnelDrop(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }
}
