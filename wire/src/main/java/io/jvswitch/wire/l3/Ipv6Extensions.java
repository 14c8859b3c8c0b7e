package io.jvswitch.wire.l3;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * Walks the chain of IPv6 extension headers (RFC 8200 section 4) after the fixed header, to find the upper-layer
 * protocol and where it starts, and what the Fragment header says.
 *
 * <p>Most extension headers share one format (RFC 6564): Hop-by-Hop Options, Routing, Destination Options, Mobility
 * (RFC 6275), HIP (RFC 7401) and Shim6 (RFC 5533). Their length counts 8-byte units, not counting the first 8 bytes:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                                                               |
 * .          header-specific data: (Hdr Ext Len + 1) * 8          .
 * .                          bytes in all                         .
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The Fragment header (RFC 8200 section 4.5) is always 8 bytes:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *   Fragment Offset: in 8-byte units.  M: more fragments follow.
 * </pre>
 *
 * <p>The Authentication Header (RFC 4302) counts its length in 4-byte units, minus 2:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Payload Len  |           Reserved            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Security Parameters Index (SPI)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Sequence Number Field                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Integrity Check Value (ICV), variable              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *   (Payload Len + 2) * 4 bytes in all.
 * </pre>
 *
 * <p>The walk stops at the first header that is not one of those: the upper-layer protocol (TCP, UDP, ICMPv6, GRE,
 * ...), ESP (RFC 4303, whose contents are encrypted), or No Next Header. After a Fragment header with a non-zero
 * offset the rest of the chain is in an earlier fragment, so the walk stops there too.
 *
 * <p>Reusable and allocation-free: keep one per thread and call {@link #walk} for each packet; the results describe
 * the last walk (after a failed walk, {@link #upperProtocol()} and {@link #upperOffset()} are -1 and the rest is
 * not meaningful). The walk follows the chain in whatever order it comes (as Open vSwitch does); it does not enforce
 * RFC 8200's recommended order.
 */
public final class Ipv6Extensions {
    /** The walk gives up with {@link Malformed#IPV6_TOO_MANY_EXTENSIONS} rather than step over more than this. */
    public static final int MAX_EXTENSIONS = 16;

    private int upperProtocol = -1;
    private long upperOffset = -1;
    private int extensionCount;
    private boolean fragmentHeader;
    private int fragmentOffset;
    private boolean moreFragments;
    private int fragmentIdentification;

    /**
     * Walks the extension headers of the IPv6 packet whose fixed header starts at {@code ipv6Offset}.
     *
     * @param packetEnd absolute offset just past the packet's last byte: normally {@code ipv6Offset + 40 +
     *     payloadLength} once {@link Ipv6#validate} has passed, so that Ethernet padding is not read as headers
     * @return null when the chain is whole (the accessors then describe it), otherwise
     *     {@link Malformed#IPV6_TRUNCATED} (no whole fixed header), {@link Malformed#IPV6_EXTENSION_TRUNCATED} or
     *     {@link Malformed#IPV6_TOO_MANY_EXTENSIONS}. Never throws; never reads at or past {@code packetEnd}.
     */
    public Malformed walk(MemorySegment segment, long ipv6Offset, long packetEnd) {
        upperProtocol = -1;
        upperOffset = -1;
        extensionCount = 0;
        fragmentHeader = false;
        fragmentOffset = 0;
        moreFragments = false;
        fragmentIdentification = 0;

        long end = Math.min(packetEnd, segment.byteSize());
        if (ipv6Offset < 0 || end - ipv6Offset < Ipv6.HEADER_LENGTH) {
            return Malformed.IPV6_TRUNCATED;
        }
        int next = Bytes.u8(segment, ipv6Offset + 6);
        long at = ipv6Offset + Ipv6.HEADER_LENGTH;
        while (true) {
            switch (next) {
                case IpProtocol.HOPOPT,
                        IpProtocol.ROUTING,
                        IpProtocol.FRAGMENT,
                        IpProtocol.AH,
                        IpProtocol.DESTINATION_OPTIONS,
                        IpProtocol.MOBILITY,
                        IpProtocol.HIP,
                        IpProtocol.SHIM6 -> {
                    // an extension header to step over
                }
                case IpProtocol.NO_NEXT_HEADER -> {
                    upperProtocol = next;
                    return null;
                }
                default -> { // ESP or an upper-layer protocol
                    upperProtocol = next;
                    upperOffset = at;
                    return null;
                }
            }
            if (extensionCount == MAX_EXTENSIONS) {
                return Malformed.IPV6_TOO_MANY_EXTENSIONS;
            }
            long length;
            if (next == IpProtocol.FRAGMENT) {
                length = 8;
            } else if (end - at < 2) {
                return Malformed.IPV6_EXTENSION_TRUNCATED;
            } else if (next == IpProtocol.AH) {
                length = (Bytes.u8(segment, at + 1) + 2L) * 4;
            } else {
                length = (Bytes.u8(segment, at + 1) + 1L) * 8;
            }
            if (end - at < length) {
                return Malformed.IPV6_EXTENSION_TRUNCATED;
            }
            extensionCount++;
            int following = Bytes.u8(segment, at);
            if (next == IpProtocol.FRAGMENT) {
                int offsetAndFlags = Bytes.u16(segment, at + 2);
                fragmentHeader = true;
                fragmentOffset = offsetAndFlags & 0xfff8;
                moreFragments = (offsetAndFlags & 1) != 0;
                fragmentIdentification = Bytes.u32(segment, at + 4);
                if (fragmentOffset != 0) {
                    // A later fragment: its first byte continues some earlier fragment's payload.
                    upperProtocol = following;
                    return null;
                }
            }
            next = following;
            at += length;
        }
    }

    /**
     * The upper-layer protocol: the Next Header value where the walk stopped ({@link IpProtocol#ESP} and
     * {@link IpProtocol#NO_NEXT_HEADER} included; after a non-first fragment, the Fragment header's Next Header).
     * -1 before a successful walk.
     */
    public int upperProtocol() {
        return upperProtocol;
    }

    /**
     * Absolute offset of the upper-layer header in the segment, or -1 when the packet does not hold it: after a
     * non-first fragment, or after No Next Header. It may equal the packet end (an upper-layer header with no bytes):
     * the upper layer's own validation catches that.
     */
    public long upperOffset() {
        return upperOffset;
    }

    /** How many extension headers the walk stepped over. */
    public int extensionCount() {
        return extensionCount;
    }

    /** True when the chain had a Fragment header, even an atomic one (offset 0, M clear). */
    public boolean hasFragmentHeader() {
        return fragmentHeader;
    }

    /**
     * True when the packet is a fragment of a larger one: a Fragment header with M set or a non-zero offset. An atomic
     * fragment (offset 0 and M clear) is a whole packet and is not a fragment (RFC 6946), like an IPv4 header's
     * {@link Ipv4#isFragment()}.
     */
    public boolean isFragment() {
        return fragmentHeader && (moreFragments || fragmentOffset != 0);
    }

    /** Fragment offset in bytes (the field times 8); 0 without a Fragment header. */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    /** The Fragment header's M flag. */
    public boolean moreFragments() {
        return moreFragments;
    }

    /** The Fragment header's 32-bit identification (raw bits; 0 without a Fragment header). */
    public int fragmentIdentification() {
        return fragmentIdentification;
    }
}
