package io.jvswitch.wire;

import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l2.Ethernet;
import io.jvswitch.wire.l2.VlanTag;
import io.jvswitch.wire.l3.Icmpv4;
import io.jvswitch.wire.l3.Icmpv6;
import io.jvswitch.wire.l3.IpProtocol;
import io.jvswitch.wire.l3.Ipv4;
import io.jvswitch.wire.l3.Ipv6;
import io.jvswitch.wire.l3.Ipv6Extensions;
import io.jvswitch.wire.l4.Tcp;
import io.jvswitch.wire.l4.Udp;
import io.jvswitch.wire.overlay.Gre;
import io.jvswitch.wire.overlay.GreEnhanced;
import java.lang.foreign.MemorySegment;

/**
 * Walks an Ethernet frame layer by layer — Ethernet, up to two VLAN tags, ARP or IPv4 or IPv6 (with its extension
 * headers), then TCP, UDP, ICMP, ICMPv6 or GRE — checking each header's structure before anything reads its fields.
 *
 * <p>{@link #parse} never throws and never reads past the frame: a malformed frame yields the {@link Malformed}
 * reason of the first header that is wrong. Payloads of unknown EtherTypes and IP protocols are not errors; parsing
 * stops there. The parser does not descend into tunnels: that is decapsulation's job.
 *
 * <p>One instance per thread; it holds scratch state and allocates nothing per packet.
 */
public final class PacketParser {
    private final boolean verifyIpv4Checksum;
    private final Ipv4 ipv4 = new Ipv4();
    private final Ipv6Extensions ipv6Extensions = new Ipv6Extensions();

    /** A parser that also rejects IPv4 headers whose checksum is wrong. */
    public PacketParser() {
        this(true);
    }

    public PacketParser(boolean verifyIpv4Checksum) {
        this.verifyIpv4Checksum = verifyIpv4Checksum;
    }

    /**
     * Parses the frame of {@code length} bytes at {@code start} into {@code out}.
     *
     * @return null when every header present is well-formed, else the first problem found; {@code out} then holds
     *     the layers found before it
     */
    public Malformed parse(MemorySegment segment, long start, int length, ParsedPacket out) {
        out.reset(start, length);
        if (length < Ethernet.HEADER_LENGTH) {
            return Malformed.ETHERNET_TRUNCATED;
        }
        long end = start + length;
        long at = start + 12; // the EtherType, or the first tag's TPID
        int type = Bytes.u16(segment, at);
        while (VlanTag.isTpid(type) && out.vlanCount < ParsedPacket.MAX_VLAN_TAGS) {
            if (end - at < VlanTag.HEADER_LENGTH + 2) {
                return Malformed.VLAN_TRUNCATED;
            }
            out.vlanTpid[out.vlanCount] = type;
            out.vlanTci[out.vlanCount] = Bytes.u16(segment, at + 2);
            out.vlanCount++;
            at += VlanTag.HEADER_LENGTH;
            type = Bytes.u16(segment, at);
        }
        out.etherType = type;
        long l3 = at + 2;
        return switch (type) {
            case Ethernet.TYPE_ARP -> parseArp(segment, l3, end, out);
            case Ethernet.TYPE_IPV4 -> parseIpv4(segment, l3, end, out);
            case Ethernet.TYPE_IPV6 -> parseIpv6(segment, l3, end, out);
            default -> null;
        };
    }

    /**
     * Parses a bare IP packet (no Ethernet header), as an L3 tunnel carries: IPv4 or IPv6 by the version nibble.
     * {@link ParsedPacket#etherType()} is set as if an Ethernet header had said it.
     */
    public Malformed parseIp(MemorySegment segment, long start, int length, ParsedPacket out) {
        out.reset(start, length);
        if (length < 1) {
            return Malformed.IPV4_TRUNCATED;
        }
        long end = start + length;
        int version = Bytes.u8(segment, start) >>> 4;
        if (version == 6) {
            out.etherType = Ethernet.TYPE_IPV6;
            return parseIpv6(segment, start, end, out);
        }
        out.etherType = Ethernet.TYPE_IPV4;
        return parseIpv4(segment, start, end, out);
    }

    private static Malformed parseArp(MemorySegment segment, long l3, long end, ParsedPacket out) {
        Malformed problem = Arp.validate(segment, l3, end - l3);
        if (problem == null) {
            out.l3Offset = l3;
        }
        return problem;
    }

    private Malformed parseIpv4(MemorySegment segment, long l3, long end, ParsedPacket out) {
        Malformed problem = Ipv4.validate(segment, l3, end - l3);
        if (problem != null) {
            return problem;
        }
        Ipv4 ip = ipv4.wrap(segment, l3);
        if (verifyIpv4Checksum && !ip.checksumValid()) {
            return Malformed.IPV4_BAD_CHECKSUM;
        }
        out.l3Offset = l3;
        out.ipVersion = 4;
        out.ipEnd = l3 + ip.totalLength();
        out.ipProtocol = ip.protocol();
        out.fragment = ip.isFragment();
        out.laterFragment = ip.fragmentOffset() != 0;
        if (out.laterFragment) {
            return null;
        }
        return parseUpperLayer(segment, l3 + ip.headerLength(), out);
    }

    private Malformed parseIpv6(MemorySegment segment, long l3, long end, ParsedPacket out) {
        Malformed problem = Ipv6.validate(segment, l3, end - l3);
        if (problem != null) {
            return problem;
        }
        long ipEnd = l3 + Ipv6.HEADER_LENGTH + Bytes.u16(segment, l3 + 4);
        out.l3Offset = l3;
        out.ipVersion = 6;
        out.ipEnd = ipEnd;
        problem = ipv6Extensions.walk(segment, l3, ipEnd);
        if (problem != null) {
            return problem;
        }
        out.ipProtocol = ipv6Extensions.upperProtocol();
        out.fragment = ipv6Extensions.isFragment();
        out.laterFragment = ipv6Extensions.isFragment() && ipv6Extensions.fragmentOffset() != 0;
        long upper = ipv6Extensions.upperOffset();
        return upper < 0 ? null : parseUpperLayer(segment, upper, out);
    }

    private static Malformed parseUpperLayer(MemorySegment segment, long l4, ParsedPacket out) {
        long available = out.ipEnd - l4;
        Malformed problem = switch (out.ipProtocol) {
            case IpProtocol.TCP -> Tcp.validate(segment, l4, available);
            case IpProtocol.UDP -> validateUdp(segment, l4, available, out.fragment);
            case IpProtocol.ICMP -> Icmpv4.validate(segment, l4, available);
            case IpProtocol.ICMPV6 -> Icmpv6.validate(segment, l4, available);
            case IpProtocol.GRE -> validateGre(segment, l4, available);
            default -> null;
        };
        if (problem == null) {
            out.l4Offset = l4;
        }
        return problem;
    }

    /**
     * A first fragment's UDP length counts the whole datagram, which is longer than the fragment: only the header
     * must be whole there (as Open vSwitch and Linux check it before reassembly). Elsewhere the length must fit.
     */
    private static Malformed validateUdp(MemorySegment segment, long offset, long available, boolean fragment) {
        Malformed problem = Udp.validate(segment, offset, available);
        if (problem == Malformed.UDP_BAD_LENGTH && fragment && Bytes.u16(segment, offset + 4) >= Udp.HEADER_LENGTH) {
            return null;
        }
        return problem;
    }

    private static Malformed validateGre(MemorySegment segment, long offset, long available) {
        if (available < Gre.MIN_HEADER_LENGTH) {
            return Malformed.GRE_TRUNCATED;
        }
        return Gre.version(segment, offset) == 1
                ? GreEnhanced.validate(segment, offset, available)
                : Gre.validate(segment, offset, available);
    }
}
