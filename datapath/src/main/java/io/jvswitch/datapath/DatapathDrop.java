package io.jvswitch.datapath;

import io.jvswitch.wire.DropReason;

/** Reasons the datapath itself drops a packet (the codecs' and translation's reasons are counted alongside). */
public enum DatapathDrop implements DropReason {
    TUNNEL_NO_PORT("a tunnel packet matched no tunnel port (unknown peer, local address, key or UDP port)"),
    /**
     * A GRE packet carrying a bare IP packet whose tunnel has only {@code packet_type=legacy_l2} ports: they carry
     * Ethernet frames (0x6558). Open vSwitch's tunnel lookup has the port's packet type in its key, finds no port and
     * drops the packet ("receive tunnel port not found"); this names why.
     */
    TUNNEL_L3_PAYLOAD_ON_L2_PORT(
            "a GRE packet carrying an IP packet matched only packet_type=legacy_l2 tunnel ports, which carry Ethernet"),
    /**
     * A GRE packet carrying an Ethernet frame (0x6558) whose tunnel has only {@code packet_type=legacy_l3} ports, which
     * carry bare IP packets. Open vSwitch finds no port for it either.
     */
    TUNNEL_L2_PAYLOAD_ON_L3_PORT(
            "a GRE packet carrying an Ethernet frame matched only packet_type=legacy_l3 tunnel ports, which carry IP"),
    TUNNEL_MTU_EXCEEDED("the frame is larger than the tunnel can carry within the underlay's MTU"),
    TUNNEL_NO_DESTINATION("a tunnel port with remote_ip=flow got a packet with no tun_dst"),
    TUNNEL_NO_ROUTE("the underlay has no route towards the tunnel's remote_ip (and the port has no local_ip)"),
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
