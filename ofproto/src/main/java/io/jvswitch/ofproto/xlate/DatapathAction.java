package io.jvswitch.ofproto.xlate;

import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.MacAddress;

/**
 * What the datapath does with a packet once its OpenFlow translation is known: a flat list of these, cached with the
 * megaflow, executed per packet without looking at a flow table again. Printed as Open vSwitch prints datapath actions
 * ({@code set(tunnel(tun_id=0x1388)),pop_vlan,2,3}).
 */
public sealed interface DatapathAction {
    /** Sends the packet (as modified so far) out of a port of the bridge. */
    record Output(int port) implements DatapathAction {
        @Override
        public String toString() {
            return Integer.toString(port);
        }
    }

    /**
     * Sets the tunnel key (and, when flows chose one, the destination: {@code remote_ip=flow}, or a VXLAN group's
     * learned VTEP) that the next output to a tunnel port encapsulates with.
     *
     * @param destination the IPv4 tun_dst, 0 for the port's own remote_ip
     */
    record SetTunnel(long tunnelId, int destination) implements DatapathAction {
        @Override
        public String toString() {
            return "set(tunnel(tun_id=0x" + Long.toHexString(tunnelId)
                    + (destination != 0 ? ",dst=" + Ipv4Address.format(destination) : "") + "))";
        }
    }

    /** Adds an 802.1Q tag. */
    record PushVlan(int tci) implements DatapathAction {
        @Override
        public String toString() {
            return "push_vlan(vid=" + (tci & 0xfff) + ",pcp=" + (tci >>> 13) + ")";
        }
    }

    /** Removes the outer 802.1Q tag. */
    record PopVlan() implements DatapathAction {
        @Override
        public String toString() {
            return "pop_vlan";
        }
    }

    /** Rewrites the outer tag's TCI (VID and PCP). */
    record SetVlan(int tci) implements DatapathAction {
        @Override
        public String toString() {
            return "set(vlan(vid=" + (tci & 0xfff) + ",pcp=" + (tci >>> 13) + "))";
        }
    }

    record SetEthernet(long source, long destination) implements DatapathAction {
        @Override
        public String toString() {
            return "set(eth(src=" + MacAddress.format(source) + ",dst=" + MacAddress.format(destination) + "))";
        }
    }

    /** Rewrites the IPv4 header (the checksum follows). */
    record SetIpv4(int source, int destination, int tos, int ttl) implements DatapathAction {
        @Override
        public String toString() {
            return "set(ipv4(src=" + Ipv4Address.format(source) + ",dst=" + Ipv4Address.format(destination) + ",tos=0x"
                    + Integer.toHexString(tos) + ",ttl=" + ttl + "))";
        }
    }

    /** Rewrites an Ethernet/IPv4 ARP packet's opcode and addresses (an ARP responder turning a request around). */
    record SetArp(int operation, long senderMac, int senderIp, long targetMac, int targetIp) implements DatapathAction {
        @Override
        public String toString() {
            return "set(arp(sip=" + Ipv4Address.format(senderIp) + ",tip=" + Ipv4Address.format(targetIp) + ",op="
                    + operation + ",sha=" + MacAddress.format(senderMac) + ",tha=" + MacAddress.format(targetMac)
                    + "))";
        }
    }

    /** Sends the packet to the controller (a packet-in to whoever listens). */
    record Controller(int maxLength) implements DatapathAction {
        @Override
        public String toString() {
            return "controller(max_len=" + maxLength + ")";
        }
    }
}
