package io.jvswitch.netio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The 10-byte {@code struct virtio_net_hdr} that starts every read from and every write to a TAP opened with {@code
 * IFF_VNET_HDR} (little-endian on x86 and arm64, the TAP's default): how the kernel hands over a frame whose checksum
 * is left partial ({@link #F_NEEDS_CSUM}, to be finished from {@code csum_start} with the field at {@code csum_offset})
 * or a TCP super-frame to be cut into {@code gso_size}-byte segments ({@link #GSO_TCPV4}, {@link #GSO_TCPV6}).
 * Reads a header in place; allocates nothing.
 */
public final class VirtioNetHeader {
    /** The header's size: {@code flags, gso_type, hdr_len, gso_size, csum_start, csum_offset}. */
    public static final int LENGTH = 10;

    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private VirtioNetHeader() {}

    public static int flags(MemorySegment segment, long offset) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset));
    }

    public static int gsoType(MemorySegment segment, long offset) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + 1));
    }

    /** What the kernel calls {@code hdr_len}: for a TAP read, the length of the linear part, not of the headers. */
    public static int headerLength(MemorySegment segment, long offset) {
        return u16(segment, offset + 2);
    }

    public static int gsoSize(MemorySegment segment, long offset) {
        return u16(segment, offset + 4);
    }

    public static int checksumStart(MemorySegment segment, long offset) {
        return u16(segment, offset + 6);
    }

    public static int checksumOffset(MemorySegment segment, long offset) {
        return u16(segment, offset + 8);
    }

    /** Writes a header (for tests and for writers that offload). */
    public static void write(
            MemorySegment segment,
            long offset,
            int flags,
            int gsoType,
            int headerLength,
            int gsoSize,
            int checksumStart,
            int checksumOffset) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) flags);
        segment.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) gsoType);
        segment.set(LE_SHORT, offset + 2, (short) headerLength);
        segment.set(LE_SHORT, offset + 4, (short) gsoSize);
        segment.set(LE_SHORT, offset + 6, (short) checksumStart);
        segment.set(LE_SHORT, offset + 8, (short) checksumOffset);
    }

    private static int u16(MemorySegment segment, long offset) {
        return Short.toUnsignedInt(segment.get(LE_SHORT, offset));
    }
}
