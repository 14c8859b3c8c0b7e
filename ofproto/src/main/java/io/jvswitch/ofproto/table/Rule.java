package io.jvswitch.ofproto.table;

import io.jvswitch.ofproto.action.Action;
import io.jvswitch.ofproto.classifier.Classified;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.MatchFormatter;
import java.util.List;

/**
 * One flow in a flow table: where it lives, what it matches at which priority, what it does, when it expires, and what
 * it has counted.
 *
 * <p>Counters are pushed in from the datapath's caches in batches ({@link #addStats}), not per packet, as Open
 * vSwitch's revalidators do: a packet that hits a cached megaflow never touches the rule. Times are milliseconds of the
 * pipeline's clock.
 */
public final class Rule implements Classified {
    /** Neither timeout: the flow stays until deleted. */
    public static final int PERMANENT = 0;

    private final int table;
    private final Match match;
    private final int priority;
    private final int idleTimeout;
    private final int hardTimeout;
    private final long createdMillis;
    private volatile long cookie;
    private volatile List<Action> actions;
    private volatile long modifiedMillis;
    private volatile long usedMillis;
    private volatile boolean removed;
    private long packets;
    private long bytes;

    Rule(
            int table,
            Match match,
            int priority,
            long cookie,
            List<Action> actions,
            int idleTimeout,
            int hardTimeout,
            long nowMillis,
            long hardTimerStartMillis) {
        this.table = table;
        this.match = match;
        this.priority = priority;
        this.cookie = cookie;
        this.actions = List.copyOf(actions);
        this.idleTimeout = idleTimeout;
        this.hardTimeout = hardTimeout;
        this.createdMillis = nowMillis;
        this.modifiedMillis = hardTimerStartMillis;
        this.usedMillis = nowMillis;
    }

    public int table() {
        return table;
    }

    @Override
    public Match match() {
        return match;
    }

    @Override
    public int priority() {
        return priority;
    }

    public long cookie() {
        return cookie;
    }

    public List<Action> actions() {
        return actions;
    }

    /** Seconds without a packet after which the flow is removed; {@link #PERMANENT} for never. */
    public int idleTimeout() {
        return idleTimeout;
    }

    /** Seconds after its last modification (or creation) after which the flow is removed; {@link #PERMANENT}. */
    public int hardTimeout() {
        return hardTimeout;
    }

    public long createdMillis() {
        return createdMillis;
    }

    /**
     * When the flow was added or last modified (what {@code hard_age} and the hard timeout count from); for a flow
     * restored with the time it had left ({@link FlowTables#replaceAll(List, java.util.function.ToLongFunction)}),
     * when its hard timer started, which may be before the flow was added.
     */
    public long modifiedMillis() {
        return modifiedMillis;
    }

    /** When the flow last saw a packet (or was added): what {@code idle_age} and the idle timeout count from. */
    public long usedMillis() {
        return usedMillis;
    }

    /** True once the flow has left its table: caches holding it must not use it any more. */
    public boolean isRemoved() {
        return removed;
    }

    public synchronized long packets() {
        return packets;
    }

    public synchronized long bytes() {
        return bytes;
    }

    /** Adds counts that the datapath gathered, and moves the last-used time forward. */
    public synchronized void addStats(long addPackets, long addBytes, long lastUsedMillis) {
        packets += addPackets;
        bytes += addBytes;
        if (addPackets > 0 && lastUsedMillis > usedMillis) {
            usedMillis = lastUsedMillis;
        }
    }

    /**
     * What a modify does to a flow it selects, as Open vSwitch does it (ofproto.c, replace_rule_start): new actions
     * and cookie; the hard timer restarted; counters, creation time, last use and timeouts kept.
     */
    void modify(List<Action> newActions, long newCookie, long nowMillis) {
        this.actions = List.copyOf(newActions);
        this.cookie = newCookie;
        this.modifiedMillis = nowMillis;
    }

    /** Restarts the hard timer and changes nothing else (a learn that finds its flow as it would write it). */
    void refresh(long nowMillis) {
        this.modifiedMillis = nowMillis;
    }

    void markRemoved() {
        this.removed = true;
    }

    /**
     * True when the idle or hard timeout has passed at {@code nowMillis}: strictly more than the timeout since the
     * last modification (hard) or use (idle), as Open vSwitch's {@code rule_expire} (ofproto-dpif.c) compares {@code
     * now > modified + hard_timeout * 1000}. At exactly the timeout the flow is still there.
     */
    boolean expired(long nowMillis) {
        return (hardTimeout != PERMANENT && nowMillis - modifiedMillis > hardTimeout * 1000L)
                || (idleTimeout != PERMANENT && nowMillis - usedMillis > idleTimeout * 1000L);
    }

    @Override
    public String toString() {
        return "table=" + table + ", " + MatchFormatter.format(match, priority);
    }
}
