package io.jvswitch.wire.l3;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * The ICMPv6 header (RFC 4443), 8 bytes. Unlike ICMP for IPv4, the checksum also covers the IPv6 pseudo-header
 * (RFC 8200 section 8.1): the caller sums it with {@link Checksum#ipv6PseudoHeader} and passes the partial sum in.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  Echo Request, Reply (128, 129)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              MTU                              |  Packet Too Big (2)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Reserved                            |  Neighbor Solicitation (135),
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  then the 16-byte target (RFC 4861)
 * |     Message body: echo data, the invoking packet, ...        ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Create one per thread and reuse it. Accessors do not check lengths: call {@link #validate}
 * before trusting a received header.
 *
 * <p>A checksum, given the {@link Ipv6} header {@code ip} and the ICMPv6 message length {@code length} (the upper-layer
 * packet length of RFC 8200 section 8.1):
 *
 * <pre>{@code
 * long pseudo = Checksum.ipv6PseudoHeader(
 *         segment, ip.sourceOffset(), ip.destinationOffset(), IpProtocol.ICMPV6, length);
 * icmp.updateChecksum(pseudo, length);
 * }</pre>
 */
public final class Icmpv6 {
    public static final int HEADER_LENGTH = 8;

    public static final int DESTINATION_UNREACHABLE = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int TIME_EXCEEDED = 3;
    public static final int PARAMETER_PROBLEM = 4;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    public static final int ROUTER_SOLICITATION = 133;
    public static final int ROUTER_ADVERTISEMENT = 134;
    public static final int NEIGHBOR_SOLICITATION = 135;
    public static final int NEIGHBOR_ADVERTISEMENT = 136;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Icmpv6 wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks that the 8-byte header fits in the {@code available} bytes from {@code offset}. The checksum is not
     * checked here (see {@link #checksumValid}). Never throws and never reads the segment.
     *
     * @return null when the header is whole, otherwise {@link Malformed#ICMP_TRUNCATED}
     */
    public static Malformed validate(MemorySegment segment, long offset, long available) {
        long limit = Math.min(available, segment.byteSize() - offset);
        if (offset < 0 || limit < HEADER_LENGTH) {
            return Malformed.ICMP_TRUNCATED;
        }
        return null;
    }

    public int type() {
        return Bytes.u8(segment, offset);
    }

    public Icmpv6 type(int type) {
        Bytes.u8(segment, offset, type);
        return this;
    }

    public int code() {
        return Bytes.u8(segment, offset + 1);
    }

    public Icmpv6 code(int code) {
        Bytes.u8(segment, offset + 1, code);
        return this;
    }

    public int checksum() {
        return Bytes.u16(segment, offset + 2);
    }

    public Icmpv6 checksum(int checksum) {
        Bytes.u16(segment, offset + 2, checksum);
        return this;
    }

    /** Echo identifier, bytes 4-5. */
    public int identifier() {
        return Bytes.u16(segment, offset + 4);
    }

    public Icmpv6 identifier(int identifier) {
        Bytes.u16(segment, offset + 4, identifier);
        return this;
    }

    /** Echo sequence number, bytes 6-7. */
    public int sequence() {
        return Bytes.u16(segment, offset + 6);
    }

    public Icmpv6 sequence(int sequence) {
        Bytes.u16(segment, offset + 6, sequence);
        return this;
    }

    /**
     * The MTU of a Packet Too Big message: the whole 32-bit second word (raw bits; every real MTU is positive as an
     * {@code int}).
     */
    public int mtu() {
        return Bytes.u32(segment, offset + 4);
    }

    public Icmpv6 mtu(int mtu) {
        Bytes.u32(segment, offset + 4, mtu);
        return this;
    }

    /** Offset in the segment of the first byte after the 8-byte header (for Neighbor Discovery, the target). */
    public long bodyOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Writes an echo request or reply header (code 0) with checksum 0; call {@link #updateChecksum} after the data. */
    public Icmpv6 writeEcho(int type, int identifier, int sequence) {
        return type(type).code(0).checksum(0).identifier(identifier).sequence(sequence);
    }

    /**
     * The checksum of the {@code length}-byte message from the header's start plus {@code pseudoHeaderSum}, computed
     * as if the checksum field were zero; writes nothing.
     */
    public int computeChecksum(long pseudoHeaderSum, int length) {
        long sum = Checksum.add(segment, offset, 2, pseudoHeaderSum);
        return Checksum.finish(Checksum.add(segment, offset + 4, length - 4, sum));
    }

    /** Computes the checksum and writes it. */
    public Icmpv6 updateChecksum(long pseudoHeaderSum, int length) {
        return checksum(computeChecksum(pseudoHeaderSum, length));
    }

    /** True when the pseudo-header and the {@code length}-byte message, checksum field included, sum to 0xffff. */
    public boolean checksumValid(long pseudoHeaderSum, int length) {
        return Checksum.verifies(segment, offset, length, pseudoHeaderSum);
    }
}
