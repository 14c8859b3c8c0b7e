package io.jvswitch.wire;

/** The ways a packet's bytes can be wrong, one constant per check the codecs make. */
public enum Malformed implements DropReason {
    ETHERNET_TRUNCATED("frame is shorter than an Ethernet header (14 bytes)"),
    VLAN_TRUNCATED("frame ends inside an 802.1Q/802.1ad tag"),
    ARP_TRUNCATED("frame ends inside the ARP packet"),
    ARP_UNSUPPORTED("ARP is not Ethernet/IPv4 (hardware type 1, protocol 0x0800, lengths 6 and 4)"),
    IPV4_TRUNCATED("packet ends inside the IPv4 header"),
    IPV4_BAD_VERSION("IP version field is not 4 in an IPv4 packet"),
    IPV4_BAD_HEADER_LENGTH("IPv4 header length (IHL) is below 5 or beyond the packet"),
    IPV4_BAD_TOTAL_LENGTH("IPv4 total length is shorter than the header or longer than the frame"),
    IPV4_BAD_CHECKSUM("IPv4 header checksum is wrong"),
    IPV4_BAD_OPTIONS("IPv4 options are malformed (an option's length runs past the header)"),
    IPV6_TRUNCATED("packet ends inside the IPv6 header"),
    IPV6_BAD_VERSION("IP version field is not 6 in an IPv6 packet"),
    IPV6_BAD_PAYLOAD_LENGTH("IPv6 payload length is longer than the frame"),
    IPV6_EXTENSION_TRUNCATED("an IPv6 extension header runs past the packet"),
    IPV6_TOO_MANY_EXTENSIONS("more IPv6 extension headers than the parser walks"),
    ICMP_TRUNCATED("packet ends inside the ICMP header"),
    UDP_TRUNCATED("packet ends inside the UDP header"),
    UDP_BAD_LENGTH("UDP length is shorter than 8 or longer than the IP payload"),
    UDP_BAD_CHECKSUM("UDP checksum is wrong"),
    TCP_TRUNCATED("packet ends inside the TCP header"),
    TCP_BAD_DATA_OFFSET("TCP data offset is below 5 or beyond the segment"),
    GRE_TRUNCATED("packet ends inside the GRE header"),
    GRE_BAD_VERSION("GRE version is neither 0 (RFC 2784) nor 1 (RFC 2637)"),
    GRE_RESERVED_BITS("GRE reserved bits, routing or recursion are set (RFC 2784 requires a discard)"),
    GRE_BAD_CHECKSUM("GRE checksum is wrong"),
    GRE_V1_MALFORMED("enhanced GRE (version 1) header breaks RFC 2637 (K clear, C/R/s set, or protocol not PPP)"),
    GRE_V1_NOT_TUNNELED("enhanced GRE (version 1, PPTP) is recognised but carries no tunnel traffic"),
    GRE_UNKNOWN_PROTOCOL("GRE protocol type is not one a tunnel carries (0x6558, 0x0800, 0x86dd)"),
    VXLAN_TRUNCATED("packet ends inside the VXLAN header"),
    VXLAN_NO_VNI_FLAG("VXLAN I flag is clear: the VNI is not valid (RFC 7348)"),
    VXLAN_RESERVED_BITS("VXLAN reserved bits are set and strict mode drops them"),
    IP_FRAGMENT("outer IP packet is a fragment; tunnel packets are not reassembled"),
    NOT_A_TUNNEL("outer packet is neither GRE nor UDP to a tunnel port"),
    ECN_CE_ON_NOT_ECT("outer ECN is CE but the inner packet is Not-ECT (RFC 6040 requires a drop)");

    private final String description;

    Malformed(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }
}
