package io.jvswitch.ofproto.classifier;

import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A flow table's rules, found by tuple space search as in Open vSwitch's classifier: fit for 100,000 rules.
 *
 * <h2>Structure</h2>
 *
 * <p>Rules are grouped into one <em>subtable</em> per distinct mask. A subtable keeps the indices of the
 * {@link FlowKey} words its mask touches (most masks touch one to three of the 18) and an open-addressing hash table
 * (linear probing, load at most 1/2, deletion by backward shift, so no tombstones) of its distinct masked values. The
 * table is three parallel arrays indexed by slot: the {@code int} hashes, where 0 marks an empty slot; the masked
 * values, flat in one {@code long[]} (only the touched words, {@code width} per slot); and the rules that share each
 * value, as a list sorted by priority, highest first (their priorities differ: same match and priority is one rule).
 *
 * <p>{@link #lookup} hashes {@code key & mask} over the touched words only, probes the {@code int[]} of hashes and
 * compares the value words only when a full 32-bit hash agrees: a miss reads the key, the mask and one or two
 * adjacent {@code int}s. Nothing is allocated per lookup: no boxing, no keys, no iterators.
 *
 * <h2>Order of the search and its cut-off</h2>
 *
 * <p>Subtables are visited in decreasing order of the highest priority among their rules (an array, reordered when a
 * subtable's highest priority changes, rebuilt when a subtable appears or empties). The search stops before the first
 * subtable whose highest priority is strictly lower than the best match found so far: none of its rules can win.
 *
 * <p>Overlapping rules of equal priority: OpenFlow leaves the winner undefined. Here the rule inserted earliest wins
 * (replacing a rule counts as inserting it anew), so a new flow never changes what existing traffic of equal
 * priority hits. {@link LinearClassifier} chooses the same way. Because of this, subtables whose highest priority
 * equals the best so far are still searched.
 *
 * <h2>Wildcards, for megaflows</h2>
 *
 * <p>{@link #lookup} ORs into its {@code wildcards} argument the whole mask of every subtable it examines, and nothing
 * for the subtables the priority cut-off skips. That is what the decision depended on: "no rule of this subtable
 * matched" depends on every bit of its mask, and a skipped subtable could not have changed the answer whatever the
 * packet. So every packet that agrees with the looked-up key on the reported bits gets the same answer, and a
 * megaflow may be installed with that mask.
 *
 * <h2>Threads</h2>
 *
 * <p>Not thread-safe: one thread changes it, and lookups run on that same thread (or are otherwise ordered with the
 * changes by the caller).
 *
 * @param <R> the rule type
 */
public final class Classifier<R extends Classified> {
    private final Map<MaskKey, Subtable> byMask = new HashMap<>();
    /** Every subtable, in decreasing order of {@link Subtable#maxPriority}. */
    private Subtable[] ordered = new Subtable[0];

    private int size;
    private long nextSequence;

    /**
     * Adds {@code rule}. A rule already present with the same match and the same priority is replaced, and returned;
     * otherwise returns null.
     */
    public R insert(R rule) {
        Match match = rule.match();
        int priority = rule.priority();
        Subtable subtable = subtableFor(match);
        if (subtable == null) {
            long[] mask = match.maskWords();
            subtable = new Subtable(mask);
            byMask.put(new MaskKey(mask), subtable);
            addSubtable(subtable);
        }
        int oldMax = subtable.maxPriority;
        Classified replaced = subtable.insert(match, priority, rule, nextSequence++);
        if (replaced == null) {
            size++;
        }
        if (subtable.maxPriority != oldMax) {
            reposition(subtable);
        }
        return cast(replaced);
    }

    /**
     * Removes {@code rule} itself, found by identity: it is removed only if this very object is in the classifier
     * (an equal rule, or another with the same match and priority, is left alone, so that a stale reference, say of a
     * rule an add-flow has since replaced, cannot remove its successor). Returns {@code rule} if it was removed, else
     * null. To remove by match and priority, use {@link #findExactly} first.
     */
    public R remove(R rule) {
        Match match = rule.match();
        Subtable subtable = subtableFor(match);
        if (subtable == null) {
            return null;
        }
        int oldMax = subtable.maxPriority;
        Classified removed = subtable.remove(match, rule.priority(), rule);
        if (removed == null) {
            return null;
        }
        size--;
        if (subtable.rules == 0) {
            byMask.remove(new MaskKey(subtable.fullMask));
            removeSubtable(subtable);
        } else if (subtable.maxPriority != oldMax) {
            reposition(subtable);
        }
        return rule;
    }

    /**
     * The rule with exactly this match (value and mask) and this priority, or null: OpenFlow's strict matching, for
     * {@code mod-flows --strict}, {@code del-flows --strict} and learn.
     */
    public R findExactly(Match match, int priority) {
        Subtable subtable = subtableFor(match);
        return subtable == null ? null : cast(subtable.findExactly(match, priority));
    }

    /** Up to this many subtables, finding a match's one by scanning beats hashing a copy of its mask. */
    private static final int SCAN_LIMIT = 32;

    /**
     * The subtable for {@code match}'s mask, or null. Learn refreshes, inserts and deletes call this for every flow,
     * so the usual case — a few masks — compares masks in place and allocates nothing.
     */
    private Subtable subtableFor(Match match) {
        if (ordered.length > SCAN_LIMIT) {
            return byMask.get(new MaskKey(match.maskWords()));
        }
        for (Subtable subtable : ordered) {
            if (sameMask(subtable.fullMask, match)) {
                return subtable;
            }
        }
        return null;
    }

    private static boolean sameMask(long[] mask, Match match) {
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if (mask[i] != match.mask(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The highest-priority rule that matches {@code key} (the earliest inserted among equals), or null.
     *
     * <p>ORs into {@code wildcards} (length {@link FlowKey#WORDS}; null when not wanted) the mask of every subtable
     * examined: the bits the answer depended on (see the class comment). Allocates nothing.
     */
    public R lookup(FlowKey key, long[] wildcards) {
        long[] words = key.words();
        Node best = null;
        int bestPriority = Integer.MIN_VALUE;
        for (Subtable subtable : ordered) {
            if (subtable.maxPriority < bestPriority) {
                break;
            }
            if (wildcards != null) {
                subtable.addMaskTo(wildcards);
            }
            Node found = subtable.find(words);
            if (found != null
                    && (best == null
                            || found.priority > bestPriority
                            || (found.priority == bestPriority && found.sequence < best.sequence))) {
                best = found;
                bestPriority = found.priority;
            }
        }
        return best == null ? null : cast(best.rule);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** How many distinct masks the rules have: the number of hash tables a miss probes. */
    public int subtableCount() {
        return ordered.length;
    }

    /** A snapshot of every rule, in no particular order: the caller may change the classifier while walking it. */
    public List<R> rules() {
        List<R> all = new ArrayList<>(size);
        forEach(all::add);
        return all;
    }

    /** Calls {@code action} on every rule, in no particular order; {@code action} must not change the classifier. */
    public void forEach(Consumer<? super R> action) {
        for (Subtable subtable : ordered) {
            for (Node head : subtable.heads) {
                for (Node node = head; node != null; node = node.next) {
                    action.accept(cast(node.rule));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private R cast(Classified rule) {
        return (R) rule;
    }

    private void addSubtable(Subtable subtable) {
        Subtable[] grown = Arrays.copyOf(ordered, ordered.length + 1);
        grown[ordered.length] = subtable;
        subtable.position = ordered.length;
        ordered = grown;
    }

    private void removeSubtable(Subtable subtable) {
        Subtable[] shrunk = new Subtable[ordered.length - 1];
        int at = subtable.position;
        System.arraycopy(ordered, 0, shrunk, 0, at);
        System.arraycopy(ordered, at + 1, shrunk, at, shrunk.length - at);
        for (int i = at; i < shrunk.length; i++) {
            shrunk[i].position = i;
        }
        ordered = shrunk;
    }

    /** Moves {@code subtable} to its place after its highest priority changed: the others stay sorted. */
    private void reposition(Subtable subtable) {
        Subtable[] array = ordered;
        int at = subtable.position;
        while (at > 0 && array[at - 1].maxPriority < subtable.maxPriority) {
            array[at] = array[at - 1];
            array[at].position = at;
            at--;
        }
        while (at < array.length - 1 && array[at + 1].maxPriority > subtable.maxPriority) {
            array[at] = array[at + 1];
            array[at].position = at;
            at++;
        }
        array[at] = subtable;
        subtable.position = at;
    }

    /** A mask as a hash map key, for the control path. */
    private static final class MaskKey {
        private final long[] words;
        private final int hash;

        MaskKey(long[] words) {
            this.words = words;
            this.hash = Arrays.hashCode(words);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof MaskKey key && hash == key.hash && Arrays.equals(words, key.words);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A rule, with its priority and insertion order at hand for the lookup. */
    private static final class Node {
        final Classified rule;
        final int priority;
        final long sequence;
        Node next;

        Node(Classified rule, int priority, long sequence) {
            this.rule = rule;
            this.priority = priority;
            this.sequence = sequence;
        }
    }

    /** The rules of one mask, hashed by their masked value. */
    private static final class Subtable {
        private static final int MIN_CAPACITY = 8;

        final long[] fullMask;
        /** The key words the mask touches, and the mask of each. */
        final int[] indices;

        final long[] masks;
        /** {@code indices.length}: the value words each slot holds. */
        final int width;

        // The hash table, as parallel arrays indexed by slot. Capacity a power of two, at least twice count.
        /** The slot's hash (never 0), or 0 for an empty slot. */
        int[] hashes = new int[MIN_CAPACITY];
        /** The slot's masked value: {@code width} words from {@code slot * width}, in the order of indices. */
        long[] values;
        /** The rules with the slot's value, highest priority first. */
        Node[] heads = new Node[MIN_CAPACITY];
        /** A hash's home slot is {@code hash >>> shift}: its top bits. */
        int shift = Integer.SIZE - Integer.numberOfTrailingZeros(MIN_CAPACITY);
        /** Occupied slots (distinct masked values). */
        int count;
        /** Rules. */
        int rules;

        int maxPriority = Integer.MIN_VALUE;
        /** How many rules have each priority: gives the new maximum when the last rule of the old one goes. */
        final TreeMap<Integer, Integer> priorities = new TreeMap<>();
        /** Index in {@link Classifier#ordered}. */
        int position;

        Subtable(long[] fullMask) {
            this.fullMask = fullMask;
            int touched = 0;
            for (long word : fullMask) {
                touched += word != 0 ? 1 : 0;
            }
            width = touched;
            indices = new int[touched];
            masks = new long[touched];
            for (int i = 0, j = 0; i < fullMask.length; i++) {
                if (fullMask[i] != 0) {
                    indices[j] = i;
                    masks[j++] = fullMask[i];
                }
            }
            values = new long[MIN_CAPACITY * width];
        }

        void addMaskTo(long[] wildcards) {
            for (int i = 0; i < indices.length; i++) {
                wildcards[indices[i]] |= masks[i];
            }
        }

        /** The highest-priority rule whose value is {@code words & mask}, or null. */
        Node find(long[] words) {
            int[] idx = indices;
            long[] m = masks;
            long h = SEED;
            for (int i = 0; i < idx.length; i++) {
                h = mix(h, words[idx[i]] & m[i]);
            }
            int hash = finish(h);
            int[] table = hashes;
            int last = table.length - 1;
            for (int slot = hash >>> shift; ; slot = (slot + 1) & last) {
                int stored = table[slot];
                if (stored == hash) {
                    if (sameValue(slot, words, idx, m)) {
                        return heads[slot];
                    }
                } else if (stored == 0) {
                    return null;
                }
            }
        }

        private boolean sameValue(int slot, long[] words, int[] idx, long[] m) {
            long[] v = values;
            int at = slot * idx.length;
            for (int i = 0; i < idx.length; i++) {
                if ((words[idx[i]] & m[i]) != v[at + i]) {
                    return false;
                }
            }
            return true;
        }

        Classified insert(Match match, int priority, Classified rule, long sequence) {
            int hash = hashOf(match);
            int slot = slotOf(match, hash);
            Node fresh = new Node(rule, priority, sequence);
            if (slot < 0) {
                slot = put(hash, fresh);
                for (int i = 0; i < width; i++) {
                    values[slot * width + i] = match.value(indices[i]);
                }
                added(priority);
                return null;
            }
            Node previous = null;
            Node node = heads[slot];
            while (node != null && node.priority > priority) {
                previous = node;
                node = node.next;
            }
            if (node != null && node.priority == priority) {
                fresh.next = node.next;
                link(slot, previous, fresh);
                return node.rule;
            }
            fresh.next = node;
            link(slot, previous, fresh);
            added(priority);
            return null;
        }

        Classified remove(Match match, int priority, Classified rule) {
            int slot = slotOf(match, hashOf(match));
            if (slot < 0) {
                return null;
            }
            Node previous = null;
            for (Node node = heads[slot]; node != null; previous = node, node = node.next) {
                if (node.rule == rule && node.priority == priority) {
                    link(slot, previous, node.next);
                    if (heads[slot] == null) {
                        deleteSlot(slot);
                    }
                    removed(priority);
                    return rule;
                }
            }
            return null;
        }

        Classified findExactly(Match match, int priority) {
            int slot = slotOf(match, hashOf(match));
            if (slot >= 0) {
                for (Node node = heads[slot]; node != null && node.priority >= priority; node = node.next) {
                    if (node.priority == priority) {
                        return node.rule;
                    }
                }
            }
            return null;
        }

        private void link(int slot, Node previous, Node node) {
            if (previous == null) {
                heads[slot] = node;
            } else {
                previous.next = node;
            }
        }

        private void added(int priority) {
            rules++;
            priorities.merge(priority, 1, Integer::sum);
            maxPriority = Math.max(maxPriority, priority);
        }

        private void removed(int priority) {
            rules--;
            priorities.computeIfPresent(priority, (p, n) -> n == 1 ? null : n - 1);
            maxPriority = priorities.isEmpty() ? Integer.MIN_VALUE : priorities.lastKey();
        }

        /** The hash {@link #find} computes for the keys {@code match} accepts (its value is already masked). */
        private int hashOf(Match match) {
            long h = SEED;
            for (int index : indices) {
                h = mix(h, match.value(index));
            }
            return finish(h);
        }

        /** The slot of {@code match}'s value, or -1. */
        private int slotOf(Match match, int hash) {
            int last = hashes.length - 1;
            for (int slot = hash >>> shift; ; slot = (slot + 1) & last) {
                int stored = hashes[slot];
                if (stored == 0) {
                    return -1;
                }
                if (stored == hash && sameValue(slot, match)) {
                    return slot;
                }
            }
        }

        private boolean sameValue(int slot, Match match) {
            for (int i = 0; i < width; i++) {
                if (match.value(indices[i]) != values[slot * width + i]) {
                    return false;
                }
            }
            return true;
        }

        /** Takes a free slot for a new value, growing the table first if needed; the caller writes the value. */
        private int put(int hash, Node head) {
            if ((count + 1) * 2 > hashes.length) {
                resize(hashes.length * 2);
            }
            count++;
            return place(hash, head);
        }

        private int place(int hash, Node head) {
            int last = hashes.length - 1;
            int slot = hash >>> shift;
            while (hashes[slot] != 0) {
                slot = (slot + 1) & last;
            }
            hashes[slot] = hash;
            heads[slot] = head;
            return slot;
        }

        /** Empties {@code slot}, moving back later slots of the probe run that may no longer be reached. */
        private void deleteSlot(int slot) {
            int last = hashes.length - 1;
            int hole = slot;
            for (int next = (hole + 1) & last; hashes[next] != 0; next = (next + 1) & last) {
                int home = hashes[next] >>> shift;
                // The slot at next stays if its home lies cyclically in (hole, next]: the hole is not on its path.
                boolean stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
                if (!stays) {
                    hashes[hole] = hashes[next];
                    heads[hole] = heads[next];
                    System.arraycopy(values, next * width, values, hole * width, width);
                    hole = next;
                }
            }
            hashes[hole] = 0;
            heads[hole] = null;
            count--;
            if (hashes.length > MIN_CAPACITY && count * 8 < hashes.length) {
                resize(hashes.length / 2);
            }
        }

        private void resize(int capacity) {
            int[] oldHashes = hashes;
            long[] oldValues = values;
            Node[] oldHeads = heads;
            hashes = new int[capacity];
            values = new long[capacity * width];
            heads = new Node[capacity];
            shift = Integer.SIZE - Integer.numberOfTrailingZeros(capacity);
            for (int old = 0; old < oldHashes.length; old++) {
                if (oldHashes[old] != 0) {
                    int slot = place(oldHashes[old], oldHeads[old]);
                    System.arraycopy(oldValues, old * width, values, slot * width, width);
                }
            }
        }
    }

    private static final long SEED = 0x9e3779b97f4a7c15L;

    private static long mix(long h, long word) {
        h = (h ^ word) * 0xff51afd7ed558ccdL;
        return h ^ (h >>> 32);
    }

    /**
     * A second multiply, so that every bit of every word reaches the top bits that choose the slot; never 0, which
     * marks an empty slot.
     */
    private static int finish(long h) {
        h *= 0xc4ceb9fe1a85ec53L;
        return (int) (h ^ (h >>> 32)) | 1;
    }
}
