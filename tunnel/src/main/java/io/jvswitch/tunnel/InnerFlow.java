package io.jvswitch.tunnel;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.l2.Ethernet;
import java.lang.foreign.MemorySegment;

/**
 * A quick look at the packet about to be encapsulated: where its IP header is (for ECN, ToS and TTL inheritance)
 * and a hash of its flow (for the UDP source port, RFC 7348 section 5, and the IPv6 flow label, RFC 6438).
 *
 * <p>The hash covers the MAC addresses and EtherType, the IP addresses and protocol, and TCP/UDP/SCTP ports when
 * present, so that one inner flow always takes one outer path. Every read is checked against the packet's length:
 * a short or odd frame still encapsulates, with whatever fields it has hashed. One instance per thread.
 */
public final class InnerFlow {
    private int ipOffset;
    private int ipVersion;
    private int hash;

    /** Looks at an Ethernet frame. */
    public InnerFlow ofEthernet(MemorySegment segment, long start, int length) {
        ipOffset = -1;
        ipVersion = 0;
        long h = 0;
        if (length < Ethernet.HEADER_LENGTH) {
            hash = 0;
            return this;
        }
        h = mix(h, Bytes.mac(segment, start));
        h = mix(h, Bytes.mac(segment, start + 6));
        int at = 12;
        int type = Bytes.u16(segment, start + at);
        for (int tags = 0; tags < 2 && (type == Ethernet.TYPE_VLAN || type == Ethernet.TYPE_QINQ); tags++) {
            if (at + 6 > length) {
                break;
            }
            h = mix(h, Bytes.u16(segment, start + at + 2) & 0x0fff);
            at += 4;
            type = Bytes.u16(segment, start + at);
        }
        h = mix(h, type);
        at += 2;
        if (type == Ethernet.TYPE_IPV4 || type == Ethernet.TYPE_IPV6) {
            h = ip(segment, start, at, length, h);
        }
        hash = finish(h);
        return this;
    }

    /** Looks at a bare IP packet (an L3 tunnel's payload). */
    public InnerFlow ofIp(MemorySegment segment, long start, int length) {
        ipOffset = -1;
        ipVersion = 0;
        hash = finish(length > 0 ? ip(segment, start, 0, length, 0) : 0);
        return this;
    }

    private long ip(MemorySegment segment, long start, int at, int length, long h) {
        if (at + 1 > length) {
            return h;
        }
        int version = Bytes.u8(segment, start + at) >>> 4;
        int protocol;
        int l4;
        if (version == 4 && at + 20 <= length) {
            ipOffset = at;
            ipVersion = 4;
            h = mix(h, Bytes.u64(segment, start + at + 12)); // source and destination
            protocol = Bytes.u8(segment, start + at + 9);
            boolean laterFragment = (Bytes.u16(segment, start + at + 6) & 0x1fff) != 0;
            boolean fragment = laterFragment || (Bytes.u16(segment, start + at + 6) & 0x2000) != 0;
            l4 = fragment ? -1 : at + (Bytes.u8(segment, start + at) & 0xf) * 4;
        } else if (version == 6 && at + 40 <= length) {
            ipOffset = at;
            ipVersion = 6;
            h = mix(h, Bytes.u64(segment, start + at + 8));
            h = mix(h, Bytes.u64(segment, start + at + 16));
            h = mix(h, Bytes.u64(segment, start + at + 24));
            h = mix(h, Bytes.u64(segment, start + at + 32));
            h = mix(h, Bytes.u32(segment, start + at) & 0xfffff); // the flow label, when the sender set one
            protocol = Bytes.u8(segment, start + at + 6);
            l4 = at + 40; // extension headers are not walked: their flows hash by addresses alone
        } else {
            return h;
        }
        h = mix(h, protocol);
        boolean hasPorts = protocol == 6 || protocol == 17 || protocol == 132;
        if (hasPorts && l4 >= 0 && l4 + 4 <= length) {
            h = mix(h, Bytes.u32(segment, start + l4));
        }
        return h;
    }

    private static long mix(long h, long value) {
        h = (h ^ value) * 0x9e3779b97f4a7c15L;
        return h ^ (h >>> 29);
    }

    private static int finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
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
