package io.jvswitch.ofproto.table;

import io.jvswitch.ofproto.action.Action;
import io.jvswitch.ofproto.action.ActionContext;
import io.jvswitch.ofproto.action.Output;
import io.jvswitch.ofproto.classifier.Classifier;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.MatchFormatter;
import io.jvswitch.ofproto.flow.Ports;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;

/**
 * The OpenFlow tables of one bridge, 0 to 254, with Open vSwitch's semantics for adding, modifying, deleting,
 * learning and expiring flows. A table with no matching flow drops the packet (the table-miss behaviour of OpenFlow
 * 1.3 and of Open vSwitch).
 *
 * <p>Every change is announced to {@link FlowChangeListener}s with the table and match it touched, so that caches can
 * drop the translations it affects. Times come from the injected clock, so that timeouts can be tested in virtual
 * time.
 *
 * <p>Threading: one writer at a time (flow mods, learn, expiry are synchronized on this object); lookups must run on
 * the writer's thread or under the same lock — the datapath calls them from its slow path, which holds it.
 */
public final class FlowTables {
    public static final int TABLE_COUNT = 255;

    private final InstantSource clock;
    private final List<Classifier<Rule>> tables = new ArrayList<>(TABLE_COUNT);
    private final List<FlowChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final List<FlowExpiryListener> expiryListeners = new CopyOnWriteArrayList<>();
    private volatile long generation;

    public FlowTables(InstantSource clock) {
        this.clock = clock;
        for (int i = 0; i < TABLE_COUNT; i++) {
            tables.add(new Classifier<>());
        }
    }

    public InstantSource clock() {
        return clock;
    }

    public void addListener(FlowChangeListener listener) {
        listeners.add(listener);
    }

    /** Hears of the flows {@link #expire} removes, after the change listeners have heard of each one. */
    public void addExpiryListener(FlowExpiryListener listener) {
        expiryListeners.add(listener);
    }

    /** Bumped on every change: a cheap way to know that something changed since a point in time. */
    public long generation() {
        return generation;
    }

    /**
     * The highest-priority flow of {@code table} matching {@code key}, or null (a table miss); ORs into {@code
     * wildcards} the bits the decision depended on.
     */
    public Rule lookup(int table, FlowKey key, long[] wildcards) {
        return tables.get(table).lookup(key, wildcards);
    }

    /** Number of flows in {@code table}. */
    public int size(int table) {
        return tables.get(table).size();
    }

    /** Number of flows in every table. */
    public int size() {
        int size = 0;
        for (Classifier<Rule> table : tables) {
            size += table.size();
        }
        return size;
    }

    /**
     * Applies one flow mod.
     *
     * @return how many flows it added, changed or removed
     * @throws FlowModException when it cannot be applied; nothing changed
     */
    public synchronized int apply(FlowMod mod) {
        check(mod);
        return execute(mod);
    }

    /** Applies every flow mod, or none of them when any cannot be applied. */
    public synchronized int applyAll(List<FlowMod> mods) {
        for (FlowMod mod : mods) {
            check(mod);
        }
        int changed = 0;
        for (FlowMod mod : mods) {
            changed += execute(mod);
        }
        return changed;
    }

    private static void check(FlowMod mod) {
        boolean adding = mod.command() == FlowMod.Command.ADD;
        if (mod.table() < 0 || mod.table() > (adding ? TABLE_COUNT - 1 : FlowMod.ALL_TABLES)) {
            throw new FlowModException("table " + mod.table() + " does not exist (tables are 0 to 254"
                    + (adding ? ")" : "; 255 means every table)"));
        }
        if (mod.priority() < 0 || mod.priority() > 0xffff) {
            throw new FlowModException("priority " + mod.priority() + " is out of range (0 to 65535)");
        }
        if (mod.idleTimeout() < 0
                || mod.idleTimeout() > 0xffff
                || mod.hardTimeout() < 0
                || mod.hardTimeout() > 0xffff) {
            throw new FlowModException("timeouts are 0 to 65535 seconds");
        }
        if (mod.command() != FlowMod.Command.DELETE && mod.command() != FlowMod.Command.DELETE_STRICT) {
            ActionContext context = new ActionContext(addTable(mod), mod.match());
            for (Action action : mod.actions()) {
                try {
                    action.check(context);
                } catch (IllegalArgumentException e) {
                    throw new FlowModException(e.getMessage());
                }
            }
        }
    }

    /** The table a flow mod adds its flow to: a modify across every table adds to table 0, as Open vSwitch does. */
    private static int addTable(FlowMod mod) {
        return mod.table() == FlowMod.ALL_TABLES ? 0 : mod.table();
    }

    private int execute(FlowMod mod) {
        long now = clock.millis();
        return switch (mod.command()) {
            case ADD -> {
                add(mod, now, now);
                yield 1;
            }
            case MODIFY, MODIFY_STRICT -> {
                List<Rule> rules = select(mod);
                if (rules.isEmpty()) {
                    if (mod.cookieMask() != 0) {
                        yield 0; // selecting by cookie: a modify never adds (OVS's modify_may_add_flow)
                    }
                    add(mod.withCommand(FlowMod.Command.ADD), now, now); // OpenFlow 1.0: modify adds what is not there
                    yield 1;
                }
                for (Rule rule : rules) {
                    long cookie = mod.cookieMask() != 0 ? rule.cookie() : mod.cookie();
                    rule.modify(mod.actions(), cookie, now);
                    changed(rule.table(), rule.match());
                }
                yield rules.size();
            }
            case DELETE, DELETE_STRICT -> {
                List<Rule> rules = select(mod);
                for (Rule rule : rules) {
                    remove(rule);
                }
                yield rules.size();
            }
        };
    }

    /** Adds {@code mod}'s flow at {@code now}, its hard timer started at {@code hardTimerStart} (at most now). */
    private void add(FlowMod mod, long now, long hardTimerStart) {
        int table = addTable(mod);
        Rule rule = new Rule(
                table,
                mod.match(),
                mod.priority(),
                mod.cookie(),
                mod.actions(),
                mod.idleTimeout(),
                mod.hardTimeout(),
                now,
                Math.min(now, hardTimerStart));
        Rule old = tables.get(table).insert(rule);
        if (old != null) {
            old.markRemoved();
        }
        changed(table, mod.match());
    }

    private void remove(Rule rule) {
        tables.get(rule.table()).remove(rule);
        rule.markRemoved();
        changed(rule.table(), rule.match());
    }

    /** The flows a modify or delete applies to: strict or within the match, filtered by cookie and out_port. */
    private List<Rule> select(FlowMod mod) {
        List<Rule> selected = new ArrayList<>();
        int first = mod.table() == FlowMod.ALL_TABLES ? 0 : mod.table();
        int last = mod.table() == FlowMod.ALL_TABLES ? TABLE_COUNT - 1 : mod.table();
        for (int t = first; t <= last; t++) {
            if (mod.strict()) {
                Rule rule = tables.get(t).findExactly(mod.match(), mod.priority());
                if (rule != null && filtersAccept(mod, rule)) {
                    selected.add(rule);
                }
                continue;
            }
            for (Rule rule : tables.get(t).rules()) {
                if (rule.match().isWithin(mod.match()) && filtersAccept(mod, rule)) {
                    selected.add(rule);
                }
            }
        }
        return selected;
    }

    private static boolean filtersAccept(FlowMod mod, Rule rule) {
        if (((rule.cookie() ^ mod.cookie()) & mod.cookieMask()) != 0) {
            return false;
        }
        if (mod.outPort() == Ports.NONE) {
            return true;
        }
        for (Action action : rule.actions()) {
            if (action instanceof Output(int port) && port == mod.outPort()) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a {@code learn} action does with the flow it built: modify-strict semantics, as Open vSwitch's {@code
     * ofproto_flow_mod_init_for_learn} gives them. A flow with the same match and priority whose actions, cookie and
     * timeouts are the ones learned only has its hard timer restarted, and no listener hears of it (nothing a cache
     * holds changed). One that differs gets the learned actions and cookie, its hard timer restarted, its counters
     * and timeouts kept. Otherwise the flow is added.
     *
     * @return the flow as it now stands
     */
    public synchronized Rule learn(FlowMod mod) {
        long now = clock.millis();
        Rule existing = tables.get(mod.table()).findExactly(mod.match(), mod.priority());
        if (existing != null) {
            // The same list instance when a cached learn replays its flow: no need to compare the actions one by one.
            boolean sameActions =
                    existing.actions() == mod.actions() || existing.actions().equals(mod.actions());
            if (sameActions
                    && existing.cookie() == mod.cookie()
                    && existing.idleTimeout() == mod.idleTimeout()
                    && existing.hardTimeout() == mod.hardTimeout()) {
                existing.refresh(now);
            } else {
                existing.modify(mod.actions(), mod.cookie(), now);
                changed(existing.table(), existing.match());
            }
            return existing;
        }
        check(mod);
        add(mod.withCommand(FlowMod.Command.ADD), now, now);
        return tables.get(mod.table()).findExactly(mod.match(), mod.priority());
    }

    /**
     * Makes the tables hold exactly {@code flows}, as ovs-ofctl's {@code replace-flows} does: flows whose identity
     * (table, match, priority) is not among {@code flows} are deleted; flows that are new, or whose cookie, timeouts or
     * actions differ, are added (replacing the old version whole, counters reset, as an add does); flows that are the
     * same are left alone, counters, duration and ages included. All or nothing: when any flow cannot be added,
     * nothing changes.
     *
     * @param flows flows to add ({@link FlowMod.Command#ADD}); of two with the same identity, the later one counts
     * @return what changed, in {@link FlowDiff#ORDER}: {@link FlowDiff#format} prints it as diff-flows would have
     * @throws FlowModException when a flow cannot be added; nothing changed
     */
    public synchronized List<FlowDiff.Change> replaceAll(List<FlowMod> flows) {
        return replaceAll(flows, flow -> Long.MAX_VALUE);
    }

    /**
     * As {@link #replaceAll(List)}, for flows that were in the tables before (a switch restoring the flows it kept
     * across a restart): a flow this adds has its hard timer started at {@code hardTimerStart} of it, a time in the
     * clock's milliseconds, instead of now, so that it keeps only the time it had left; a start after now counts as
     * now, so that no flow ever gets more than its whole hard timeout. Its duration, idle timer and counters start now.
     * Flows left alone keep their timers, as they do in {@link #replaceAll(List)}.
     *
     * <p>A flow whose hard timeout has already passed by its start is added all the same, and the next {@link
     * #expire} removes it: the caller leaves out the flows it does not want back.
     */
    public synchronized List<FlowDiff.Change> replaceAll(List<FlowMod> flows, ToLongFunction<FlowMod> hardTimerStart) {
        for (FlowMod flow : flows) {
            if (flow.command() != FlowMod.Command.ADD) {
                throw new FlowModException("replace-flows takes flows to add, not " + flow.command());
            }
            check(flow);
        }
        List<FlowMod> current = new ArrayList<>();
        for (Rule rule : rules()) {
            current.add(FlowDiff.flowOf(rule));
        }
        List<FlowDiff.Change> changes = FlowDiff.compare(current, flows);
        long now = clock.millis();
        for (FlowDiff.Change change : changes) {
            if (change.after() == null) {
                FlowMod gone = change.before();
                remove(tables.get(gone.table()).findExactly(gone.match(), gone.priority()));
            }
        }
        for (FlowDiff.Change change : changes) {
            if (change.after() != null) {
                add(change.after(), now, hardTimerStart.applyAsLong(change.after()));
            }
        }
        return changes;
    }

    /**
     * Removes every flow whose idle or hard timeout has passed, and returns them; the {@linkplain #addExpiryListener
     * expiry listeners} hear of them too, in one call, when there are any.
     */
    public synchronized List<Rule> expire() {
        long now = clock.millis();
        List<Rule> expired = new ArrayList<>();
        for (Classifier<Rule> table : tables) {
            for (Rule rule : table.rules()) {
                if (rule.expired(now)) {
                    expired.add(rule);
                }
            }
        }
        for (Rule rule : expired) {
            remove(rule);
        }
        if (!expired.isEmpty()) {
            List<Rule> gone = List.copyOf(expired);
            for (FlowExpiryListener listener : expiryListeners) {
                listener.flowsExpired(gone);
            }
        }
        return expired;
    }

    /** Every flow, in dump-flows order: by table, then by descending priority, then by match text. */
    public synchronized List<Rule> rules() {
        List<Rule> all = new ArrayList<>();
        for (Classifier<Rule> table : tables) {
            for (Rule rule : table.rules()) {
                all.add(rule);
            }
        }
        all.sort(DUMP_ORDER);
        return all;
    }

    /** The flows a dump-flows with this filter shows: table (or all), match (non-strict), cookie/mask, out_port. */
    public synchronized List<Rule> rules(FlowMod filter) {
        List<Rule> rules = select(filter);
        rules.sort(DUMP_ORDER);
        return rules;
    }

    public static final Comparator<Rule> DUMP_ORDER = Comparator.comparingInt(Rule::table)
            .thenComparing(Comparator.comparingInt(Rule::priority).reversed())
            .thenComparing(rule -> MatchFormatter.format(rule.match(), -1));

    private void changed(int table, Match match) {
        generation++;
        for (FlowChangeListener listener : listeners) {
            listener.flowChanged(table, match);
        }
    }
}
