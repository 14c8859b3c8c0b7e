package io.jvswitch.wire.overlay;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * GRE header, version 0 (RFC 2784), with the key and sequence number extensions of RFC 2890: 4 bytes, plus 4 for
 * each of checksum, key and sequence number when present, in that order.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|s|Recur|Reserved0| Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum (optional)      |       Reserved1 (optional)    |   if C
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Key (optional)                        |   if K
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Sequence Number (optional)                    |   if S
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>RFC 2784 names bits 1 to 12 "Reserved0"; the letters above are what the older RFC 1701 put there, and RFC 2890
 * reclaims bits 2 (K, key present) and 3 (S, sequence number present). The rules a receiver follows:
 *
 * <ul>
 *   <li>bit 0, C: the checksum and Reserved1 words follow;
 *   <li>bits 1 (R, routing present), 4 (s, strict source route) and 5 (the top bit of the recursion count) set: the
 *       packet MUST be discarded (RFC 2784 section 2.3, for a receiver that does not implement RFC 1701), {@link
 *       Malformed#GRE_RESERVED_BITS};
 *   <li>bits 6 to 12: MUST be ignored on receipt (and sent as zero);
 *   <li>bits 13 to 15, Ver: 0 here; 1 is the enhanced GRE of PPTP ({@link GreEnhanced}). {@link #version(MemorySegment,
 *       long)} reads it before either is validated.
 * </ul>
 *
 * <p>The protocol type is an EtherType: {@link #PROTOCOL_TEB} for an Ethernet frame (what Open vSwitch's GRE ports
 * carry), {@link #PROTOCOL_IPV4} or {@link #PROTOCOL_IPV6} for a bare IP packet. The checksum, when present, is the
 * Internet checksum of the GRE header and payload with no pseudo-header. The key identifies the tunnel's network (the
 * {@code tun_id}, 0x1388 = 5000 in the tutorial); key and sequence number are raw 32 bits in an {@code int}.
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Accessors trust their input: call {@link #validate} first on bytes from the wire. The
 * optional fields are found from the flags, so write the flags (with {@link #write}) before {@link #checksum(int)},
 * {@link #key(int)} or {@link #sequence(int)}.
 */
public final class Gre {
    public static final int FLAG_CHECKSUM = 0x8000;
    public static final int FLAG_ROUTING = 0x4000;
    public static final int FLAG_KEY = 0x2000;
    public static final int FLAG_SEQUENCE = 0x1000;
    /** s, RFC 1701's strict source route bit (bit 4). */
    public static final int FLAG_STRICT_ROUTE = 0x0800;
    /** The three bits of RFC 1701's recursion control (bits 5 to 7). */
    public static final int RECURSION_MASK = 0x0700;
    /** Bits 1, 4 and 5: a version 0 receiver discards a packet with any of them set (RFC 2784 section 2.3). */
    public static final int DISCARD_MASK = FLAG_ROUTING | FLAG_STRICT_ROUTE | 0x0400;
    /** Bits 6 to 12: sent as zero, ignored on receipt. */
    public static final int IGNORED_MASK = 0x03f8;

    public static final int VERSION_MASK = 0x0007;

    public static final int MIN_HEADER_LENGTH = 4;
    public static final int MAX_HEADER_LENGTH = 16;

    /** Transparent Ethernet Bridging: the payload is an Ethernet frame. */
    public static final int PROTOCOL_TEB = 0x6558;

    public static final int PROTOCOL_IPV4 = 0x0800;
    public static final int PROTOCOL_IPV6 = 0x86dd;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Gre wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    /**
     * The version field (the low three bits of the second byte) of a GRE header at {@code offset}, so that a caller
     * can choose between this class and {@link GreEnhanced} before validating; -1 when the segment ends before that
     * byte. Never throws; the version it returns is checked again by the chosen class's {@code validate}.
     */
    public static int version(MemorySegment segment, long offset) {
        if (offset < 0 || offset > segment.byteSize() - 2) {
            return -1;
        }
        return Bytes.u8(segment, offset + 1) & VERSION_MASK;
    }

    /** Header length in bytes for the given optional fields: 4, 8, 12 or 16. */
    public static int headerLength(boolean checksum, boolean key, boolean sequence) {
        return MIN_HEADER_LENGTH + (checksum ? 4 : 0) + (key ? 4 : 0) + (sequence ? 4 : 0);
    }

    /**
     * Checks a version 0 GRE header at {@code offset}.
     *
     * @param available bytes from {@code offset} to the end of the packet (further bytes of the segment are never
     *     read)
     * @return null when the header is well-formed, else {@link Malformed#GRE_TRUNCATED} (fewer than 4 bytes, or
     *     fewer than {@link #headerLength()}), {@link Malformed#GRE_BAD_VERSION} (version not 0) or {@link
     *     Malformed#GRE_RESERVED_BITS} (bit 1, 4 or 5 set); the checksum and the protocol type are not checked
     */
    public static Malformed validate(MemorySegment segment, long offset, long available) {
        long limit = Math.min(available, segment.byteSize() - offset);
        if (offset < 0 || limit < MIN_HEADER_LENGTH) {
            return Malformed.GRE_TRUNCATED;
        }
        int flags = Bytes.u16(segment, offset);
        if ((flags & VERSION_MASK) != 0) {
            return Malformed.GRE_BAD_VERSION;
        }
        if ((flags & DISCARD_MASK) != 0) {
            return Malformed.GRE_RESERVED_BITS;
        }
        if (headerLength(flags) > limit) {
            return Malformed.GRE_TRUNCATED;
        }
        return null;
    }

    private static int headerLength(int flags) {
        return MIN_HEADER_LENGTH + 4 * Integer.bitCount(flags & (FLAG_CHECKSUM | FLAG_KEY | FLAG_SEQUENCE));
    }

    /** The first 16 bits: flags, reserved bits and version. */
    public int flags() {
        return Bytes.u16(segment, offset);
    }

    /** Sets the first 16 bits as they are (flags, reserved bits and version); see {@link #write} for a header. */
    public Gre flags(int flags) {
        Bytes.u16(segment, offset, flags);
        return this;
    }

    public int version() {
        return flags() & VERSION_MASK;
    }

    /** The protocol type of the payload, an EtherType ({@link #PROTOCOL_TEB}, ...). */
    public int protocol() {
        return Bytes.u16(segment, offset + 2);
    }

    public Gre protocol(int protocol) {
        Bytes.u16(segment, offset + 2, protocol);
        return this;
    }

    public boolean hasChecksum() {
        return (flags() & FLAG_CHECKSUM) != 0;
    }

    public boolean hasKey() {
        return (flags() & FLAG_KEY) != 0;
    }

    public boolean hasSequence() {
        return (flags() & FLAG_SEQUENCE) != 0;
    }

    /** This header's length in bytes, from its C, K and S bits; the payload starts this far from {@link #offset()}. */
    public int headerLength() {
        return headerLength(flags());
    }

    /** The checksum field (meaningful when {@link #hasChecksum()}). */
    public int checksum() {
        return Bytes.u16(segment, offset + 4);
    }

    /** Sets the checksum field; the header must have C set. */
    public Gre checksum(int checksum) {
        Bytes.u16(segment, offset + 4, checksum);
        return this;
    }

    /** The raw 32-bit key (meaningful when {@link #hasKey()}). */
    public int key() {
        return Bytes.u32(segment, keyAt());
    }

    /** Sets the key; the header must have K set. */
    public Gre key(int key) {
        Bytes.u32(segment, keyAt(), key);
        return this;
    }

    /** The raw 32-bit sequence number (meaningful when {@link #hasSequence()}). */
    public int sequence() {
        return Bytes.u32(segment, sequenceAt());
    }

    /** Sets the sequence number; the header must have S set. */
    public Gre sequence(int sequence) {
        Bytes.u32(segment, sequenceAt(), sequence);
        return this;
    }

    private long keyAt() {
        return offset + ((flags() & FLAG_CHECKSUM) != 0 ? 8 : 4);
    }

    private long sequenceAt() {
        int flags = flags();
        return offset + 4 + ((flags & FLAG_CHECKSUM) != 0 ? 4 : 0) + ((flags & FLAG_KEY) != 0 ? 4 : 0);
    }

    /**
     * Writes a whole version 0 header of {@link #headerLength(boolean, boolean, boolean)} bytes: the chosen flags,
     * reserved bits zero, the protocol type, and the present optional fields. The checksum and Reserved1 are written
     * as zero: fill the checksum in with {@link #updateChecksum} once the payload is in place. {@code key} and {@code
     * sequence} are ignored when their field is absent.
     */
    public Gre write(boolean withChecksum, boolean withKey, boolean withSequence, int protocol, int key, int sequence) {
        int flags = (withChecksum ? FLAG_CHECKSUM : 0) | (withKey ? FLAG_KEY : 0) | (withSequence ? FLAG_SEQUENCE : 0);
        Bytes.u16(segment, offset, flags);
        Bytes.u16(segment, offset + 2, protocol);
        long at = offset + 4;
        if (withChecksum) {
            Bytes.u32(segment, at, 0);
            at += 4;
        }
        if (withKey) {
            Bytes.u32(segment, at, key);
            at += 4;
        }
        if (withSequence) {
            Bytes.u32(segment, at, sequence);
        }
        return this;
    }

    /**
     * The Internet checksum (RFC 1071) of {@code length} bytes from the start of this header, the payload included,
     * counting the checksum field as zero (when C is set; the field itself is not changed). There is no
     * pseudo-header. Zero is a valid result: whether a checksum is present is told by C, not by the value.
     */
    public int computeChecksum(int length) {
        long sum;
        if (hasChecksum()) {
            sum = Checksum.add(segment, offset, 4, 0);
            sum = Checksum.add(segment, offset + 6, length - 6, sum);
        } else {
            sum = Checksum.add(segment, offset, length, 0);
        }
        return Checksum.finish(sum);
    }

    /** Writes {@link #computeChecksum} into the checksum field; the header must have C set. */
    public Gre updateChecksum(int length) {
        return checksum(computeChecksum(length));
    }

    /**
     * True when C is set and the {@code length} bytes from this header on, checksum field included, sum to 0xffff;
     * false when there is no checksum (the caller decides whether it requires one).
     */
    public boolean checksumValid(int length) {
        return hasChecksum() && Checksum.verifies(segment, offset, length, 0);
    }
}
