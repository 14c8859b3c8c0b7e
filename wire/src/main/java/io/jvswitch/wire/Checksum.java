package io.jvswitch.wire;

import java.lang.foreign.MemorySegment;

/**
 * The Internet checksum: the 16-bit one's complement of the one's complement sum (RFC 1071), and its incremental
 * update when one field changes (RFC 1624).
 *
 * <p>Sums are carried as {@code long} partial sums that may exceed 16 bits; {@link #fold} reduces them. A checksum
 * field is {@code finish(sum)}: the complement of the folded sum. A received header whose checksum is right sums,
 * checksum field included, to 0xffff.
 */
public final class Checksum {
    private Checksum() {}

    /**
     * Adds {@code length} bytes at {@code offset} to {@code sum}, as big-endian 16-bit words; an odd last byte is
     * padded with a zero byte on its right (RFC 1071 section 4.1).
     */
    public static long add(MemorySegment segment, long offset, int length, long sum) {
        long i = offset;
        long end = offset + length;
        // Eight bytes per step: the sum of 32-bit halves in a 64-bit accumulator cannot overflow before
        // 2^32 steps, far beyond any packet.
        for (; i + 8 <= end; i += 8) {
            long v = Bytes.u64(segment, i);
            sum += (v >>> 32) + (v & 0xffffffffL);
        }
        if (i + 4 <= end) {
            sum += Integer.toUnsignedLong(Bytes.u32(segment, i));
            i += 4;
        }
        if (i + 2 <= end) {
            sum += Bytes.u16(segment, i);
            i += 2;
        }
        if (i < end) {
            sum += Bytes.u8(segment, i) << 8;
        }
        return sum;
    }

    /** Folds a partial sum to 16 bits with end-around carry. */
    public static int fold(long sum) {
        sum = (sum & 0xffffffffL) + (sum >>> 32);
        sum = (sum & 0xffffL) + (sum >>> 16);
        sum = (sum & 0xffffL) + (sum >>> 16);
        sum = (sum & 0xffffL) + (sum >>> 16);
        return (int) sum;
    }

    /**
     * {@link #finish} for a sum below 2^32, such as a few header words: two folds reach 16 bits where a 64-bit sum
     * needs four. Encapsulation writes an outer IPv4 checksum this way for every packet.
     */
    public static int finishSmall(long sum) {
        long folded = (sum & 0xffff) + (sum >>> 16);
        folded = (folded & 0xffff) + (folded >>> 16);
        return (int) ~folded & 0xffff;
    }

    /** The checksum field value for a partial sum: the one's complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** RFC 1071 checksum of a byte range. */
    public static int compute(MemorySegment segment, long offset, int length) {
        return finish(add(segment, offset, length, 0));
    }

    /** True when a range that contains its own checksum field sums to 0xffff (or -0, 0x0000 folded from 0xffff). */
    public static boolean verifies(MemorySegment segment, long offset, int length, long initial) {
        return fold(add(segment, offset, length, initial)) == 0xffff;
    }

    /**
     * RFC 1624 equation 3: the new checksum field after a 16-bit word covered by it changes from {@code oldWord} to
     * {@code newWord}: HC' = ~(~HC + ~m + m').
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return ~fold(sum) & 0xffff;
    }

    /** RFC 1624 update for a 32-bit field (an IPv4 address, say) treated as two 16-bit words. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xffff)
                + (~(oldValue >>> 16) & 0xffff)
                + (~oldValue & 0xffff)
                + ((newValue >>> 16) & 0xffff)
                + (newValue & 0xffff);
        return ~fold(sum) & 0xffff;
    }

    /** Partial sum of the IPv4 pseudo-header (RFC 768, RFC 793): addresses, protocol and upper-layer length. */
    public static long ipv4PseudoHeader(int source, int destination, int protocol, int length) {
        return (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + protocol + length;
    }

    /**
     * Partial sum of the IPv6 pseudo-header (RFC 8200 section 8.1) whose 16-byte addresses start at {@code sourceAt}
     * and {@code destinationAt} in {@code segment}.
     */
    public static long ipv6PseudoHeader(
            MemorySegment segment, long sourceAt, long destinationAt, int nextHeader, long length) {
        long sum = add(segment, sourceAt, 16, 0);
        sum = add(segment, destinationAt, 16, sum);
        return sum + (length >>> 16) + (length & 0xffff) + nextHeader;
    }
}
