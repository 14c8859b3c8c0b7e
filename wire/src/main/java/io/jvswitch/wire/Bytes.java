package io.jvswitch.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Network-byte-order (big-endian) reads and writes on a {@link MemorySegment}, at any alignment.
 *
 * <p>Every codec reads and writes through these methods so that byte order is decided in one place. They compile to
 * plain loads and stores (with a byte swap); nothing here allocates.
 */
public final class Bytes {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Bytes() {}

    public static int u8(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset) & 0xff;
    }

    public static void u8(MemorySegment segment, long offset, int value) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    public static int u16(MemorySegment segment, long offset) {
        return segment.get(U16, offset) & 0xffff;
    }

    public static void u16(MemorySegment segment, long offset, int value) {
        segment.set(U16, offset, (short) value);
    }

    /** Reads 32 bits; the result is the raw bit pattern (use {@link Integer#toUnsignedLong} for the value). */
    public static int u32(MemorySegment segment, long offset) {
        return segment.get(U32, offset);
    }

    public static void u32(MemorySegment segment, long offset, int value) {
        segment.set(U32, offset, value);
    }

    public static long u64(MemorySegment segment, long offset) {
        return segment.get(U64, offset);
    }

    public static void u64(MemorySegment segment, long offset, long value) {
        segment.set(U64, offset, value);
    }

    /** Reads a 48-bit MAC address into the low 48 bits of a long. */
    public static long mac(MemorySegment segment, long offset) {
        return ((long) u16(segment, offset) << 32) | Integer.toUnsignedLong(u32(segment, offset + 2));
    }

    /** Writes the low 48 bits of {@code mac}. */
    public static void mac(MemorySegment segment, long offset, long mac) {
        u16(segment, offset, (int) (mac >>> 32));
        u32(segment, offset + 2, (int) mac);
    }
}
