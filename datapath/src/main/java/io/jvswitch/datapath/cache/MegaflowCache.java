package io.jvswitch.datapath.cache;

import io.jvswitch.ofproto.classifier.Classifier;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.xlate.Dependency;
import io.jvswitch.ofproto.xlate.Translation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cached translations keyed by their megaflows: a tuple space search over the few distinct megaflow masks (Open
 * vSwitch's dpcls), indexed by what each entry depends on so that a flow change drops exactly the entries that read
 * the table it touched.
 *
 * <p>Single-threaded: the datapath thread that owns it does every lookup, insert and invalidation.
 */
public final class MegaflowCache {
    /** Open vSwitch's default datapath flow limit. */
    public static final int DEFAULT_MAX_ENTRIES = 200_000;

    private final Classifier<MegaflowEntry> entries = new Classifier<>();
    private final Map<Dependency, List<MegaflowEntry>> byDependency = new HashMap<>();
    private final int maxEntries;

    public MegaflowCache() {
        this(DEFAULT_MAX_ENTRIES);
    }

    public MegaflowCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The live entry whose megaflow matches {@code key}, or null. */
    public MegaflowEntry lookup(FlowKey key) {
        MegaflowEntry entry = entries.lookup(key, null);
        return entry != null && entry.isAlive() ? entry : null;
    }

    /** Caches a translation; when the cache is full, everything is flushed first (a simple, safe eviction). */
    public MegaflowEntry insert(Translation translation, long nowMillis) {
        if (entries.size() >= maxEntries) {
            invalidateAll();
        }
        MegaflowEntry entry = new MegaflowEntry(translation, nowMillis);
        MegaflowEntry replaced = entries.insert(entry);
        if (replaced != null) {
            replaced.kill();
        }
        for (Dependency dependency : translation.dependencies()) {
            byDependency.computeIfAbsent(dependency, d -> new ArrayList<>()).add(entry);
        }
        return entry;
    }

    /** Drops every entry that rests on {@code dependency}; returns how many. */
    public int invalidate(Dependency dependency) {
        List<MegaflowEntry> stale = byDependency.remove(dependency);
        if (stale == null) {
            return 0;
        }
        int dropped = 0;
        for (MegaflowEntry entry : stale) {
            if (entry.isAlive()) {
                entry.pushStats();
                entry.kill();
                entries.remove(entry);
                dropped++;
            }
        }
        return dropped;
    }

    /** Drops everything. */
    public void invalidateAll() {
        for (MegaflowEntry entry : entries.rules()) {
            entry.pushStats();
            entry.kill();
            entries.remove(entry);
        }
        byDependency.clear();
    }

    /** Pushes every entry's counts to its flows (before dump-flows, and before idle timeouts are judged). */
    public void pushStats() {
        entries.forEach(MegaflowEntry::pushStats);
    }

    public int size() {
        return entries.size();
    }

    /** The live entries, for dpctl-style dumps and tests. */
    public List<MegaflowEntry> entries() {
        return entries.rules();
    }
}
