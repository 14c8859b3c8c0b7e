package io.jvswitch.datapath.cache;

import io.jvswitch.ofproto.flow.FlowKey;

/**
 * The first cache a packet meets — Open vSwitch's EMC: a direct-mapped table from a packet's whole flow key to the
 * megaflow entry that handles it. A hit costs one hash, one slot and an 18-word compare; a collision simply replaces
 * the slot. Entries that went stale upstream are noticed by their megaflow entry being dead.
 *
 * <p>Flat arrays, no allocation per lookup or insert. Single-threaded, owned by one datapath thread.
 */
public final class ExactMatchCache {
    public static final int DEFAULT_SLOTS = 8192;

    private final int mask;
    private final int[] hashes;
    private final long[] keys;
    private final MegaflowEntry[] entries;

    public ExactMatchCache() {
        this(DEFAULT_SLOTS);
    }

    /** A cache of {@code slots} entries, rounded up to a power of two. */
    public ExactMatchCache(int slots) {
        int size = Integer.highestOneBit(Math.max(2, slots - 1)) << 1;
        this.mask = size - 1;
        this.hashes = new int[size];
        this.keys = new long[size * FlowKey.WORDS];
        this.entries = new MegaflowEntry[size];
    }

    /** The live entry cached for exactly {@code key} (whose hash is {@code hash}), or null. */
    public MegaflowEntry lookup(FlowKey key, int hash) {
        int slot = hash & mask;
        MegaflowEntry entry = entries[slot];
        if (entry == null || hashes[slot] != hash || !entry.isAlive()) {
            return null;
        }
        long[] words = key.words();
        int base = slot * FlowKey.WORDS;
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if (keys[base + i] != words[i]) {
                return null;
            }
        }
        return entry;
    }

    public void insert(FlowKey key, int hash, MegaflowEntry entry) {
        int slot = hash & mask;
        hashes[slot] = hash;
        System.arraycopy(key.words(), 0, keys, slot * FlowKey.WORDS, FlowKey.WORDS);
        entries[slot] = entry;
    }

    public void clear() {
        java.util.Arrays.fill(entries, null);
    }

    public int slots() {
        return mask + 1;
    }
}
