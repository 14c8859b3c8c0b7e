package io.jvswitch.ofproto.xlate;

import io.jvswitch.ofproto.flow.Field;
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

    /** Sets the tunnel key that the next output to a tunnel port encapsulates with. */
    record SetTunnel(long tunnelId) implements DatapathAction {
        @Override
        public String toString() {
            return "set(tunnel(tun_id=0x" + Long.toHexString(tunnelId) + "))";
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

    /**
     * Rewrites one packet field to a value: Ethernet source or destination, IPv4 source or destination, the DSCP bits
     * of the ToS (ECN kept), or the TTL. Only fields that actions wrote are ever set, so a cached result never depends
     * on the packet's old value of them.
     */
    record SetField(Field field, long value) implements DatapathAction {
        @Override
        public String toString() {
            return switch (field) {
                case DL_SRC -> "set(eth(src=" + MacAddress.format(value) + "))";
                case DL_DST -> "set(eth(dst=" + MacAddress.format(value) + "))";
                case NW_SRC -> "set(ipv4(src=" + Ipv4Address.format((int) value) + "))";
                case NW_DST -> "set(ipv4(dst=" + Ipv4Address.format((int) value) + "))";
                case NW_TOS -> "set(ip(dscp=" + value + "))";
                case NW_TTL -> "set(ip(ttl=" + value + "))";
                default -> "set(" + field.ovsName() + "=" + value + ")";
            };
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
