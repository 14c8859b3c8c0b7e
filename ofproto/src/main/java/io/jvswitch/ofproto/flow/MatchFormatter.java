package io.jvswitch.ofproto.flow;

import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;

/**
 * Prints a {@link Match} as ovs-ofctl does: {@code priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55}.
 *
 * <p>The order and spelling follow ovs-ofctl: priority (unless it is the default 32768), the protocol shorthand when
 * {@code dl_type} (and {@code nw_proto}) are fixed ({@code ip}, {@code arp}, {@code tcp}, {@code icmp6}, ...),
 * registers, tunnel fields, metadata, {@code in_port}, the VLAN ({@code dl_vlan} when a tag's VID is matched exactly,
 * else {@code vlan_tci}), Ethernet addresses, {@code dl_type}, addresses (as {@code arp_spa}/{@code arp_tpa} for
 * ARP), {@code nw_proto} (as {@code arp_op} for ARP), ARP hardware addresses, ToS, ECN and TTL, then ICMP type and
 * code or transport ports.
 */
public final class MatchFormatter {
    /** The priority OpenFlow assumes when none is given; ovs-ofctl leaves it out. */
    public static final int DEFAULT_PRIORITY = 32768;

    private MatchFormatter() {}

    /** The match, with {@code priority=N,} first unless {@code priority} is -1 or 32768. */
    public static String format(Match match, int priority) {
        StringBuilder s = new StringBuilder();
        if (priority >= 0 && priority != DEFAULT_PRIORITY) {
            s.append("priority=").append(priority).append(',');
        }
        int ethType = match.ethType();
        int nwProto = match.nwProto();
        boolean typeShown = false;
        boolean protoShown = false;
        if (ethType >= 0) {
            typeShown = true;
            switch (ethType) {
                case 0x0800 -> {
                    protoShown = nwProto == 1 || nwProto == 6 || nwProto == 17 || nwProto == 132;
                    s.append(
                            switch (protoShown ? nwProto : -1) {
                                case 1 -> "icmp,";
                                case 6 -> "tcp,";
                                case 17 -> "udp,";
                                case 132 -> "sctp,";
                                default -> "ip,";
                            });
                }
                case 0x86dd -> {
                    protoShown = nwProto == 58 || nwProto == 6 || nwProto == 17 || nwProto == 132;
                    s.append(
                            switch (protoShown ? nwProto : -1) {
                                case 58 -> "icmp6,";
                                case 6 -> "tcp6,";
                                case 17 -> "udp6,";
                                case 132 -> "sctp6,";
                                default -> "ipv6,";
                            });
                }
                case 0x0806 -> s.append("arp,");
                case 0x8035 -> s.append("rarp,");
                default -> typeShown = false;
            }
        }
        for (Field reg : new Field[] {
            Field.REG0, Field.REG1, Field.REG2, Field.REG3, Field.REG4, Field.REG5, Field.REG6, Field.REG7
        }) {
            hexMasked(s, match, reg);
        }
        hexMasked(s, match, Field.TUN_ID);
        ipv4Masked(s, match, Field.TUN_SRC, "tun_src");
        ipv4Masked(s, match, Field.TUN_DST, "tun_dst");
        hexMasked(s, match, Field.METADATA);
        if (match.has(Field.IN_PORT)) {
            s.append("in_port=")
                    .append(Ports.name((int) match.get(Field.IN_PORT)))
                    .append(',');
        }
        vlan(s, match);
        macMasked(s, match, Field.DL_SRC, "dl_src");
        macMasked(s, match, Field.DL_DST, "dl_dst");
        if (!typeShown && match.has(Field.DL_TYPE)) {
            s.append(String.format("dl_type=0x%04x,", match.get(Field.DL_TYPE)));
        }
        boolean arp = ethType == 0x0806 || ethType == 0x8035;
        if (ethType == 0x86dd) {
            ipv6Masked(s, match, Field.IPV6_SRC);
            ipv6Masked(s, match, Field.IPV6_DST);
        } else if (arp) {
            ipv4Masked(s, match, Field.NW_SRC, "arp_spa");
            ipv4Masked(s, match, Field.NW_DST, "arp_tpa");
        } else {
            ipv4Masked(s, match, Field.NW_SRC, "nw_src");
            ipv4Masked(s, match, Field.NW_DST, "nw_dst");
        }
        if (!protoShown && match.has(Field.NW_PROTO)) {
            s.append(arp ? "arp_op=" : "nw_proto=")
                    .append(match.get(Field.NW_PROTO))
                    .append(',');
        }
        if (arp) {
            macMasked(s, match, Field.ARP_SHA, "arp_sha");
            macMasked(s, match, Field.ARP_THA, "arp_tha");
        }
        if (match.has(Field.NW_TOS)) {
            s.append("nw_tos=").append(match.get(Field.NW_TOS) << 2).append(',');
        }
        if (match.has(Field.NW_ECN)) {
            s.append("nw_ecn=").append(match.get(Field.NW_ECN)).append(',');
        }
        if (match.has(Field.NW_TTL)) {
            s.append("nw_ttl=").append(match.get(Field.NW_TTL)).append(',');
        }
        fragment(s, match);
        boolean icmp = (ethType == 0x0800 && nwProto == 1) || (ethType == 0x86dd && nwProto == 58);
        if (icmp) {
            decimalMasked(s, match, Field.ICMP_TYPE, "icmp_type", 0xff);
            decimalMasked(s, match, Field.ICMP_CODE, "icmp_code", 0xff);
        } else {
            decimalMasked(s, match, Field.TP_SRC, "tp_src", 0xffff);
            decimalMasked(s, match, Field.TP_DST, "tp_dst", 0xffff);
        }
        if (!s.isEmpty() && s.charAt(s.length() - 1) == ',') {
            s.setLength(s.length() - 1);
        }
        return s.toString();
    }

    private static void vlan(StringBuilder s, Match match) {
        if (!match.has(Field.VLAN_TCI)) {
            return;
        }
        int tci = (int) match.get(Field.VLAN_TCI);
        int mask = (int) match.getMask(Field.VLAN_TCI);
        int vidMask = mask & 0x0fff;
        int pcpMask = mask & 0xe000;
        boolean cfi = (mask & FlowKey.VLAN_CFI) != 0 && (tci & FlowKey.VLAN_CFI) != 0;
        if (cfi
                && (vidMask == 0 || vidMask == 0x0fff)
                && (pcpMask == 0 || pcpMask == 0xe000)
                && (vidMask != 0 || pcpMask != 0)) {
            if (vidMask != 0) {
                s.append("dl_vlan=").append(tci & 0x0fff).append(',');
            }
            if (pcpMask != 0) {
                s.append("dl_vlan_pcp=").append(tci >>> 13).append(',');
            }
        } else if (mask == 0xffff) {
            s.append(String.format("vlan_tci=0x%04x,", tci));
        } else {
            s.append(String.format("vlan_tci=0x%04x/0x%04x,", tci, mask));
        }
    }

    private static void fragment(StringBuilder s, Match match) {
        int mask = (int) (match.mask(FlowKey.L4) & 0x3);
        int value = (int) (match.value(FlowKey.L4) & 0x3);
        boolean any = (value & FlowKey.FRAG_ANY) != 0;
        boolean later = (value & FlowKey.FRAG_LATER) != 0;
        switch (mask) {
            case 3 ->
                s.append("nw_frag=")
                        .append(any ? (later ? "later" : "first") : "no")
                        .append(',');
            case 1 -> s.append("nw_frag=").append(any ? "yes" : "no").append(',');
            case 2 -> s.append("nw_frag=").append(later ? "later" : "not_later").append(',');
            default -> {}
        }
    }

    /** {@code name=0x1388} or {@code name=0x1388/0xffff}; zero prints as {@code 0}, as C's {@code %#x} does. */
    private static void hexMasked(StringBuilder s, Match match, Field field) {
        if (!match.has(field)) {
            return;
        }
        s.append(field.ovsName()).append('=').append(hashHex(match.get(field)));
        if (!match.hasExact(field)) {
            s.append('/').append(hashHex(match.getMask(field)));
        }
        s.append(',');
    }

    static String hashHex(long value) {
        return value == 0 ? "0" : "0x" + Long.toHexString(value);
    }

    private static void decimalMasked(StringBuilder s, Match match, Field field, String name, int full) {
        if (!match.has(field)) {
            return;
        }
        long value = match.get(field);
        long mask = match.getMask(field);
        s.append(name).append('=');
        if (mask == full) {
            s.append(value);
        } else {
            s.append("0x").append(Long.toHexString(value)).append("/0x").append(Long.toHexString(mask));
        }
        s.append(',');
    }

    private static void macMasked(StringBuilder s, Match match, Field field, String name) {
        if (!match.has(field)) {
            return;
        }
        s.append(name).append('=').append(MacAddress.format(match.get(field)));
        if (!match.hasExact(field)) {
            s.append('/').append(MacAddress.format(match.getMask(field)));
        }
        s.append(',');
    }

    private static void ipv4Masked(StringBuilder s, Match match, Field field, String name) {
        if (!match.has(field)) {
            return;
        }
        int value = (int) match.get(field);
        int mask = (int) match.getMask(field);
        s.append(name).append('=').append(Ipv4Address.format(value));
        if (mask != -1) {
            int prefix = Integer.bitCount(mask);
            boolean cidr = mask == (prefix == 0 ? 0 : -1 << (32 - prefix));
            s.append('/').append(cidr ? Integer.toString(prefix) : Ipv4Address.format(mask));
        }
        s.append(',');
    }

    private static void ipv6Masked(StringBuilder s, Match match, Field field) {
        if (!match.has(field)) {
            return;
        }
        long high = match.getHigh(field);
        long low = match.get(field);
        long maskHigh = match.getMaskHigh(field);
        long maskLow = match.getMask(field);
        s.append(field.ovsName()).append('=').append(Ipv6Address.format(high, low));
        if (maskHigh != -1L || maskLow != -1L) {
            int prefix = Long.bitCount(maskHigh) + Long.bitCount(maskLow);
            long expectHigh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
            long expectLow = prefix <= 64 ? 0 : -1L << (128 - prefix);
            boolean cidr = maskHigh == expectHigh && maskLow == expectLow;
            s.append('/').append(cidr ? Integer.toString(prefix) : Ipv6Address.format(maskHigh, maskLow));
        }
        s.append(',');
    }
}
