package io.jvswitch.tunnel;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.l2.Ethernet;
import java.lang.foreign.MemorySegment;

/**
 * A quick look at the packet about to be encapsulated: where its IP header is (for ECN, ToS and TTL inheritance)
 * and a hash of its flow (for the UDP source port, RFC 7348 section 5, and the IPv6 flow label, RFC 6438).
 *
 * <p>The hash covers the MAC addresses, VLAN IDs and EtherType, the IP addresses and protocol, and TCP/UDP/SCTP ports
 * when present (not in fragments, so that all of a datagram's fragments take one path). It is built from a few wide
 * loads multiplied in independent lanes, then mixed once: this runs for every encapsulated packet. Every read is
 * checked against the packet's length: a short or odd frame still encapsulates, with whatever fields it has hashed.
 * One instance per thread.
 */
public final class InnerFlow {
    private static final long K1 = 0x9e3779b97f4a7c15L;
    private static final long K2 = 0xc2b2ae3d27d4eb4fL;
    private static final long K3 = 0x165667b19e3779f9L;
    private static final long K4 = 0xd6e8feb86659fd93L;
    private static final long K5 = 0xff51afd7ed558ccdL;

    private int ipOffset;
    private int ipVersion;
    private int tos;
    private int ttl;
    private int hash;

    /** Looks at an Ethernet frame. */
    public InnerFlow ofEthernet(MemorySegment segment, long start, int length) {
        // The common case in straight-line code the JIT compiles well: an untagged IPv4 packet without options,
        // read in five wide loads (the first two overlap: destination, source and EtherType in 16 bytes). Each load
        // carries a bounds and liveness check, so fewer, wider loads are what keep this fast.
        if (length >= 38) {
            long destination = Bytes.u64(segment, start);
            long sourceAndType = Bytes.u64(segment, start + 6);
            long ipWords01 = Bytes.u64(segment, start + 14); // version/IHL, ToS, total length, ID, flags/fragment
            if ((sourceAndType & 0xffff) == Ethernet.TYPE_IPV4 && (ipWords01 >>> 56) == 0x45) {
                long ttlProtocolSource = Bytes.u64(segment, start + 22); // TTL, protocol, checksum, source
                long destinationPorts = Bytes.u64(segment, start + 30); // destination, then the L4 ports
                int protocol = (int) (ttlProtocolSource >>> 48) & 0xff;
                boolean fragment = (ipWords01 & 0x3fff) != 0;
                boolean hasPorts = !fragment && (protocol == 6 || protocol == 17 || protocol == 132);
                long addresses = (ttlProtocolSource << 32) | (destinationPorts >>> 32);
                long ports = hasPorts ? destinationPorts & 0xffffffffL : 0;
                ipOffset = Ethernet.HEADER_LENGTH;
                ipVersion = 4;
                tos = (int) (ipWords01 >>> 48) & 0xff;
                ttl = (int) (ttlProtocolSource >>> 56);
                long l2 = destination * K1 + sourceAndType * K2;
                long l3 = addresses * K3 + (((long) protocol << 32) | ports) * K4;
                hash = finish(l2 ^ l3);
                return this;
            }
        }
        return ofEthernetGeneral(segment, start, length);
    }

    /**
     * Looks at an Ethernet frame's IP header only (ToS, TTL, version) and leaves {@link #hash()} undefined: for
     * tunnels with no use for the hash (GRE over IPv4 has neither a UDP source port nor a flow label to fill), which
     * saves most of the work of {@link #ofEthernet}.
     */
    public InnerFlow ipHeaderOfEthernet(MemorySegment segment, long start, int length) {
        if (length >= 34) {
            // Bytes 8 to 15: the end of the source address, the EtherType, IPv4's version/IHL and ToS.
            long typeAndIp = Bytes.u64(segment, start + 8);
            if (((typeAndIp >>> 16) & 0xffff) == Ethernet.TYPE_IPV4 && ((typeAndIp >>> 12) & 0xf) == 4) {
                ipOffset = Ethernet.HEADER_LENGTH;
                ipVersion = 4;
                tos = (int) typeAndIp & 0xff;
                ttl = Bytes.u8(segment, start + 22);
                return this;
            }
        }
        return ofEthernetGeneral(segment, start, length);
    }

    /**
     * Every other frame: short, tagged, IPv6, IPv4 with options, or not IP at all. Package-private for the test that
     * holds the fast path to the same results.
     */
    InnerFlow ofEthernetGeneral(MemorySegment segment, long start, int length) {
        ipOffset = -1;
        ipVersion = 0;
        tos = 0;
        ttl = -1;
        if (length < Ethernet.HEADER_LENGTH) {
            hash = length;
            return this;
        }
        long destination = Bytes.u64(segment, start);
        long source = Bytes.u64(segment, start + 6) >>> 16;
        int at = 12;
        int type = Bytes.u16(segment, start + at);
        long vlans = 0;
        for (int tags = 0; tags < 2 && (type == Ethernet.TYPE_VLAN || type == Ethernet.TYPE_QINQ); tags++) {
            if (at + 6 > length) {
                break;
            }
            vlans = (vlans << 12) | (Bytes.u16(segment, start + at + 2) & 0x0fff);
            at += 4;
            type = Bytes.u16(segment, start + at);
        }
        // Untagged frames hash as on the fast path: (source << 16 | type) is what its second load reads.
        long l2 = destination * K1 + (((source << 16) | type) ^ (vlans << 40)) * K2;
        long l3 = 0;
        at += 2;
        if (type == Ethernet.TYPE_IPV4 || type == Ethernet.TYPE_IPV6) {
            l3 = ip(segment, start, at, length);
        }
        hash = finish(l2 ^ l3);
        return this;
    }

    /** Looks at a bare IP packet (an L3 tunnel's payload). */
    public InnerFlow ofIp(MemorySegment segment, long start, int length) {
        ipOffset = -1;
        ipVersion = 0;
        tos = 0;
        ttl = -1;
        hash = finish(length > 0 ? ip(segment, start, 0, length) : length);
        return this;
    }

    /** The IP part of the hash; records where the IP header is. */
    private long ip(MemorySegment segment, long start, int at, int length) {
        if (at + 4 > length) {
            return 0;
        }
        long ip = start + at;
        int word0 = Bytes.u32(segment, ip);
        int version = word0 >>> 28;
        long addresses;
        int protocol;
        int l4;
        if (version == 4 && at + 20 <= length) {
            int word2 = Bytes.u32(segment, ip + 8); // TTL, protocol, checksum
            ipOffset = at;
            ipVersion = 4;
            tos = (word0 >>> 16) & 0xff;
            ttl = word2 >>> 24;
            protocol = (word2 >>> 16) & 0xff;
            addresses = Bytes.u64(segment, ip + 12) * K3;
            boolean fragment = (Bytes.u32(segment, ip + 4) & 0x3fff) != 0; // MF or an offset
            l4 = fragment ? -1 : at + ((word0 >>> 24) & 0xf) * 4;
        } else if (version == 6 && at + 40 <= length) {
            int word1 = Bytes.u32(segment, ip + 4); // payload length, next header, hop limit
            ipOffset = at;
            ipVersion = 6;
            tos = (word0 >>> 20) & 0xff;
            ttl = word1 & 0xff;
            protocol = (word1 >>> 8) & 0xff;
            addresses = (Bytes.u64(segment, ip + 8) ^ Bytes.u64(segment, ip + 24)) * K3
                    + (Bytes.u64(segment, ip + 16) ^ Bytes.u64(segment, ip + 32)) * K1
                    + (word0 & 0xfffff); // the flow label, when the sender set one
            l4 = at + 40; // extension headers are not walked: such flows hash by addresses alone
        } else {
            return 0;
        }
        long ports = 0;
        boolean hasPorts = protocol == 6 || protocol == 17 || protocol == 132;
        if (hasPorts && l4 >= 0 && l4 + 4 <= length) {
            ports = Integer.toUnsignedLong(Bytes.u32(segment, start + l4));
        }
        return addresses + (((long) protocol << 32) | ports) * K4;
    }

    private static int finish(long h) {
        h ^= h >>> 32;
        h *= K5;
        h ^= h >>> 29;
        return (int) h;
    }

    /** Offset of the inner IP header from the packet's start, or -1 when the packet is not IP. */
    public int ipOffset() {
        return ipOffset;
    }

    /** 4, 6, or 0 when the packet is not IP. */
    public int ipVersion() {
        return ipVersion;
    }

    /** The inner ToS or traffic class byte (DSCP and ECN); 0 when the packet is not IP. */
    public int tos() {
        return tos;
    }

    /** The inner TTL or hop limit, or -1 when the packet is not IP. */
    public int ttl() {
        return ttl;
    }

    /** The flow hash: equal for every packet of one flow. */
    public int hash() {
        return hash;
    }

    /** A port in {@code [min, max]} chosen by the hash (multiply-shift, no division). */
    public static int sourcePort(int hash, int min, int max) {
        long range = max - min + 1L;
        return min + (int) (((hash & 0xffffffffL) * range) >>> 32);
    }
}
