package io.jvswitch.ofproto.flow;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields flows match on and actions write, with every name users and Neutron write them by: the ovs-ofctl
 * name ({@code dl_dst}), its aliases ({@code eth_dst}), the Nicira extension name ({@code NXM_OF_ETH_DST}) and the
 * OpenFlow 1.2+ name ({@code OXM_OF_ETH_DST}).
 *
 * <p>Each field knows where it lives in a {@link FlowKey} (word, shift, width), how its values are written (a MAC, an
 * address, a number), whether it can be masked, and what it requires of the rest of the match (its prerequisite:
 * {@code tp_dst} needs {@code nw_proto} TCP, UDP or SCTP).
 */
public enum Field {
    IN_PORT("in_port", "NXM_OF_IN_PORT", "OXM_OF_IN_PORT", FlowKey.IN_PORT, 0, 16, Kind.PORT, false, Prerequisite.NONE),
    METADATA("metadata", null, "OXM_OF_METADATA", FlowKey.METADATA, 0, 64, Kind.HEX, true, Prerequisite.NONE),
    REG0("reg0", "NXM_NX_REG0", null, FlowKey.REGS, 32, 32, Kind.HEX, true, Prerequisite.NONE),
    REG1("reg1", "NXM_NX_REG1", null, FlowKey.REGS, 0, 32, Kind.HEX, true, Prerequisite.NONE),
    REG2("reg2", "NXM_NX_REG2", null, FlowKey.REGS + 1, 32, 32, Kind.HEX, true, Prerequisite.NONE),
    REG3("reg3", "NXM_NX_REG3", null, FlowKey.REGS + 1, 0, 32, Kind.HEX, true, Prerequisite.NONE),
    REG4("reg4", "NXM_NX_REG4", null, FlowKey.REGS + 2, 32, 32, Kind.HEX, true, Prerequisite.NONE),
    REG5("reg5", "NXM_NX_REG5", null, FlowKey.REGS + 2, 0, 32, Kind.HEX, true, Prerequisite.NONE),
    REG6("reg6", "NXM_NX_REG6", null, FlowKey.REGS + 3, 32, 32, Kind.HEX, true, Prerequisite.NONE),
    REG7("reg7", "NXM_NX_REG7", null, FlowKey.REGS + 3, 0, 32, Kind.HEX, true, Prerequisite.NONE),
    TUN_ID("tun_id", "NXM_NX_TUN_ID", "OXM_OF_TUNNEL_ID", FlowKey.TUN_ID, 0, 64, Kind.HEX, true, Prerequisite.NONE),
    TUN_SRC("tun_src", "NXM_NX_TUN_IPV4_SRC", null, FlowKey.TUN_IPV4, 32, 32, Kind.IPV4, true, Prerequisite.NONE),
    TUN_DST("tun_dst", "NXM_NX_TUN_IPV4_DST", null, FlowKey.TUN_IPV4, 0, 32, Kind.IPV4, true, Prerequisite.NONE),
    DL_DST(
            "dl_dst",
            "NXM_OF_ETH_DST",
            "OXM_OF_ETH_DST",
            FlowKey.ETH_DST_TYPE,
            16,
            48,
            Kind.MAC,
            true,
            Prerequisite.NONE),
    DL_TYPE(
            "dl_type",
            "NXM_OF_ETH_TYPE",
            "OXM_OF_ETH_TYPE",
            FlowKey.ETH_DST_TYPE,
            0,
            16,
            Kind.HEX4,
            false,
            Prerequisite.NONE),
    DL_SRC(
            "dl_src",
            "NXM_OF_ETH_SRC",
            "OXM_OF_ETH_SRC",
            FlowKey.ETH_SRC_VLAN,
            16,
            48,
            Kind.MAC,
            true,
            Prerequisite.NONE),
    VLAN_TCI("vlan_tci", "NXM_OF_VLAN_TCI", null, FlowKey.ETH_SRC_VLAN, 0, 16, Kind.HEX4, true, Prerequisite.NONE),
    /** The 12-bit VLAN ID; matching it also requires a tag to be present (vlan_tci=0x1000|vid/0x1fff). */
    DL_VLAN("dl_vlan", null, "OXM_OF_VLAN_VID", FlowKey.ETH_SRC_VLAN, 0, 12, Kind.DECIMAL, false, Prerequisite.NONE),
    DL_VLAN_PCP(
            "dl_vlan_pcp",
            null,
            "OXM_OF_VLAN_PCP",
            FlowKey.ETH_SRC_VLAN,
            13,
            3,
            Kind.DECIMAL,
            false,
            Prerequisite.NONE),
    NW_SRC(
            "nw_src",
            "NXM_OF_IP_SRC",
            "OXM_OF_IPV4_SRC",
            FlowKey.NW_ADDRESSES,
            32,
            32,
            Kind.IPV4,
            true,
            Prerequisite.IPV4_OR_ARP),
    NW_DST(
            "nw_dst",
            "NXM_OF_IP_DST",
            "OXM_OF_IPV4_DST",
            FlowKey.NW_ADDRESSES,
            0,
            32,
            Kind.IPV4,
            true,
            Prerequisite.IPV4_OR_ARP),
    IPV6_SRC(
            "ipv6_src",
            "NXM_NX_IPV6_SRC",
            "OXM_OF_IPV6_SRC",
            FlowKey.IPV6_SRC,
            0,
            128,
            Kind.IPV6,
            true,
            Prerequisite.IPV6),
    IPV6_DST(
            "ipv6_dst",
            "NXM_NX_IPV6_DST",
            "OXM_OF_IPV6_DST",
            FlowKey.IPV6_DST,
            0,
            128,
            Kind.IPV6,
            true,
            Prerequisite.IPV6),
    NW_PROTO(
            "nw_proto",
            "NXM_OF_IP_PROTO",
            "OXM_OF_IP_PROTO",
            FlowKey.L4,
            24,
            8,
            Kind.DECIMAL,
            false,
            Prerequisite.IP_ANY),
    /** The ToS byte's DSCP bits, written as a ToS value (a multiple of 4). */
    NW_TOS("nw_tos", "NXM_OF_IP_TOS", null, FlowKey.L4, 18, 6, Kind.DECIMAL, false, Prerequisite.IP_ANY),
    /** DSCP as a 6-bit number: the same bits as nw_tos, written shifted down. */
    IP_DSCP("ip_dscp", null, "OXM_OF_IP_DSCP", FlowKey.L4, 18, 6, Kind.DECIMAL, false, Prerequisite.IP_ANY),
    NW_ECN("nw_ecn", "NXM_NX_IP_ECN", "OXM_OF_IP_ECN", FlowKey.L4, 16, 2, Kind.DECIMAL, false, Prerequisite.IP_ANY),
    NW_TTL("nw_ttl", "NXM_NX_IP_TTL", null, FlowKey.L4, 8, 8, Kind.DECIMAL, false, Prerequisite.IP_ANY),
    TP_SRC(
            "tp_src",
            "NXM_OF_TCP_SRC",
            "OXM_OF_TCP_SRC",
            FlowKey.L4,
            48,
            16,
            Kind.DECIMAL,
            true,
            Prerequisite.TCP_UDP_SCTP),
    TP_DST(
            "tp_dst",
            "NXM_OF_TCP_DST",
            "OXM_OF_TCP_DST",
            FlowKey.L4,
            32,
            16,
            Kind.DECIMAL,
            true,
            Prerequisite.TCP_UDP_SCTP),
    ICMP_TYPE(
            "icmp_type",
            "NXM_OF_ICMP_TYPE",
            "OXM_OF_ICMPV4_TYPE",
            FlowKey.L4,
            48,
            8,
            Kind.DECIMAL,
            false,
            Prerequisite.ICMP_ANY),
    ICMP_CODE(
            "icmp_code",
            "NXM_OF_ICMP_CODE",
            "OXM_OF_ICMPV4_CODE",
            FlowKey.L4,
            32,
            8,
            Kind.DECIMAL,
            false,
            Prerequisite.ICMP_ANY),
    ARP_OP("arp_op", "NXM_OF_ARP_OP", "OXM_OF_ARP_OP", FlowKey.L4, 24, 8, Kind.DECIMAL, false, Prerequisite.ARP),
    ARP_SPA(
            "arp_spa",
            "NXM_OF_ARP_SPA",
            "OXM_OF_ARP_SPA",
            FlowKey.NW_ADDRESSES,
            32,
            32,
            Kind.IPV4,
            true,
            Prerequisite.ARP),
    ARP_TPA(
            "arp_tpa",
            "NXM_OF_ARP_TPA",
            "OXM_OF_ARP_TPA",
            FlowKey.NW_ADDRESSES,
            0,
            32,
            Kind.IPV4,
            true,
            Prerequisite.ARP),
    ARP_SHA("arp_sha", "NXM_NX_ARP_SHA", "OXM_OF_ARP_SHA", FlowKey.ARP_SHA, 0, 48, Kind.MAC, true, Prerequisite.ARP),
    ARP_THA("arp_tha", "NXM_NX_ARP_THA", "OXM_OF_ARP_THA", FlowKey.ARP_THA, 0, 48, Kind.MAC, true, Prerequisite.ARP);

    /** How a field's values are written. */
    public enum Kind {
        /** An OpenFlow port number, or a reserved port's name (LOCAL, IN_PORT, ...). */
        PORT,
        DECIMAL,
        /** Hexadecimal with a 0x prefix when printed ({@code tun_id=0x1388}), decimal or hex when parsed. */
        HEX,
        /** Hexadecimal, four digits ({@code dl_type=0x0800}, {@code vlan_tci=0x0001}). */
        HEX4,
        MAC,
        IPV4,
        IPV6
    }

    private static final Map<String, Field> BY_NAME = new HashMap<>();

    static {
        for (Field field : values()) {
            BY_NAME.put(field.ovsName, field);
            if (field.nxmName != null) {
                BY_NAME.put(field.nxmName, field);
            }
            if (field.oxmName != null) {
                BY_NAME.put(field.oxmName, field);
            }
        }
        BY_NAME.put("eth_dst", DL_DST);
        BY_NAME.put("eth_src", DL_SRC);
        BY_NAME.put("eth_type", DL_TYPE);
        BY_NAME.put("ip_src", NW_SRC);
        BY_NAME.put("ip_dst", NW_DST);
        BY_NAME.put("ip_proto", NW_PROTO);
        BY_NAME.put("ip_ecn", NW_ECN);
        BY_NAME.put("tunnel_id", TUN_ID);
        BY_NAME.put("tcp_src", TP_SRC);
        BY_NAME.put("tcp_dst", TP_DST);
        BY_NAME.put("udp_src", TP_SRC);
        BY_NAME.put("udp_dst", TP_DST);
        BY_NAME.put("NXM_OF_UDP_SRC", TP_SRC);
        BY_NAME.put("NXM_OF_UDP_DST", TP_DST);
        BY_NAME.put("OXM_OF_UDP_SRC", TP_SRC);
        BY_NAME.put("OXM_OF_UDP_DST", TP_DST);
        BY_NAME.put("icmpv6_type", ICMP_TYPE);
        BY_NAME.put("icmpv6_code", ICMP_CODE);
        BY_NAME.put("NXM_NX_ICMPV6_TYPE", ICMP_TYPE);
        BY_NAME.put("NXM_NX_ICMPV6_CODE", ICMP_CODE);
    }

    private final String ovsName;
    private final String nxmName;
    private final String oxmName;
    private final int word;
    private final int shift;
    private final int bits;
    private final Kind kind;
    private final boolean maskable;
    private final Prerequisite prerequisite;

    Field(
            String ovsName,
            String nxmName,
            String oxmName,
            int word,
            int shift,
            int bits,
            Kind kind,
            boolean maskable,
            Prerequisite prerequisite) {
        this.ovsName = ovsName;
        this.nxmName = nxmName;
        this.oxmName = oxmName;
        this.word = word;
        this.shift = shift;
        this.bits = bits;
        this.kind = kind;
        this.maskable = maskable;
        this.prerequisite = prerequisite;
    }

    /** Finds a field by any of its names, or returns null. */
    public static Field byName(String name) {
        Field field = BY_NAME.get(name);
        return field != null ? field : BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    /** The name ovs-ofctl prints in matches. */
    public String ovsName() {
        return ovsName;
    }

    /** The Nicira extension name, used in {@code load}, {@code move} and {@code learn}; null if none. */
    public String nxmName() {
        return nxmName;
    }

    public String oxmName() {
        return oxmName;
    }

    /** The name actions print it by: the NXM name, else the OXM name. */
    public String actionName() {
        return nxmName != null ? nxmName : oxmName;
    }

    /** The first (or only) word of the flow key holding this field. */
    public int word() {
        return word;
    }

    /** Bit position of the field's least significant bit in its word (0 for 128-bit fields). */
    public int shift() {
        return shift;
    }

    /** Width in bits: 2 to 128. */
    public int bits() {
        return bits;
    }

    public Kind kind() {
        return kind;
    }

    /** True when an arbitrary bitwise mask may be given ({@code dl_dst=01:00:00:00:00:00/01:00:00:00:00:00}). */
    public boolean maskable() {
        return maskable;
    }

    public Prerequisite prerequisite() {
        return prerequisite;
    }

    /** All ones over the field's width (for fields up to 64 bits). */
    public long fullMask() {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }

    /** The field's bits in place within its word. */
    public long wordMask() {
        return bits >= 64 ? -1L : fullMask() << shift;
    }

    /** Reads the field (the low word for 128-bit fields). */
    long get(FlowKey key) {
        long value = key.words[bits == 128 ? word + 1 : word];
        return bits >= 64 ? value : (value >>> shift) & fullMask();
    }

    /** Writes the field (the low word for 128-bit fields), keeping other fields in its word. */
    void set(FlowKey key, long value) {
        int at = bits == 128 ? word + 1 : word;
        if (bits >= 64) {
            key.words[at] = value;
        } else {
            key.words[at] = (key.words[at] & ~wordMask()) | ((value & fullMask()) << shift);
        }
    }

    /** The fields that users write, for help and error messages. */
    public static List<String> ovsNames() {
        return java.util.Arrays.stream(values()).map(Field::ovsName).toList();
    }

    @Override
    public String toString() {
        return ovsName;
    }
}
