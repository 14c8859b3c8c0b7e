package io.jvswitch.wire;

/**
 * Where each layer of a frame starts, as {@link PacketParser} found it. Reused: one per thread, refilled by every
 * parse. Offsets are absolute offsets into the segment that was parsed; {@code -1} means the layer is absent.
 */
public final class ParsedPacket {
    /** Up to two tags, as in 802.1ad double tagging; a third tag is left unparsed as the frame's payload. */
    public static final int MAX_VLAN_TAGS = 2;

    long start;
    int length;
    int vlanCount;
    final int[] vlanTpid = new int[MAX_VLAN_TAGS];
    final int[] vlanTci = new int[MAX_VLAN_TAGS];
    int etherType;
    long l3Offset;
    int ipVersion;
    long ipEnd;
    boolean fragment;
    boolean laterFragment;
    int ipProtocol;
    long l4Offset;

    void reset(long start, int length) {
        this.start = start;
        this.length = length;
        this.vlanCount = 0;
        this.etherType = -1;
        this.l3Offset = -1;
        this.ipVersion = 0;
        this.ipEnd = start + length;
        this.fragment = false;
        this.laterFragment = false;
        this.ipProtocol = -1;
        this.l4Offset = -1;
    }

    /** Offset of the Ethernet header. */
    public long start() {
        return start;
    }

    /** Length of the frame, trailing padding included. */
    public int length() {
        return length;
    }

    public long end() {
        return start + length;
    }

    public int vlanCount() {
        return vlanCount;
    }

    /** TPID of tag {@code i}, outermost first. */
    public int vlanTpid(int i) {
        return vlanTpid[i];
    }

    /** TCI (PCP, DEI, VID) of tag {@code i}, outermost first. */
    public int vlanTci(int i) {
        return vlanTci[i];
    }

    /** The EtherType after any VLAN tags: what the L3 header is. */
    public int etherType() {
        return etherType;
    }

    /** Offset of the ARP, IPv4 or IPv6 header, or -1. */
    public long l3Offset() {
        return l3Offset;
    }

    /** 4 or 6 for IP packets, 0 otherwise. */
    public int ipVersion() {
        return ipVersion;
    }

    /** End of the IP packet by its own length field (Ethernet padding after it excluded). */
    public long ipEnd() {
        return ipEnd;
    }

    /** True for any IP fragment, first or later. */
    public boolean isFragment() {
        return fragment;
    }

    /** True for a fragment other than the first: it carries no upper-layer header. */
    public boolean isLaterFragment() {
        return laterFragment;
    }

    /** The upper-layer protocol (after IPv6 extension headers), or -1 when not IP. */
    public int ipProtocol() {
        return ipProtocol;
    }

    /** Offset of the TCP, UDP, ICMP or GRE header, or -1 (not IP, a later fragment, or no upper layer). */
    public long l4Offset() {
        return l4Offset;
    }

    /** Bytes from the upper-layer header to the end of the IP packet. */
    public int l4Length() {
        return l4Offset < 0 ? 0 : (int) (ipEnd - l4Offset);
    }
}
