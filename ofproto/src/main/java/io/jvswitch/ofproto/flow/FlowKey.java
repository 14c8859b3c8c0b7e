package io.jvswitch.ofproto.flow;

import java.util.Arrays;

/**
 * The fields of a packet that flow tables match on — Open vSwitch's {@code struct flow} — as a fixed array of 64-bit
 * words, so that a match is a value/mask pair of the same shape and a lookup is a few ANDs and compares.
 *
 * <pre>
 *  word  bits 63 ........................................................ 0
 *   0    |                      0                     |      in_port (32)     |
 *   1    |                            metadata (64)                          |
 *   2    |               reg0 (32)                     |       reg1 (32)      |
 *   3..5 |  reg2 | reg3,  reg4 | reg5,  reg6 | reg7                            |
 *   6    |                             tun_id (64)                           |
 *   7    |               tun_src (32)                  |      tun_dst (32)    |
 *   8    |                  dl_dst (48)                 |    dl_type (16)    |
 *   9    |                  dl_src (48)                 |   vlan_tci (16)    |
 *  10    |      nw_src / arp_spa (32)                  | nw_dst / arp_tpa (32)|
 *  11,12 |                         ipv6_src (128)                            |
 *  13,14 |                         ipv6_dst (128)                            |
 *  15    | tp_src (16) | tp_dst (16) | nw_proto (8) | nw_tos (8) | nw_ttl (8) | nw_frag (8) |
 *  16    |      0      |                    arp_sha (48)                      |
 *  17    |      0      |                    arp_tha (48)                      |
 * </pre>
 *
 * <p>As in Open vSwitch: {@code vlan_tci} carries the CFI bit (0x1000) when the frame has a tag, so that VLAN 0 and no
 * VLAN differ; {@code nw_proto} holds the ARP opcode for ARP; {@code tp_src}/{@code tp_dst} hold the ICMP type and
 * code for ICMP; {@code nw_tos} is the whole ToS byte (DSCP and ECN).
 *
 * <p>Mutable and reused: one per thread on the datapath, filled by {@link FlowExtractor}. Equality and hashing are by
 * value, for the exact-match cache and tests.
 */
public final class FlowKey {
    public static final int WORDS = 18;

    public static final int IN_PORT = 0;
    public static final int METADATA = 1;
    public static final int REGS = 2;
    public static final int TUN_ID = 6;
    public static final int TUN_IPV4 = 7;
    public static final int ETH_DST_TYPE = 8;
    public static final int ETH_SRC_VLAN = 9;
    public static final int NW_ADDRESSES = 10;
    public static final int IPV6_SRC = 11;
    public static final int IPV6_DST = 13;
    public static final int L4 = 15;
    public static final int ARP_SHA = 16;
    public static final int ARP_THA = 17;

    /** {@code nw_frag} bits, as Open vSwitch's. */
    public static final int FRAG_ANY = 1;

    public static final int FRAG_LATER = 2;

    /** The CFI bit of {@code vlan_tci}: set when the frame carries an 802.1Q tag. */
    public static final int VLAN_CFI = 0x1000;

    final long[] words = new long[WORDS];

    public FlowKey() {}

    public FlowKey(FlowKey other) {
        copyFrom(other);
    }

    /** The raw words; callers must not keep the array. */
    public long[] words() {
        return words;
    }

    public long word(int index) {
        return words[index];
    }

    public void word(int index, long value) {
        words[index] = value;
    }

    public FlowKey copyFrom(FlowKey other) {
        System.arraycopy(other.words, 0, words, 0, WORDS);
        return this;
    }

    public FlowKey clear() {
        Arrays.fill(words, 0);
        return this;
    }

    /** Reads {@code field}'s value (the low 64 bits for 128-bit fields). */
    public long get(Field field) {
        return field.get(this);
    }

    /** Writes {@code field}'s value, keeping the other fields that share its word. */
    public FlowKey set(Field field, long value) {
        field.set(this, value);
        return this;
    }

    /**
     * A hash of every word, for the exact-match cache, which computes one per packet: each word is multiplied by its
     * own constant in an independent lane (the CPU runs them side by side) and the sum is mixed once.
     */
    public int hash() {
        long[] w = words;
        long h = Long.rotateLeft(w[0] * 0x9e3779b97f4a7c15L, 29)
                + Long.rotateLeft(w[1] * 0xc2b2ae3d27d4eb4fL, 31)
                + Long.rotateLeft(w[2] * 0x165667b19e3779f9L, 27)
                + Long.rotateLeft(w[3] * 0xd6e8feb86659fd93L, 33)
                + Long.rotateLeft(w[4] * 0x9fb21c651e98df25L, 23)
                + Long.rotateLeft(w[5] * 0xbf58476d1ce4e5b9L, 37)
                + Long.rotateLeft(w[6] * 0x94d049bb133111ebL, 21)
                + Long.rotateLeft(w[7] * 0xff51afd7ed558ccdL, 39)
                + Long.rotateLeft(w[8] * 0xc4ceb9fe1a85ec53L, 19)
                + Long.rotateLeft(w[9] * 0x2545f4914f6cdd1dL, 41)
                + Long.rotateLeft(w[10] * 0x5851f42d4c957f2dL, 17)
                + Long.rotateLeft(w[11] * 0x14057b7ef767814fL, 43)
                + Long.rotateLeft(w[12] * 0x4f1bbcdcbfa53e0bL, 15)
                + Long.rotateLeft(w[13] * 0xa0761d6478bd642fL, 45)
                + Long.rotateLeft(w[14] * 0xe7037ed1a0b428dbL, 13)
                + Long.rotateLeft(w[15] * 0x8ebc6af09c88c6e3L, 47)
                + Long.rotateLeft(w[16] * 0x589965cc75374cc3L, 11)
                + Long.rotateLeft(w[17] * 0x1d8e4e27c47d124fL, 49);
        h ^= h >>> 32;
        h *= 0xff51afd7ed558ccdL;
        return (int) (h ^ (h >>> 29));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FlowKey key && Arrays.equals(words, key.words);
    }

    @Override
    public int hashCode() {
        return hash();
    }

    /** The flow in ovs-ofctl's syntax, every field that is set (for traces and tests). */
    @Override
    public String toString() {
        return FlowFormatter.format(this);
    }
}
