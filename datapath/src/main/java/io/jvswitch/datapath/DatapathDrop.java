package io.jvswitch.datapath;

import io.jvswitch.wire.DropReason;

/** Reasons the datapath itself drops a packet (the codecs' and translation's reasons are counted alongside). */
public enum DatapathDrop implements DropReason {
    TUNNEL_NO_PORT("a tunnel packet matched no tunnel port (unknown peer, local address, key or UDP port)"),
    TUNNEL_MTU_EXCEEDED("the frame is larger than the tunnel can carry within the underlay's MTU"),
    TUNNEL_NO_DESTINATION("a tunnel port with remote_ip=flow got a packet with no tun_dst"),
    VLAN_NOT_ALLOWED("NORMAL: the frame's VLAN is not carried by the port it arrived on"),
    PORT_HAS_NO_RECEIVER("the output port has nothing attached to receive the frame");

    private final String description;

    DatapathDrop(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }
}
