package io.jvswitch.wire.l3;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The fixed IPv6 header (RFC 8200 section 3), 40 bytes. The Traffic Class is read as DSCP and ECN (RFC 2474,
 * RFC 3168). Extension headers that may follow are walked by {@link Ipv6Extensions}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |               Flow Label              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +                         Source Address                        +
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +                      Destination Address                      +
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *   Traffic Class = DSCP (6 bits) + ECN (2 bits).
 *   Payload Length: bytes after this 40-byte header, extensions included.
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Create one per thread and reuse it. Accessors do not check lengths: call {@link #validate}
 * before trusting a received header. An address is read as two {@code long}s, the high 64 bits (the prefix, first on
 * the wire) and the low 64 bits (the interface identifier); {@link #sourceOffset()} and {@link #destinationOffset()}
 * give its 16 bytes' place for checksums and printing.
 */
public final class Ipv6 {
    public static final int HEADER_LENGTH = 40;

    private static final int FLOW_LABEL_MASK = 0xfffff;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Ipv6 wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks the fixed header in the {@code available} bytes from {@code offset} (to the end of the frame): it fits,
     * the version is 6, and the payload length fits. Trailing bytes beyond the payload (Ethernet padding) are allowed.
     * A payload length of 0 is taken as an empty payload: jumbograms (RFC 2675) are not supported. Extension headers
     * are checked by {@link Ipv6Extensions#walk}. Never throws; never reads at or past {@code offset + available}.
     *
     * @return null when the header is well-formed, otherwise the {@link Malformed} reason
     */
    public static Malformed validate(MemorySegment segment, long offset, long available) {
        long limit = Math.min(available, segment.byteSize() - offset);
        if (offset < 0 || limit < HEADER_LENGTH) {
            return Malformed.IPV6_TRUNCATED;
        }
        if (Bytes.u8(segment, offset) >>> 4 != 6) {
            return Malformed.IPV6_BAD_VERSION;
        }
        if (HEADER_LENGTH + Bytes.u16(segment, offset + 4) > limit) {
            return Malformed.IPV6_BAD_PAYLOAD_LENGTH;
        }
        return null;
    }

    public int version() {
        return Bytes.u8(segment, offset) >>> 4;
    }

    /** Sets the version nibble, keeping traffic class and flow label (tests; {@link #writeHeader} writes 6). */
    public Ipv6 version(int version) {
        int word = Bytes.u32(segment, offset);
        Bytes.u32(segment, offset, (word & 0x0fffffff) | ((version & 0xf) << 28));
        return this;
    }

    /** The 8-bit Traffic Class (DSCP and ECN). */
    public int trafficClass() {
        return (Bytes.u32(segment, offset) >>> 20) & 0xff;
    }

    /** Sets the traffic class, keeping the version and flow label. */
    public Ipv6 trafficClass(int trafficClass) {
        int word = Bytes.u32(segment, offset);
        Bytes.u32(segment, offset, (word & 0xf00fffff) | ((trafficClass & 0xff) << 20));
        return this;
    }

    /** Differentiated Services codepoint, the high six bits of the traffic class. */
    public int dscp() {
        return trafficClass() >>> 2;
    }

    /** Sets the DSCP, keeping the ECN bits. */
    public Ipv6 dscp(int dscp) {
        return trafficClass(((dscp & 0x3f) << 2) | (trafficClass() & Ecn.MASK));
    }

    /** ECN codepoint, the low two bits of the traffic class (see {@link Ecn}). */
    public int ecn() {
        return trafficClass() & Ecn.MASK;
    }

    /** Sets the ECN codepoint, keeping the DSCP. */
    public Ipv6 ecn(int ecn) {
        return trafficClass((trafficClass() & ~Ecn.MASK) | (ecn & Ecn.MASK));
    }

    /** The 20-bit flow label (RFC 6437). */
    public int flowLabel() {
        return Bytes.u32(segment, offset) & FLOW_LABEL_MASK;
    }

    /** Sets the flow label, keeping the version and traffic class. */
    public Ipv6 flowLabel(int flowLabel) {
        int word = Bytes.u32(segment, offset);
        Bytes.u32(segment, offset, (word & ~FLOW_LABEL_MASK) | (flowLabel & FLOW_LABEL_MASK));
        return this;
    }

    /** Bytes after the fixed header, extension headers included. */
    public int payloadLength() {
        return Bytes.u16(segment, offset + 4);
    }

    public Ipv6 payloadLength(int length) {
        Bytes.u16(segment, offset + 4, length);
        return this;
    }

    /** Offset in the segment of the first byte after the fixed header. */
    public long payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** The first extension header's type or the upper-layer protocol (see {@link IpProtocol}). */
    public int nextHeader() {
        return Bytes.u8(segment, offset + 6);
    }

    public Ipv6 nextHeader(int nextHeader) {
        Bytes.u8(segment, offset + 6, nextHeader);
        return this;
    }

    public int hopLimit() {
        return Bytes.u8(segment, offset + 7);
    }

    public Ipv6 hopLimit(int hopLimit) {
        Bytes.u8(segment, offset + 7, hopLimit);
        return this;
    }

    /** Absolute offset in the segment of the source address's 16 bytes. */
    public long sourceOffset() {
        return offset + 8;
    }

    /** Absolute offset in the segment of the destination address's 16 bytes. */
    public long destinationOffset() {
        return offset + 24;
    }

    /** The source address's first 8 bytes, big-endian. */
    public long sourceHigh() {
        return Bytes.u64(segment, offset + 8);
    }

    /** The source address's last 8 bytes, big-endian. */
    public long sourceLow() {
        return Bytes.u64(segment, offset + 16);
    }

    public long destinationHigh() {
        return Bytes.u64(segment, offset + 24);
    }

    public long destinationLow() {
        return Bytes.u64(segment, offset + 32);
    }

    public Ipv6 source(long high, long low) {
        Bytes.u64(segment, offset + 8, high);
        Bytes.u64(segment, offset + 16, low);
        return this;
    }

    public Ipv6 destination(long high, long low) {
        Bytes.u64(segment, offset + 24, high);
        Bytes.u64(segment, offset + 32, low);
        return this;
    }

    /**
     * Copies a 16-byte address (as {@link io.jvswitch.wire.Ipv6Address#parse} returns) into the source field.
     *
     * @throws IllegalArgumentException when {@code address} is not 16 bytes long
     */
    public Ipv6 source(byte[] address) {
        copyAddress(address, offset + 8);
        return this;
    }

    /**
     * Copies a 16-byte address into the destination field.
     *
     * @throws IllegalArgumentException when {@code address} is not 16 bytes long
     */
    public Ipv6 destination(byte[] address) {
        copyAddress(address, offset + 24);
        return this;
    }

    private void copyAddress(byte[] address, long at) {
        if (address.length != 16) {
            throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + address.length);
        }
        MemorySegment.copy(address, 0, segment, ValueLayout.JAVA_BYTE, at, 16);
    }

    /** Writes the first 8 bytes of the header, version 6 included; the addresses are written separately. */
    public Ipv6 writeHeader(int trafficClass, int flowLabel, int payloadLength, int nextHeader, int hopLimit) {
        Bytes.u32(segment, offset, (6 << 28) | ((trafficClass & 0xff) << 20) | (flowLabel & FLOW_LABEL_MASK));
        return payloadLength(payloadLength).nextHeader(nextHeader).hopLimit(hopLimit);
    }
}
