package io.jvswitch.wire.l3;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * The ICMP header (RFC 792), 8 bytes; the checksum covers the whole ICMP message, with no pseudo-header. The second
 * word depends on the type: identifier and sequence number for echo, the next-hop MTU for "fragmentation needed"
 * (RFC 1191), unused for the other errors.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  Echo, Echo Reply (types 8, 0)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           unused (0)          |         Next-Hop MTU          |  Destination Unreachable,
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  code 4 (type 3)
 * |     Data: echo payload, or the invoking IP header + 64 bits  ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Create one per thread and reuse it. Accessors do not check lengths: call {@link #validate}
 * before trusting a received header. The checksum methods take the message length (IP payload length) because the
 * header does not carry it.
 */
public final class Icmpv4 {
    public static final int HEADER_LENGTH = 8;

    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;

    /** Destination Unreachable codes (RFC 792). */
    public static final int CODE_NET_UNREACHABLE = 0;

    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    /** Fragmentation needed and DF set: the message carries the next-hop MTU (RFC 1191). */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Icmpv4 wrap(MemorySegment segment, long offset) {
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

    public Icmpv4 type(int type) {
        Bytes.u8(segment, offset, type);
        return this;
    }

    public int code() {
        return Bytes.u8(segment, offset + 1);
    }

    public Icmpv4 code(int code) {
        Bytes.u8(segment, offset + 1, code);
        return this;
    }

    public int checksum() {
        return Bytes.u16(segment, offset + 2);
    }

    public Icmpv4 checksum(int checksum) {
        Bytes.u16(segment, offset + 2, checksum);
        return this;
    }

    /** Echo identifier, bytes 4-5. */
    public int identifier() {
        return Bytes.u16(segment, offset + 4);
    }

    public Icmpv4 identifier(int identifier) {
        Bytes.u16(segment, offset + 4, identifier);
        return this;
    }

    /** Echo sequence number, bytes 6-7. */
    public int sequence() {
        return Bytes.u16(segment, offset + 6);
    }

    public Icmpv4 sequence(int sequence) {
        Bytes.u16(segment, offset + 6, sequence);
        return this;
    }

    /** Next-hop MTU of a "fragmentation needed" message, bytes 6-7 (RFC 1191); the same bytes as the sequence. */
    public int nextHopMtu() {
        return Bytes.u16(segment, offset + 6);
    }

    public Icmpv4 nextHopMtu(int mtu) {
        Bytes.u16(segment, offset + 6, mtu);
        return this;
    }

    /** The whole second word, bytes 4-7 (raw bits), for types whose layout is not named here. */
    public int restOfHeader() {
        return Bytes.u32(segment, offset + 4);
    }

    public Icmpv4 restOfHeader(int value) {
        Bytes.u32(segment, offset + 4, value);
        return this;
    }

    /** Offset in the segment of the first byte after the 8-byte header: echo data, or the invoking packet. */
    public long dataOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Writes an echo request or reply header (code 0) with checksum 0; call {@link #updateChecksum} after the data. */
    public Icmpv4 writeEcho(int type, int identifier, int sequence) {
        return type(type).code(0).checksum(0).identifier(identifier).sequence(sequence);
    }

    /**
     * The checksum of the {@code length}-byte message from the header's start, computed as if the checksum field
     * were zero; writes nothing.
     */
    public int computeChecksum(int length) {
        long sum = Checksum.add(segment, offset, 2, 0);
        return Checksum.finish(Checksum.add(segment, offset + 4, length - 4, sum));
    }

    /** Computes the checksum of the {@code length}-byte message and writes it. */
    public Icmpv4 updateChecksum(int length) {
        return checksum(computeChecksum(length));
    }

    /** True when the {@code length}-byte message, checksum field included, sums to 0xffff. */
    public boolean checksumValid(int length) {
        return Checksum.verifies(segment, offset, length, 0);
    }
}
