package io.jvswitch.lab.jvs;

import io.jvswitch.lab.underlay.CapturedFrame;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/**
 * A tunnelled frame as a tap on the underlay saw it, read here byte by byte (not by the switch's own decapsulator, so
 * that a test does not check the switch against itself): the outer IPv4 addresses, GRE or VXLAN with its key or VNI,
 * and the tenant frame inside.
 *
 * @param timeNanos virtual time it went on the wire
 * @param source outer IPv4 source, dotted
 * @param destination outer IPv4 destination, dotted (a group for VXLAN flooding)
 * @param tunnel {@code gre} or {@code vxlan}
 * @param tunnelId the GRE key or VXLAN VNI (-1 when the GRE header has no key)
 * @param inner the tenant frame, as {@link #inner(byte[], int)} describes it
 */
record OnWire(long timeNanos, String source, String destination, String tunnel, long tunnelId, String inner) {
    private static final int IPV4 = 0x0800;
    private static final int ARP = 0x0806;
    private static final int GRE = 47;
    private static final int UDP = 17;
    private static final int VXLAN_PORT = 4789;

    /**
     * Reads a captured underlay frame, checking its outer headers on the way (IPv4 length and header checksum, GRE
     * version 0 carrying Ethernet, UDP length, VXLAN flags).
     *
     * @throws IllegalArgumentException when it is not well-formed IPv4 carrying GRE or VXLAN (nothing else belongs on
     *     the underlay of these scenarios)
     */
    static OnWire of(CapturedFrame captured) {
        byte[] frame = captured.frame();
        MemorySegment s = MemorySegment.ofArray(frame);
        if (Bytes.u16(s, 12) != IPV4) {
            throw new IllegalArgumentException(
                    "not IPv4 on the underlay: ethertype 0x" + Integer.toHexString(Bytes.u16(s, 12)));
        }
        int ip = 14;
        int headerLength = (Bytes.u8(s, ip) & 0x0f) * 4;
        String source = Ipv4Address.format(Bytes.u32(s, ip + 12));
        String destination = Ipv4Address.format(Bytes.u32(s, ip + 16));
        int protocol = Bytes.u8(s, ip + 9);
        int l4 = ip + headerLength;
        check(Bytes.u16(s, ip + 2) == frame.length - ip, "IPv4 total length", captured);
        long sum = 0;
        for (int i = 0; i < headerLength; i += 2) {
            sum += Bytes.u16(s, ip + i);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        check(sum == 0xffff, "IPv4 header checksum", captured);
        return switch (protocol) {
            case GRE -> {
                int flags = Bytes.u16(s, l4);
                check((flags & 0x7) == 0, "GRE version 0", captured);
                check(Bytes.u16(s, l4 + 2) == 0x6558, "GRE protocol 0x6558 (Ethernet)", captured);
                int at = l4 + 4;
                if ((flags & 0x8000) != 0) {
                    at += 4; // checksum and reserved
                }
                long key = -1;
                if ((flags & 0x2000) != 0) {
                    key = Integer.toUnsignedLong(Bytes.u32(s, at));
                    at += 4;
                }
                if ((flags & 0x1000) != 0) {
                    at += 4; // sequence number
                }
                yield new OnWire(captured.timeNanos(), source, destination, "gre", key, inner(frame, at));
            }
            case UDP -> {
                int port = Bytes.u16(s, l4 + 2);
                if (port != VXLAN_PORT) {
                    throw new IllegalArgumentException("UDP to port " + port + " on the underlay, not VXLAN");
                }
                check(Bytes.u16(s, l4 + 4) == frame.length - l4, "UDP length", captured);
                check(Bytes.u32(s, l4 + 8) == 0x0800_0000, "VXLAN flags: I set, the rest zero", captured);
                check((Bytes.u32(s, l4 + 12) & 0xff) == 0, "VXLAN reserved byte zero", captured);
                long vni = Integer.toUnsignedLong(Bytes.u32(s, l4 + 8 + 4)) >>> 8;
                yield new OnWire(captured.timeNanos(), source, destination, "vxlan", vni, inner(frame, l4 + 16));
            }
            default -> throw new IllegalArgumentException("IP protocol " + protocol + " on the underlay");
        };
    }

    private static void check(boolean ok, String what, CapturedFrame captured) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "bad " + what + " in the " + captured.frame().length + "-byte frame on the wire at "
                            + captured.timeNanos() + " ns: " + HexFormat.of().formatHex(captured.frame()));
        }
    }

    /**
     * The tenant frame at {@code at}, as a line: its MACs, then {@code arp who-has 10.0.0.2 tell 10.0.0.1}, {@code arp
     * reply 10.0.0.2 is-at fa:16:3e:1f:19:55}, {@code icmp echo request 10.0.0.1 > 10.0.0.2}, {@code icmp echo reply
     * ...}, {@code udp 10.0.0.1:40000 > 10.0.0.2:7}, or {@code ethertype 0x86dd}.
     */
    static String inner(byte[] frame, int at) {
        MemorySegment s = MemorySegment.ofArray(frame);
        String macs = MacAddress.format(Bytes.mac(s, at + 6)) + " > " + MacAddress.format(Bytes.mac(s, at));
        int etherType = Bytes.u16(s, at + 12);
        int l3 = at + 14;
        String what;
        if (etherType == ARP) {
            int operation = Bytes.u16(s, l3 + 6);
            String sender = Ipv4Address.format(Bytes.u32(s, l3 + 14));
            String target = Ipv4Address.format(Bytes.u32(s, l3 + 24));
            what = switch (operation) {
                case 1 -> "arp who-has " + target + " tell " + sender;
                case 2 -> "arp reply " + sender + " is-at " + MacAddress.format(Bytes.mac(s, l3 + 8));
                default -> "arp operation " + operation;
            };
        } else if (etherType == IPV4) {
            String source = Ipv4Address.format(Bytes.u32(s, l3 + 12));
            String destination = Ipv4Address.format(Bytes.u32(s, l3 + 16));
            int l4 = l3 + (Bytes.u8(s, l3) & 0x0f) * 4;
            what = switch (Bytes.u8(s, l3 + 9)) {
                case 1 ->
                    switch (Bytes.u8(s, l4)) {
                        case 8 -> "icmp echo request " + source + " > " + destination;
                        case 0 -> "icmp echo reply " + source + " > " + destination;
                        default -> "icmp type " + Bytes.u8(s, l4) + " " + source + " > " + destination;
                    };
                case UDP -> "udp " + source + ":" + Bytes.u16(s, l4) + " > " + destination + ":" + Bytes.u16(s, l4 + 2);
                default -> "ip protocol " + Bytes.u8(s, l3 + 9) + " " + source + " > " + destination;
            };
        } else {
            what = "ethertype 0x" + Integer.toHexString(etherType);
        }
        return macs + " " + what;
    }

    /** {@code 192.168.1.100 > 192.168.1.101 gre 0x1388: fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff arp who-has ...}. */
    @Override
    public String toString() {
        return source + " > " + destination + " " + tunnel + " 0x" + Long.toHexString(tunnelId) + ": " + inner;
    }
}
