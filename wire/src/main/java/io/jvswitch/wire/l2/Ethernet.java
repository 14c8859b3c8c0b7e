package io.jvswitch.wire.l2;

import io.jvswitch.wire.Bytes;
import java.lang.foreign.MemorySegment;

/**
 * Ethernet II header (IEEE 802.3, DIX framing), 14 bytes; the frame check sequence is not part of captured or
 * delivered frames and is not handled here.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination MAC address                      |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                    Source MAC address                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          EtherType            |   payload (or an 802.1Q tag)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place. Create one per thread and reuse it. Lengths are not checked here: {@link io.jvswitch.wire.PacketParser}
 * validates a frame before its fields are trusted.
 */
public final class Ethernet {
    public static final int HEADER_LENGTH = 14;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_QINQ = 0x88a8;
    public static final int TYPE_IPV6 = 0x86dd;
    /** Transparent Ethernet Bridging: an Ethernet frame inside GRE. */
    public static final int TYPE_TEB = 0x6558;
    /** PPP, the payload of enhanced GRE (RFC 2637). */
    public static final int TYPE_PPP = 0x880b;

    /** EtherType values below this are 802.3 length fields, not types. */
    public static final int MIN_ETHERTYPE = 0x0600;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Ethernet wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    public long destination() {
        return Bytes.mac(segment, offset);
    }

    public Ethernet destination(long mac) {
        Bytes.mac(segment, offset, mac);
        return this;
    }

    public long source() {
        return Bytes.mac(segment, offset + 6);
    }

    public Ethernet source(long mac) {
        Bytes.mac(segment, offset + 6, mac);
        return this;
    }

    public int etherType() {
        return Bytes.u16(segment, offset + 12);
    }

    public Ethernet etherType(int type) {
        Bytes.u16(segment, offset + 12, type);
        return this;
    }

    /** Writes a whole header. */
    public Ethernet write(long destination, long source, int etherType) {
        return destination(destination).source(source).etherType(etherType);
    }
}
