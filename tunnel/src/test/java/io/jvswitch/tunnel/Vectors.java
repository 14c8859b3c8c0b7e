package io.jvswitch.tunnel;

import java.util.HexFormat;
import java.util.Map;

/**
 * Test frames shared by the tunnel tests. The encapsulated vectors were derived by an independent implementation (a
 * Python script using only struct and a hand-written RFC 1071 sum) and checked with tshark 4.0: IPv4, UDP and GRE
 * checksums reported good, VNI/key 5000, the inner ARP decoded.
 */
public final class Vectors {
    /** The tutorial's first packet: VM1 (fa:16:3e:00:00:01, 10.0.0.1) asks who has 10.0.0.2. */
    public static final String ARP_REQUEST = "ffffffffffff" + "fa163e000001" + "0806" + "0001" + "0800" + "06" + "04"
            + "0001" + "fa163e000001" + "0a000001" + "000000000000" + "0a000002";

    /** Outer Ethernet: to 02:00:c0:a8:01:65 (host .101) from 02:00:c0:a8:01:64 (host .100), IPv4. */
    public static final String OUTER_ETHERNET = "0200c0a80165" + "0200c0a80164" + "0800";

    /** VXLAN VNI 5000 over IPv4 192.168.1.100 -> .101, UDP 49152 -> 4789, no UDP checksum. */
    public static final String VXLAN_IPV4 = OUTER_ETHERNET
            + "4500004e000040004011b685c0a80164c0a80165" // IPv4: length 78, DF, ttl 64, UDP
            + "c00012b5003a0000" // UDP 49152 -> 4789, length 58, checksum 0
            + "0800000000138800" // VXLAN: I flag, VNI 0x001388
            + ARP_REQUEST;

    /** The same with csum=true: UDP checksum 0x7e57. */
    public static final String VXLAN_IPV4_CHECKSUM = OUTER_ETHERNET
            + "4500004e000040004011b685c0a80164c0a80165"
            + "c00012b5003a7e57"
            + "0800000000138800"
            + ARP_REQUEST;

    /** GRE key 0x1388 over IPv4: 42 bytes of overhead with the outer Ethernet header's 14. */
    public static final String GRE_IPV4_KEY = OUTER_ETHERNET
            + "4500004600004000402fb66fc0a80164c0a80165" // IPv4: length 70, DF, ttl 64, GRE
            + "2000655800001388" // GRE: K, protocol 0x6558, key 0x1388
            + ARP_REQUEST;

    /** GRE with checksum (0x3cdf), key and sequence number 0. */
    public static final String GRE_IPV4_CHECKSUM_KEY_SEQUENCE = OUTER_ETHERNET
            + "4500004e00004000402fb667c0a80164c0a80165"
            + "b00065583cdf00000000138800000000" // GRE: C K S, checksum, reserved1, key, seq 0
            + ARP_REQUEST;

    /** GRE-in-UDP (RFC 8086): UDP 49152 -> 4754, then GRE with key 0x1388. */
    public static final String GRE_UDP_IPV4 = OUTER_ETHERNET
            + "4500004e000040004011b685c0a80164c0a80165"
            + "c0001292003a0000"
            + "2000655800001388"
            + ARP_REQUEST;

    /** The tutorial's first example: A (192.168.1.1) pings B (192.168.2.1), an IP packet for an L3 GRE tunnel. */
    public static final String ROUTER_ICMP = "45000054000040004001b656c0a80101c0a80201"
            + "080000eb00010001" + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
            + "202122232425262728292a2b2c2d2e2f3031323334353637";

    /** RA (1.1.1.1) to RB (2.2.2.2): GRE protocol 0x0800, no key. */
    public static final String ROUTER_GRE = "020002020202" + "020001010101" + "0800"
            + "4500006c00004000402f345e0101010102020202"
            + "00000800"
            + ROUTER_ICMP;

    public static final Map<String, String> HOST_100_TO_101 =
            Map.of("local_ip", "192.168.1.100", "remote_ip", "192.168.1.101", "key", "0x1388");

    private Vectors() {}

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
