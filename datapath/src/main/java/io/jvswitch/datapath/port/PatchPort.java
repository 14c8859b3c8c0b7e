package io.jvswitch.datapath.port;

import java.util.Map;

/**
 * One end of a patch cable between two bridges of this switch ({@code type=patch options:peer=...}). Nothing is ever
 * sent out of it: translation follows the cable into the peer bridge, so a packet crosses br-int and br-tun in one
 * cached megaflow.
 */
public final class PatchPort extends Port {
    private final String peer;

    public PatchPort(String name, String peer) {
        super(name, PortType.PATCH, Map.of("peer", peer));
        this.peer = peer;
    }

    /** The name of the port at the cable's other end. */
    public String peer() {
        return peer;
    }
}
