package io.jvswitch.wire.overlay;

/**
 * GRE-in-UDP encapsulation (RFC 8086): a GRE header and its payload carried as the payload of a UDP datagram, so that
 * the UDP source port can hold flow entropy for ECMP in the underlay, as VXLAN's does.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~      Outer IPv4 header (protocol 17) or IPv6 header           ~
 * |      (next header 17), between the two tunnel endpoints       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Source Port (flow entropy)  |    Destination Port = 4754    |   UDP
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C| |K|S|    Reserved0    | Ver |         Protocol Type         |   GRE
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Checksum and Reserved1, Key, Sequence Number (if C, K, S)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~   Payload of that Protocol Type: an Ethernet frame (0x6558),  ~
 * |   an IPv4 packet (0x0800), an IPv6 packet (0x86dd), ...       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The GRE header here is the ordinary version 0 header, parsed and validated with {@link Gre} at the first byte
 * of the UDP payload; no other header sits between UDP and GRE. The UDP header is parsed with {@link
 * io.jvswitch.wire.l4.Udp}. Port {@link #DTLS_PORT} carries GRE-in-UDP inside DTLS: its payload is encrypted and is
 * not a GRE header.
 */
public final class GreInUdp {
    /** UDP destination port of GRE-in-UDP (IANA "gre-in-udp"). */
    public static final int PORT = 4754;

    /** UDP destination port of GRE-in-UDP secured with DTLS (IANA "gre-udp-dtls"). */
    public static final int DTLS_PORT = 4755;

    private GreInUdp() {}

    /**
     * True when a UDP datagram to {@code dstPort} carries a plain GRE header ({@link #PORT}); false for {@link
     * #DTLS_PORT}, whose payload is encrypted.
     */
    public static boolean isGreInUdpPort(int dstPort) {
        return dstPort == PORT;
    }
}
