package io.jvswitch.wire.l2;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * One VLAN tag, IEEE 802.1Q (TPID 0x8100, a customer tag) or 802.1ad (TPID 0x88a8, a service tag, the outer tag of
 * Q-in-Q): 4 bytes that sit where an untagged frame has its EtherType, so the flyweight is wrapped at offset 12 of the
 * frame. The EtherType (or the next tag) follows the tag.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Tag Protocol Identifier     | PCP |D|     VLAN Identifier   |
 * |   (TPID: 0x8100 or 0x88a8)    |     |E|        (VID)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                                 \______ Tag Control Info _____/
 *                                          (TCI, 16 bits)
 * </pre>
 *
 * <p>PCP is the 3-bit priority code point (802.1p class of service), DEI the drop eligible indicator (formerly CFI),
 * VID the 12-bit VLAN identifier (0: priority tag only, no VLAN; 4095 reserved).
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Create one per thread and reuse it. Accessors do not check lengths: call {@link #validate}
 * before trusting a received tag.
 */
public final class VlanTag {
    public static final int HEADER_LENGTH = 4;

    /** The VID bits of the TCI; also the largest VID (4095, which 802.1Q reserves). */
    public static final int VID_MASK = 0x0fff;

    private static final int DEI_BIT = 0x1000;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public VlanTag wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks that a whole tag fits in the {@code available} bytes from {@code offset}. Never throws and never reads
     * the segment.
     *
     * @return null when the tag is whole, otherwise {@link Malformed#VLAN_TRUNCATED}
     */
    public static Malformed validate(MemorySegment segment, long offset, long available) {
        long limit = Math.min(available, segment.byteSize() - offset);
        if (offset < 0 || limit < HEADER_LENGTH) {
            return Malformed.VLAN_TRUNCATED;
        }
        return null;
    }

    /** True for the EtherTypes that announce a VLAN tag: 0x8100 (802.1Q) and 0x88a8 (802.1ad). */
    public static boolean isTpid(int etherType) {
        return etherType == Ethernet.TYPE_VLAN || etherType == Ethernet.TYPE_QINQ;
    }

    /** Composes a TCI; each field is masked to its width. */
    public static int tci(int pcp, boolean dei, int vid) {
        return ((pcp & 0x7) << 13) | (dei ? DEI_BIT : 0) | (vid & VID_MASK);
    }

    public int tpid() {
        return Bytes.u16(segment, offset);
    }

    public VlanTag tpid(int tpid) {
        Bytes.u16(segment, offset, tpid);
        return this;
    }

    /** The whole 16-bit Tag Control Information. */
    public int tci() {
        return Bytes.u16(segment, offset + 2);
    }

    public VlanTag tci(int tci) {
        Bytes.u16(segment, offset + 2, tci);
        return this;
    }

    /** Priority code point, 0-7. */
    public int pcp() {
        return tci() >>> 13;
    }

    /** Sets the priority code point, keeping DEI and VID. */
    public VlanTag pcp(int pcp) {
        return tci((tci() & 0x1fff) | ((pcp & 0x7) << 13));
    }

    /** Drop eligible indicator. */
    public boolean dei() {
        return (tci() & DEI_BIT) != 0;
    }

    /** Sets the drop eligible indicator, keeping PCP and VID. */
    public VlanTag dei(boolean dei) {
        return tci(dei ? tci() | DEI_BIT : tci() & ~DEI_BIT);
    }

    /** VLAN identifier, 0-4095. */
    public int vid() {
        return tci() & VID_MASK;
    }

    /** Sets the VLAN identifier, keeping PCP and DEI (what {@code mod_vlan_vid} does). */
    public VlanTag vid(int vid) {
        return tci((tci() & ~VID_MASK) | (vid & VID_MASK));
    }

    /** Writes a whole tag. */
    public VlanTag write(int tpid, int tci) {
        return tpid(tpid).tci(tci);
    }
}
