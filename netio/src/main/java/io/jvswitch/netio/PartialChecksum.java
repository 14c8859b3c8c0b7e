package io.jvswitch.netio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Finishes the TCP or UDP checksum of a frame whose sender left it partial (CHECKSUM_PARTIAL: {@link
 * MessageBatch#checksumNotReady}). A kernel sending through a veth with checksum offload on does that: it puts only
 * the pseudo-header sum in the checksum field and expects hardware to add the rest. No hardware will; a switch that
 * forwards such a frame to a TAP, a tunnel or another host must finish it, or TCP never connects (while ping works).
 *
 * <p>{@code PACKET_AUXDATA} does not say where the checksum starts (only {@code PACKET_VNET_HDR}'s virtio header has
 * {@code csum_start} and {@code csum_offset}); {@link #complete(MemorySegment, long, int, int, int)} takes them when
 * known, {@link #completeFrame} finds them itself by parsing Ethernet, 802.1Q/802.1ad tags, IPv4 or IPv6 and TCP or UDP,
 * and recomputes the checksum in full. Neither allocates.
 *
 * <p>The one's complement sum is RFC 1071's, the same as wire's {@code Checksum}: netio depends on java.base alone, so
 * it keeps this small copy.
 */
public final class PartialChecksum {
    private static final ValueLayout.OfLong NET_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort NET_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final int TCP = 6;
    private static final int UDP = 17;

    private PartialChecksum() {}

    /**
     * Finishes a partial checksum the way hardware (or the kernel's {@code skb_checksum_help}) does: sums the frame
     * from {@code checksumStart} to its end — the field already holds the pseudo-header sum — and writes the
     * complement at {@code checksumStart + checksumOffset} (0 written as 0xffff). Offsets are from the frame's start.
     *
     * @param offset where the frame starts in {@code segment}
     * @param length the frame's length
     */
    public static void complete(MemorySegment segment, long offset, int length, int checksumStart, int checksumOffset) {
        if (checksumStart < 0 || checksumOffset < 0 || checksumStart + checksumOffset + 2 > length) {
            throw new IndexOutOfBoundsException("checksum at " + checksumStart + "+" + checksumOffset
                    + " is outside a frame of " + length + " bytes");
        }
        long field = offset + checksumStart + checksumOffset;
        int checksum = finish(add(segment, offset + checksumStart, length - checksumStart, 0));
        segment.set(NET_SHORT, field, (short) (checksum == 0 ? 0xffff : checksum));
    }

    /**
     * Recomputes the TCP or UDP checksum of an Ethernet frame (IPv4 or IPv6, behind up to two VLAN tags), whatever its
     * checksum field holds: partial, stale, or right already. IPv4 and UDP lengths are taken from the headers, so
     * Ethernet padding is left out.
     *
     * @return true if the frame was TCP or UDP and its checksum is now right; false if it is something else (ARP,
     *     ICMP, a fragment, an IPv6 routing header, truncated), left untouched
     */
    public static boolean completeFrame(MemorySegment segment, long offset, int length) {
        long end = offset + length;
        long at = offset + 12;
        if (at + 2 > end) {
            return false;
        }
        int etherType = u16(segment, at);
        for (int tags = 0; tags < 2 && (etherType == 0x8100 || etherType == 0x88a8); tags++) {
            at += 4;
            if (at + 2 > end) {
                return false;
            }
            etherType = u16(segment, at);
        }
        long l3 = at + 2;
        return switch (etherType) {
            case 0x0800 -> completeIpv4(segment, l3, end);
            case 0x86dd -> completeIpv6(segment, l3, end);
            default -> false;
        };
    }

    private static boolean completeIpv4(MemorySegment segment, long ip, long end) {
        if (ip + 20 > end) {
            return false;
        }
        int versionAndLength = u8(segment, ip);
        int headerLength = (versionAndLength & 0xf) * 4;
        int totalLength = u16(segment, ip + 2);
        if (versionAndLength >>> 4 != 4 || headerLength < 20 || totalLength < headerLength || ip + totalLength > end) {
            return false;
        }
        if ((u16(segment, ip + 6) & 0x3fff) != 0) {
            return false; // a fragment: the checksum covers the whole datagram
        }
        int protocol = u8(segment, ip + 9);
        long pseudo = add(segment, ip + 12, 8, (long) protocol + totalLength - headerLength);
        return completeL4(segment, ip + headerLength, totalLength - headerLength, protocol, pseudo);
    }

    private static boolean completeIpv6(MemorySegment segment, long ip, long end) {
        if (ip + 40 > end || u8(segment, ip) >>> 4 != 6) {
            return false;
        }
        int payloadLength = u16(segment, ip + 4);
        if (ip + 40 + payloadLength > end) {
            return false;
        }
        int next = u8(segment, ip + 6);
        long at = ip + 40;
        long payloadEnd = at + payloadLength;
        // Hop-by-hop and destination options leave the pseudo-header alone; a routing header would change its
        // destination, and a fragment header means the checksum covers a whole reassembled datagram.
        while (next == 0 || next == 60) {
            if (at + 8 > payloadEnd) {
                return false;
            }
            int headerLength = (u8(segment, at + 1) + 1) * 8;
            next = u8(segment, at);
            at += headerLength;
        }
        if (at > payloadEnd) {
            return false;
        }
        int l4Length = (int) (payloadEnd - at);
        long pseudo = add(segment, ip + 8, 32, (long) l4Length + next);
        return completeL4(segment, at, l4Length, next, pseudo);
    }

    private static boolean completeL4(MemorySegment segment, long l4, int l4Length, int protocol, long pseudo) {
        long field;
        int covered = l4Length;
        if (protocol == TCP) {
            if (l4Length < 20) {
                return false;
            }
            field = l4 + 16;
        } else if (protocol == UDP) {
            if (l4Length < 8) {
                return false;
            }
            int udpLength = u16(segment, l4 + 4);
            if (udpLength < 8 || udpLength > l4Length) {
                return false;
            }
            covered = udpLength;
            field = l4 + 6;
            if (covered != l4Length) {
                // The pseudo-header carries the UDP length; it was summed with the IP-derived one.
                pseudo = pseudo - l4Length + covered;
            }
        } else {
            return false;
        }
        segment.set(NET_SHORT, field, (short) 0);
        int checksum = finish(add(segment, l4, covered, pseudo));
        // UDP sends a computed 0 as 0xffff (0 means "no checksum", RFC 768); TCP's can never be 0 (RFC 1624).
        segment.set(NET_SHORT, field, (short) (checksum == 0 ? 0xffff : checksum));
        return true;
    }

    /** Adds {@code length} bytes as big-endian 16-bit words (an odd last byte padded with zero) to {@code sum}. */
    static long add(MemorySegment segment, long offset, int length, long sum) {
        long i = offset;
        long end = offset + length;
        for (; i + 8 <= end; i += 8) {
            long v = segment.get(NET_LONG, i);
            sum += (v >>> 32) + (v & 0xffffffffL);
        }
        if (i + 4 <= end) {
            sum += Integer.toUnsignedLong(segment.get(NET_INT, i));
            i += 4;
        }
        if (i + 2 <= end) {
            sum += u16(segment, i);
            i += 2;
        }
        if (i < end) {
            sum += u8(segment, i) << 8;
        }
        return sum;
    }

    /** The complement of the sum folded to 16 bits with end-around carry. */
    static int finish(long sum) {
        sum = (sum & 0xffffffffL) + (sum >>> 32);
        sum = (sum & 0xffffL) + (sum >>> 16);
        sum = (sum & 0xffffL) + (sum >>> 16);
        sum = (sum & 0xffffL) + (sum >>> 16);
        return ~(int) sum & 0xffff;
    }

    private static int u8(MemorySegment segment, long offset) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset));
    }

    private static int u16(MemorySegment segment, long offset) {
        return Short.toUnsignedInt(segment.get(NET_SHORT, offset));
    }
}
