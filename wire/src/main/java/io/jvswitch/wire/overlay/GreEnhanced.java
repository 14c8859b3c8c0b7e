package io.jvswitch.wire.overlay;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * Enhanced GRE header, version 1, as PPTP carries PPP frames in it (RFC 2637 section 4.1): 8 bytes, plus 4 for each
 * of sequence and acknowledgment number when present.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Key (HW) Payload Length    |       Key (LW) Call ID        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Sequence Number (optional)                   |   if S
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Acknowledgment Number (optional)                |   if A
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>RFC 2637 fixes most of it: C, R, s and Recur are 0, K is 1 (the key field is always there, split into the
 * payload length and the call ID), S is 1 when a PPP payload follows and 0 for a bare acknowledgment, A is 1 when the
 * acknowledgment number is present, Ver is 1 and the protocol type is PPP, 0x880b. The four Flags bits (9 to 12) must
 * be sent as zero; like version 0's reserved bits they are ignored here on receipt.
 *
 * <p>jvswitch recognises these packets so that it can name and count them ({@link Malformed#GRE_V1_NOT_TUNNELED});
 * it tunnels nothing over them. Dispatch on {@link Gre#version(MemorySegment, long)} before validating.
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Accessors trust their input: call {@link #validate} first on bytes from the wire.
 */
public final class GreEnhanced {
    public static final int MIN_HEADER_LENGTH = 8;
    public static final int MAX_HEADER_LENGTH = 16;

    /** A, acknowledgment number present (bit 8). */
    public static final int FLAG_ACK = 0x0080;

    public static final int VERSION = 1;
    public static final int PROTOCOL_PPP = 0x880b;

    /** C, R, s and the recursion count: any of them set breaks RFC 2637. */
    private static final int MUST_BE_ZERO =
            Gre.FLAG_CHECKSUM | Gre.FLAG_ROUTING | Gre.FLAG_STRICT_ROUTE | Gre.RECURSION_MASK;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public GreEnhanced wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks an enhanced (version 1) GRE header at {@code offset}.
     *
     * @param available bytes from {@code offset} to the end of the packet (further bytes of the segment are never
     *     read)
     * @return null when the header is well-formed, else {@link Malformed#GRE_TRUNCATED} (fewer than 4 bytes, or
     *     fewer than {@link #headerLength()}), {@link Malformed#GRE_BAD_VERSION} (version not 1) or {@link
     *     Malformed#GRE_V1_MALFORMED} (K clear, C, R, s or a recursion bit set, or a protocol type other than PPP);
     *     the payload length is not compared with the packet
     */
    public static Malformed validate(MemorySegment segment, long offset, long available) {
        long limit = Math.min(available, segment.byteSize() - offset);
        if (offset < 0 || limit < Gre.MIN_HEADER_LENGTH) {
            return Malformed.GRE_TRUNCATED;
        }
        int flags = Bytes.u16(segment, offset);
        if ((flags & Gre.VERSION_MASK) != VERSION) {
            return Malformed.GRE_BAD_VERSION;
        }
        if ((flags & Gre.FLAG_KEY) == 0
                || (flags & MUST_BE_ZERO) != 0
                || Bytes.u16(segment, offset + 2) != PROTOCOL_PPP) {
            return Malformed.GRE_V1_MALFORMED;
        }
        if (headerLength(flags) > limit) {
            return Malformed.GRE_TRUNCATED;
        }
        return null;
    }

    private static int headerLength(int flags) {
        return MIN_HEADER_LENGTH + ((flags & Gre.FLAG_SEQUENCE) != 0 ? 4 : 0) + ((flags & FLAG_ACK) != 0 ? 4 : 0);
    }

    /** The first 16 bits: flags and version. */
    public int flags() {
        return Bytes.u16(segment, offset);
    }

    public int version() {
        return flags() & Gre.VERSION_MASK;
    }

    public int protocol() {
        return Bytes.u16(segment, offset + 2);
    }

    public boolean hasSequence() {
        return (flags() & Gre.FLAG_SEQUENCE) != 0;
    }

    public boolean hasAcknowledgment() {
        return (flags() & FLAG_ACK) != 0;
    }

    /** This header's length in bytes: 8, 12 or 16. */
    public int headerLength() {
        return headerLength(flags());
    }

    /** Length of the PPP payload behind the header, in bytes (the key's high half). */
    public int payloadLength() {
        return Bytes.u16(segment, offset + 4);
    }

    public GreEnhanced payloadLength(int length) {
        Bytes.u16(segment, offset + 4, length);
        return this;
    }

    /** The peer's call ID for this PPTP session (the key's low half). */
    public int callId() {
        return Bytes.u16(segment, offset + 6);
    }

    public GreEnhanced callId(int callId) {
        Bytes.u16(segment, offset + 6, callId);
        return this;
    }

    /** The raw 32-bit sequence number (meaningful when {@link #hasSequence()}). */
    public int sequence() {
        return Bytes.u32(segment, offset + 8);
    }

    /** Sets the sequence number; the header must have S set. */
    public GreEnhanced sequence(int sequence) {
        Bytes.u32(segment, offset + 8, sequence);
        return this;
    }

    /** The raw 32-bit acknowledgment number (meaningful when {@link #hasAcknowledgment()}). */
    public int acknowledgment() {
        return Bytes.u32(segment, acknowledgmentAt());
    }

    /** Sets the acknowledgment number; the header must have A set. */
    public GreEnhanced acknowledgment(int acknowledgment) {
        Bytes.u32(segment, acknowledgmentAt(), acknowledgment);
        return this;
    }

    private long acknowledgmentAt() {
        return offset + ((flags() & Gre.FLAG_SEQUENCE) != 0 ? 12 : 8);
    }

    /**
     * Writes a whole header: K, the chosen S and A, version 1, protocol PPP, the payload length and call ID, and the
     * present sequence and acknowledgment numbers ({@code sequenceNumber} and {@code ackNumber} are ignored when
     * absent).
     */
    public GreEnhanced write(
            boolean sequence, boolean ack, int payloadLength, int callId, int sequenceNumber, int ackNumber) {
        int flags = Gre.FLAG_KEY | (sequence ? Gre.FLAG_SEQUENCE : 0) | (ack ? FLAG_ACK : 0) | VERSION;
        Bytes.u16(segment, offset, flags);
        Bytes.u16(segment, offset + 2, PROTOCOL_PPP);
        payloadLength(payloadLength).callId(callId);
        long at = offset + 8;
        if (sequence) {
            Bytes.u32(segment, at, sequenceNumber);
            at += 4;
        }
        if (ack) {
            Bytes.u32(segment, at, ackNumber);
        }
        return this;
    }
}
