package io.jvswitch.wire.l3;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * The IPv4 header (RFC 791), 20 bytes plus up to 40 bytes of options. The TOS byte is read as DSCP and ECN (RFC 2474,
 * RFC 3168).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |0|D|M|     Fragment Offset     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *   IHL: header length in 32-bit words (5-15).  D: Don't Fragment.
 *   M: More Fragments.  Fragment Offset: in units of 8 bytes.
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Create one per thread and reuse it. Accessors do not check lengths: call {@link #validate}
 * before trusting a received header. Addresses are {@code int}s with the first octet in the high byte. Setters do not
 * touch the checksum: call {@link #updateChecksum} (or update it incrementally with {@link Checksum}) afterwards.
 */
public final class Ipv4 {
    public static final int MIN_HEADER_LENGTH = 20;
    /** IHL 15: 60 bytes. */
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int ECN_NOT_ECT = Ecn.NOT_ECT;
    public static final int ECN_ECT1 = Ecn.ECT_1;
    public static final int ECN_ECT0 = Ecn.ECT_0;
    public static final int ECN_CE = Ecn.CE;

    /** Option type 0: End of Option List; what follows it in the header is padding. */
    public static final int OPTION_END = 0;
    /** Option type 1: No Operation, one byte, for alignment. */
    public static final int OPTION_NOP = 1;
    /** Option type 148: Router Alert (RFC 2113), 4 bytes, carried by IGMP. */
    public static final int OPTION_ROUTER_ALERT = 0x94;

    private static final int DF = 0x4000;
    private static final int MF = 0x2000;
    private static final int OFFSET_MASK = 0x1fff;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Ipv4 wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks the header in the {@code available} bytes from {@code offset} (to the end of the frame): the fixed
     * header fits, the version is 4, the IHL is 5 or more and fits, the total length covers the header and fits, and
     * the options are well-formed. Trailing bytes beyond the total length (Ethernet padding) are allowed. The checksum
     * is not checked here (see {@link #checksumValid}). Never throws; never reads at or past
     * {@code offset + available}.
     *
     * @return null when the header is well-formed, otherwise the {@link Malformed} reason
     */
    public static Malformed validate(MemorySegment segment, long offset, long available) {
        long limit = Math.min(available, segment.byteSize() - offset);
        if (offset < 0 || limit < MIN_HEADER_LENGTH) {
            return Malformed.IPV4_TRUNCATED;
        }
        int versionAndIhl = Bytes.u8(segment, offset);
        if (versionAndIhl >>> 4 != 4) {
            return Malformed.IPV4_BAD_VERSION;
        }
        int headerLength = (versionAndIhl & 0xf) * 4;
        if (headerLength < MIN_HEADER_LENGTH || headerLength > limit) {
            return Malformed.IPV4_BAD_HEADER_LENGTH;
        }
        int totalLength = Bytes.u16(segment, offset + 2);
        if (totalLength < headerLength || totalLength > limit) {
            return Malformed.IPV4_BAD_TOTAL_LENGTH;
        }
        return optionsWellFormed(segment, offset, headerLength) ? null : Malformed.IPV4_BAD_OPTIONS;
    }

    /**
     * RFC 791 option format: type 0 ends the list, type 1 is a one-byte NOP, and every other option has a length
     * byte, counting the type and length bytes, that is at least 2 and keeps the option inside the header.
     */
    private static boolean optionsWellFormed(MemorySegment segment, long offset, int headerLength) {
        int at = MIN_HEADER_LENGTH;
        while (at < headerLength) {
            int type = Bytes.u8(segment, offset + at);
            if (type == OPTION_END) {
                return true;
            }
            if (type == OPTION_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= headerLength) {
                return false; // the length byte is missing
            }
            int length = Bytes.u8(segment, offset + at + 1);
            if (length < 2 || at + length > headerLength) {
                return false;
            }
            at += length;
        }
        return true;
    }

    public int version() {
        return Bytes.u8(segment, offset) >>> 4;
    }

    /** Sets the version nibble, keeping the IHL (for building; {@link #writeHeader} writes 4). */
    public Ipv4 version(int version) {
        Bytes.u8(segment, offset, ((version & 0xf) << 4) | (Bytes.u8(segment, offset) & 0xf));
        return this;
    }

    /** Header length in bytes: IHL * 4. */
    public int headerLength() {
        return (Bytes.u8(segment, offset) & 0xf) * 4;
    }

    /** Sets the IHL from a length in bytes (a multiple of 4, 20-60), keeping the version. */
    public Ipv4 headerLength(int bytes) {
        Bytes.u8(segment, offset, (Bytes.u8(segment, offset) & 0xf0) | ((bytes >>> 2) & 0xf));
        return this;
    }

    /** Length of the options and padding: {@link #headerLength()} - 20. */
    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** The whole TOS byte (DSCP and ECN). */
    public int tos() {
        return Bytes.u8(segment, offset + 1);
    }

    public Ipv4 tos(int tos) {
        Bytes.u8(segment, offset + 1, tos);
        return this;
    }

    /** Differentiated Services codepoint, the high six bits of the TOS byte. */
    public int dscp() {
        return tos() >>> 2;
    }

    /** Sets the DSCP, keeping the ECN bits. */
    public Ipv4 dscp(int dscp) {
        return tos(((dscp & 0x3f) << 2) | (tos() & Ecn.MASK));
    }

    /** ECN codepoint, the low two bits of the TOS byte (see {@link Ecn}). */
    public int ecn() {
        return tos() & Ecn.MASK;
    }

    /** Sets the ECN codepoint, keeping the DSCP. */
    public Ipv4 ecn(int ecn) {
        return tos((tos() & ~Ecn.MASK) | (ecn & Ecn.MASK));
    }

    /** Total length of the datagram in bytes, header included. */
    public int totalLength() {
        return Bytes.u16(segment, offset + 2);
    }

    public Ipv4 totalLength(int length) {
        Bytes.u16(segment, offset + 2, length);
        return this;
    }

    /** Offset in the segment of the first byte after the header (options included). */
    public long payloadOffset() {
        return offset + headerLength();
    }

    /** {@link #totalLength()} - {@link #headerLength()}: the bytes the upper layer owns. */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    public int identification() {
        return Bytes.u16(segment, offset + 4);
    }

    public Ipv4 identification(int identification) {
        Bytes.u16(segment, offset + 4, identification);
        return this;
    }

    public boolean dontFragment() {
        return (Bytes.u16(segment, offset + 6) & DF) != 0;
    }

    public boolean moreFragments() {
        return (Bytes.u16(segment, offset + 6) & MF) != 0;
    }

    /** Fragment offset in bytes (the field times 8). */
    public int fragmentOffset() {
        return (Bytes.u16(segment, offset + 6) & OFFSET_MASK) << 3;
    }

    /** True for any fragment of a larger datagram: More Fragments set or a non-zero offset. */
    public boolean isFragment() {
        return (Bytes.u16(segment, offset + 6) & (MF | OFFSET_MASK)) != 0;
    }

    /**
     * Writes the flags and fragment offset word; {@code offsetBytes} is in bytes and must be a multiple of 8 (its low
     * three bits are dropped). The reserved flag is cleared.
     */
    public Ipv4 flagsAndFragmentOffset(boolean dontFragment, boolean moreFragments, int offsetBytes) {
        Bytes.u16(
                segment,
                offset + 6,
                (dontFragment ? DF : 0) | (moreFragments ? MF : 0) | ((offsetBytes >>> 3) & OFFSET_MASK));
        return this;
    }

    public int ttl() {
        return Bytes.u8(segment, offset + 8);
    }

    public Ipv4 ttl(int ttl) {
        Bytes.u8(segment, offset + 8, ttl);
        return this;
    }

    /** The upper-layer protocol (see {@link IpProtocol}). */
    public int protocol() {
        return Bytes.u8(segment, offset + 9);
    }

    public Ipv4 protocol(int protocol) {
        Bytes.u8(segment, offset + 9, protocol);
        return this;
    }

    public int checksum() {
        return Bytes.u16(segment, offset + 10);
    }

    public Ipv4 checksum(int checksum) {
        Bytes.u16(segment, offset + 10, checksum);
        return this;
    }

    public int source() {
        return Bytes.u32(segment, offset + 12);
    }

    public Ipv4 source(int address) {
        Bytes.u32(segment, offset + 12, address);
        return this;
    }

    public int destination() {
        return Bytes.u32(segment, offset + 16);
    }

    public Ipv4 destination(int address) {
        Bytes.u32(segment, offset + 16, address);
        return this;
    }

    /**
     * Writes a 20-byte header without options (version 4, IHL 5): no More Fragments, fragment offset 0, checksum 0.
     * Call {@link #updateChecksum} once the header is final.
     */
    public Ipv4 writeHeader(
            int tos,
            int totalLength,
            int identification,
            boolean dontFragment,
            int ttl,
            int protocol,
            int source,
            int destination) {
        Bytes.u8(segment, offset, 0x45);
        return tos(tos).totalLength(totalLength)
                .identification(identification)
                .flagsAndFragmentOffset(dontFragment, false, 0)
                .ttl(ttl)
                .protocol(protocol)
                .checksum(0)
                .source(source)
                .destination(destination);
    }

    /**
     * The header checksum over {@link #headerLength()} bytes, computed as if the checksum field were zero; writes
     * nothing.
     */
    public int computeChecksum() {
        long sum = Checksum.add(segment, offset, 10, 0);
        sum = Checksum.add(segment, offset + 12, headerLength() - 12, sum);
        return Checksum.finish(sum);
    }

    /** Computes the header checksum and writes it. */
    public Ipv4 updateChecksum() {
        return checksum(computeChecksum());
    }

    /** True when the header, checksum field included, sums to 0xffff (RFC 1071). */
    public boolean checksumValid() {
        return Checksum.verifies(segment, offset, headerLength(), 0);
    }
}
