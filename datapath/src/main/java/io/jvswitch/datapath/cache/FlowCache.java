package io.jvswitch.datapath.cache;

import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.xlate.BridgeView;
import io.jvswitch.ofproto.xlate.Dependency;
import io.jvswitch.ofproto.xlate.Translation;
import io.jvswitch.ofproto.xlate.Translator;
import java.time.InstantSource;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The two-level lookup in front of a bridge's OpenFlow tables, as Open vSwitch's datapath does it: the exact-match
 * cache, then the megaflow cache, then — on a miss — translation through the tables, whose result is cached in both.
 *
 * <p>Changes to any flow table a cached translation read are announced by the tables (possibly from another thread);
 * they are queued and applied by the owning thread at its next lookup, which drops the stale megaflows (and, through
 * their death, the exact-match entries pointing at them). Learning a flow that was already there changes nothing and
 * invalidates nothing.
 *
 * <p>{@link #classify} runs per packet: on a cache hit it allocates nothing.
 */
public final class FlowCache {
    private final BridgeView bridge;
    private final InstantSource clock;
    private final ExactMatchCache exact;
    private final MegaflowCache megaflows;
    private final ConcurrentLinkedQueue<Dependency> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingCount = new AtomicLong();
    private final Set<FlowTables> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private BiConsumer<FlowKey, Translation> translations = (key, translation) -> {};
    private long exactHits;
    private long megaflowHits;
    private long misses;

    public FlowCache(BridgeView bridge, InstantSource clock) {
        this(bridge, clock, new ExactMatchCache(), new MegaflowCache());
    }

    public FlowCache(BridgeView bridge, InstantSource clock, ExactMatchCache exact, MegaflowCache megaflows) {
        this.bridge = bridge;
        this.clock = clock;
        this.exact = exact;
        this.megaflows = megaflows;
        watch(bridge.tables());
    }

    /**
     * The cached translation for a packet whose flow is {@code key} (in_port and tunnel metadata set), counting the
     * packet against it. Translates and caches on a miss.
     */
    public MegaflowEntry classify(FlowKey key, int length) {
        return classify(key, length, clock.millis());
    }

    /** As {@link #classify(FlowKey, int)}, with the time read once for a whole batch by the caller. */
    public MegaflowEntry classify(FlowKey key, int length, long now) {
        return classify(key, key.hash(), length, now);
    }

    /**
     * As {@link #classify(FlowKey, int, long)}, with {@code hash} the key's {@link FlowKey#hash()}, computed by the
     * caller because it uses it again (the tunnel's UDP source port).
     */
    public MegaflowEntry classify(FlowKey key, int hash, int length, long now) {
        if (pendingCount.get() != 0) {
            applyInvalidations();
        }
        MegaflowEntry entry = exact.lookup(key, hash);
        if (entry != null) {
            exactHits++;
        } else {
            entry = megaflows.lookup(key);
            if (entry != null) {
                megaflowHits++;
            } else {
                misses++;
                entry = install(key, Translator.translate(bridge, key), now);
            }
            exact.insert(key, hash, entry);
        }
        entry.hit(length, now);
        return entry;
    }

    /**
     * Who hears of every translation (every cache miss), with the packet's flow: traces, the demo's narration. The
     * flow is only valid during the call.
     */
    public void onTranslation(BiConsumer<FlowKey, Translation> listener) {
        this.translations = listener;
    }

    private MegaflowEntry install(FlowKey key, Translation translation, long now) {
        translations.accept(key, translation);
        for (Dependency dependency : translation.dependencies()) {
            if (dependency instanceof Dependency.Table(FlowTables tables, int table)) {
                watch(tables);
            }
        }
        // Translation may itself have changed a table it read (a learn adding a flow): those changes are about the
        // tables as they were before; apply them now, before caching the result computed from the new state.
        applyInvalidations();
        return megaflows.insert(translation, now);
    }

    private void watch(FlowTables tables) {
        if (watched.add(tables)) {
            tables.addListener((table, match) -> {
                pending.add(new Dependency.Table(tables, table));
                pendingCount.incrementAndGet();
            });
        }
    }

    /** Drops every cached translation that rests on something changed since the last call. */
    public void applyInvalidations() {
        for (Dependency dependency = pending.poll(); dependency != null; dependency = pending.poll()) {
            pendingCount.decrementAndGet();
            megaflows.invalidate(dependency);
        }
    }

    /** Something outside the flow tables changed (a MAC table, say): drop what rests on it. */
    public void invalidate(Dependency dependency) {
        pending.add(dependency);
        pendingCount.incrementAndGet();
    }

    /** Credits every flow with the packets its cached translations counted (before dumps and expiry). */
    public void pushStats() {
        applyInvalidations();
        megaflows.pushStats();
    }

    public MegaflowCache megaflows() {
        return megaflows;
    }

    public long exactHits() {
        return exactHits;
    }

    public long megaflowHits() {
        return megaflowHits;
    }

    public long misses() {
        return misses;
    }
}
