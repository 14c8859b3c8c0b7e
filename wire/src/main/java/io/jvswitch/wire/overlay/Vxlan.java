package io.jvswitch.wire.overlay;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * VXLAN header (RFC 7348 section 5), 8 bytes, carried in UDP to port {@link #PORT} and followed by the inner Ethernet
 * frame.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|                   Reserved                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The I flag (0x08 in the first byte) must be set for the 24-bit VNI to be valid; a packet without it is dropped
 * ({@link Malformed#VXLAN_NO_VNI_FLAG}). Every other bit is reserved: sent as zero and ignored on receipt, so {@link
 * #validate} accepts them; {@link #reservedBitsSet()} lets the caller count them, and a strict mode drop them
 * ({@link Malformed#VXLAN_RESERVED_BITS}). Extensions that reuse reserved bits (VXLAN-GPE, GBP) are not decoded.
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Accessors trust their input: call {@link #validate} first on bytes from the wire.
 */
public final class Vxlan {
    public static final int HEADER_LENGTH = 8;

    /** The IANA-assigned UDP destination port (the Linux kernel defaults to 8472 unless told {@code dstport 4789}). */
    public static final int PORT = 4789;

    /** I: the VNI is valid. */
    public static final int FLAG_VNI = 0x08;

    public static final int MAX_VNI = 0xffffff;

    /** Every bit of the 8-byte header except I and the VNI, as one big-endian 64-bit word. */
    private static final long RESERVED_MASK = ~(((long) FLAG_VNI << 56) | 0x00000000_ffffff00L);

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Vxlan wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks a VXLAN header at {@code offset}.
     *
     * @param available bytes from {@code offset} to the end of the UDP payload (further bytes of the segment are never
     *     read)
     * @return null when the header is usable, else {@link Malformed#VXLAN_TRUNCATED} (fewer than 8 bytes) or {@link
     *     Malformed#VXLAN_NO_VNI_FLAG} (I clear); reserved bits set are not a failure here
     */
    public static Malformed validate(MemorySegment segment, long offset, long available) {
        long limit = Math.min(available, segment.byteSize() - offset);
        if (offset < 0 || limit < HEADER_LENGTH) {
            return Malformed.VXLAN_TRUNCATED;
        }
        if ((Bytes.u8(segment, offset) & FLAG_VNI) == 0) {
            return Malformed.VXLAN_NO_VNI_FLAG;
        }
        return null;
    }

    /** The first byte: I and the seven reserved flag bits. */
    public int flags() {
        return Bytes.u8(segment, offset);
    }

    public boolean hasVni() {
        return (flags() & FLAG_VNI) != 0;
    }

    /** The 24-bit VXLAN Network Identifier. */
    public int vni() {
        return Bytes.u32(segment, offset + 4) >>> 8;
    }

    /** Sets the VNI (its low 24 bits); the reserved byte behind it is kept. */
    public Vxlan vni(int vni) {
        Bytes.u16(segment, offset + 4, vni >>> 8);
        Bytes.u8(segment, offset + 6, vni);
        return this;
    }

    /** True when any bit other than I and the VNI is set: reserved flags, the 24 reserved bits, the last byte. */
    public boolean reservedBitsSet() {
        return (Bytes.u64(segment, offset) & RESERVED_MASK) != 0;
    }

    /** Writes a whole header: I set, the VNI (its low 24 bits), every reserved bit zero. */
    public Vxlan write(int vni) {
        Bytes.u32(segment, offset, FLAG_VNI << 24);
        Bytes.u32(segment, offset + 4, vni << 8);
        return this;
    }
}
