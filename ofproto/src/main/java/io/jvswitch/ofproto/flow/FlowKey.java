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

    /** A hash of every word: for the exact-match cache. */
    public int hash() {
        long h = 0x9e3779b97f4a7c15L;
        for (long word : words) {
            h = (h ^ word) * 0xff51afd7ed558ccdL;
            h ^= h >>> 32;
        }
        return (int) h;
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
