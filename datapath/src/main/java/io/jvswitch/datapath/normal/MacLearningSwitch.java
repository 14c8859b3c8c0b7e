package io.jvswitch.datapath.normal;

import io.jvswitch.ofproto.xlate.Dependency;
import io.jvswitch.wire.MacAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The MAC table behind a bridge's NORMAL action: which port each (VLAN, MAC) was last seen on, aged out after {@link
 * #DEFAULT_AGING_SECONDS} without traffic, capped at {@link #DEFAULT_MAX_ENTRIES} (learning then stops and is
 * counted). Open vSwitch's {@code fdb/show} prints it.
 *
 * <p>Every change that can alter a forwarding decision — a MAC learned, moved or aged out — is announced as a change
 * to {@link #dependency()}, so that cached translations that consulted the table are dropped.
 */
public final class MacLearningSwitch {
    public static final int DEFAULT_AGING_SECONDS = 300;
    public static final int DEFAULT_MAX_ENTRIES = 8192;

    /** One learned address. */
    public record Entry(int vlan, long mac, int port, long lastSeenMillis) {}

    private final Map<Long, Entry> table = new HashMap<>();
    private final int agingSeconds;
    private final int maxEntries;
    private final Dependency dependency = new MacTable(this);
    private Consumer<Dependency> changes = dependency -> {};
    private long learnedTotal;
    private long refusedFull;

    public MacLearningSwitch() {
        this(DEFAULT_AGING_SECONDS, DEFAULT_MAX_ENTRIES);
    }

    public MacLearningSwitch(int agingSeconds, int maxEntries) {
        this.agingSeconds = agingSeconds;
        this.maxEntries = maxEntries;
    }

    /** The dependency that cached translations using this table record. */
    public Dependency dependency() {
        return dependency;
    }

    /** Who to tell when the table changes (the flow caches). */
    public void onChange(Consumer<Dependency> listener) {
        this.changes = listener;
    }

    private static long key(int vlan, long mac) {
        return ((long) vlan << 48) | (mac & 0xffff_ffff_ffffL);
    }

    /** Learns (or refreshes) {@code mac} on {@code port} in {@code vlan}. Group addresses are never learned. */
    public synchronized void learn(int vlan, long mac, int port, long nowMillis) {
        if (MacAddress.isMulticast(mac)) {
            return;
        }
        long key = key(vlan, mac);
        Entry old = table.get(key);
        if (old == null && table.size() >= maxEntries) {
            refusedFull++;
            return;
        }
        table.put(key, new Entry(vlan, mac, port, nowMillis));
        if (old == null || old.port() != port) {
            learnedTotal++;
            changes.accept(dependency);
        }
    }

    /** The port {@code mac} was learned on in {@code vlan}, or -1 when unknown (or aged out). */
    public synchronized int lookup(int vlan, long mac, long nowMillis) {
        Entry entry = table.get(key(vlan, mac));
        if (entry == null || nowMillis - entry.lastSeenMillis() > agingSeconds * 1000L) {
            return -1;
        }
        return entry.port();
    }

    /** Removes entries not seen for the aging time; returns how many. */
    public synchronized int expire(long nowMillis) {
        int before = table.size();
        table.values().removeIf(entry -> nowMillis - entry.lastSeenMillis() > agingSeconds * 1000L);
        int removed = before - table.size();
        if (removed > 0) {
            changes.accept(dependency);
        }
        return removed;
    }

    /** Forgets everything learned on {@code port} (it left the bridge). */
    public synchronized void forgetPort(int port) {
        if (table.values().removeIf(entry -> entry.port() == port)) {
            changes.accept(dependency);
        }
    }

    /** The entries, by port, VLAN and MAC, for fdb/show. */
    public synchronized List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(table.values());
        entries.sort(Comparator.comparingInt(Entry::port)
                .thenComparingInt(Entry::vlan)
                .thenComparingLong(Entry::mac));
        return entries;
    }

    public synchronized int size() {
        return table.size();
    }

    public int agingSeconds() {
        return agingSeconds;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Learns refused because the table was full. */
    public synchronized long refusedFull() {
        return refusedFull;
    }

    /** MACs learned or moved since the start. */
    public synchronized long learnedTotal() {
        return learnedTotal;
    }

    /** The dependency on one MAC table: identity equality. */
    private record MacTable(MacLearningSwitch table) implements Dependency {
        @Override
        public boolean equals(Object other) {
            return other instanceof MacTable that && that.table == table;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(table);
        }
    }
}
