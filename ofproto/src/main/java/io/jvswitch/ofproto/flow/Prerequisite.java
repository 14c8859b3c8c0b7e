package io.jvswitch.ofproto.flow;

/**
 * What a field requires of the rest of a match, as OpenFlow defines it: a match on {@code tp_dst} means nothing
 * unless the match also fixes {@code nw_proto} to TCP, UDP or SCTP. A match or an action that breaks these rules is
 * refused when it is parsed.
 */
public enum Prerequisite {
    NONE(""),
    IPV4_OR_ARP("dl_type=0x0800 (ip) or dl_type=0x0806 (arp)"),
    IPV6("dl_type=0x86dd (ipv6)"),
    IP_ANY("dl_type=0x0800 (ip) or dl_type=0x86dd (ipv6)"),
    ARP("dl_type=0x0806 (arp)"),
    TCP_UDP_SCTP("ip or ipv6 with nw_proto=6, 17 or 132 (tcp, udp, sctp)"),
    ICMP_ANY("icmp (ip with nw_proto=1) or icmp6 (ipv6 with nw_proto=58)");

    private final String description;

    Prerequisite(String description) {
        this.description = description;
    }

    /** What must be in the match, as the error message says it. */
    public String description() {
        return description;
    }

    /**
     * True when a match whose {@code dl_type} is fixed to {@code ethType} (or -1 when not fixed) and whose {@code
     * nw_proto} is fixed to {@code nwProto} (or -1) satisfies this prerequisite.
     */
    public boolean satisfiedBy(int ethType, int nwProto) {
        boolean ipv4 = ethType == 0x0800;
        boolean ipv6 = ethType == 0x86dd;
        return switch (this) {
            case NONE -> true;
            case IPV4_OR_ARP -> ipv4 || ethType == 0x0806;
            case IPV6 -> ipv6;
            case IP_ANY -> ipv4 || ipv6;
            case ARP -> ethType == 0x0806;
            case TCP_UDP_SCTP -> (ipv4 || ipv6) && (nwProto == 6 || nwProto == 17 || nwProto == 132);
            case ICMP_ANY -> (ipv4 && nwProto == 1) || (ipv6 && nwProto == 58);
        };
    }
}
