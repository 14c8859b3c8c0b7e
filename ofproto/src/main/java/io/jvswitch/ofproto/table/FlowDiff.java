package io.jvswitch.ofproto.table;

import io.jvswitch.ofproto.action.ActionParser;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.MatchFormatter;
import io.jvswitch.ofproto.flow.Ports;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares two sets of flows as ovs-ofctl's {@code diff-flows} and {@code replace-flows} do (utilities/ovs-ofctl.c,
 * the {@code fte_*} functions).
 *
 * <p>A flow's identity is its table, match and priority ({@link Key}): within one set, a later flow with the same
 * identity replaces an earlier one. Two flows with the same identity are the same when their cookies, idle and hard
 * timeouts and actions are; actions are compared as text, as ovs-ofctl compares them. Counters and ages never make a
 * difference.
 *
 * <p>A difference prints as ovs-ofctl's {@code fte_version_format} prints it, after a {@code -} (the flow as the first
 * set has it) or a {@code +} (as the second has it), with nothing between the sign and the flow: {@code table=N } when
 * the table is not 0, the match with its priority (left out when it is the default 32768, so a catch-all flow of
 * default priority prints nothing there and its line reads {@code - actions=drop}), then {@code cookie=0x...}, {@code
 * idle_timeout=N} and {@code hard_timeout=N} when not 0, then {@code actions=}, each after one space:
 *
 * <pre>
 * -table=20 priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 hard_timeout=300 actions=output:3
 * -table=21 priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2
 * +table=21 priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2,output:4
 * </pre>
 *
 * <p>ovs-ofctl walks its classifiers, whose order is not defined; here the differences come in dump-flows order
 * (table, then priority from high to low, then the match's text), the {@code -} line of an identity before its {@code
 * +} line, so that the output is the same on every run.
 */
public final class FlowDiff {
    private FlowDiff() {}

    /** What identifies a flow in a diff: where it is and what it matches at which priority. */
    public record Key(int table, Match match, int priority) {}

    /**
     * One identity whose flows differ.
     *
     * @param before the flow in the first set, or null when only the second has one
     * @param after the flow in the second set, or null when only the first has one
     */
    public record Change(FlowMod before, FlowMod after) {
        public Change {
            if (before == null && after == null) {
                throw new IllegalArgumentException("a change needs a flow before or after");
            }
        }

        public Key key() {
            return FlowDiff.key(before != null ? before : after);
        }
    }

    /** Dump-flows order for identities: table, then priority from high to low, then the match's text. */
    public static final Comparator<Key> ORDER = Comparator.comparingInt(Key::table)
            .thenComparing(Comparator.comparingInt(Key::priority).reversed())
            .thenComparing(key -> MatchFormatter.format(key.match(), -1));

    public static Key key(FlowMod flow) {
        return new Key(flow.table(), flow.match(), flow.priority());
    }

    /** A flow in the tables as the flow that would add it: its table, match, priority, cookie, timeouts, actions. */
    public static FlowMod flowOf(Rule rule) {
        return new FlowMod(
                FlowMod.Command.ADD,
                rule.table(),
                rule.match(),
                rule.priority(),
                rule.cookie(),
                0,
                rule.actions(),
                rule.idleTimeout(),
                rule.hardTimeout(),
                Ports.NONE);
    }

    /** The flows by identity, in their order; a later flow replaces an earlier one with the same identity. */
    public static Map<Key, FlowMod> byKey(List<FlowMod> flows) {
        Map<Key, FlowMod> byKey = new LinkedHashMap<>();
        for (FlowMod flow : flows) {
            byKey.remove(key(flow));
            byKey.put(key(flow), flow);
        }
        return byKey;
    }

    /** True when two flows of the same identity have the same cookie, timeouts and actions (as text). */
    public static boolean same(FlowMod a, FlowMod b) {
        return a.cookie() == b.cookie()
                && a.idleTimeout() == b.idleTimeout()
                && a.hardTimeout() == b.hardTimeout()
                && ActionParser.format(a.actions()).equals(ActionParser.format(b.actions()));
    }

    /** Every identity whose flows differ between {@code first} and {@code second}, in {@link #ORDER}. */
    public static List<Change> compare(List<FlowMod> first, List<FlowMod> second) {
        Map<Key, FlowMod> a = byKey(first);
        Map<Key, FlowMod> b = byKey(second);
        Set<Key> keys = new TreeSet<>(ORDER);
        keys.addAll(a.keySet());
        keys.addAll(b.keySet());
        List<Change> changes = new ArrayList<>();
        for (Key key : keys) {
            FlowMod before = a.get(key);
            FlowMod after = b.get(key);
            if (before == null || after == null || !same(before, after)) {
                changes.add(new Change(before, after));
            }
        }
        return changes;
    }

    /** The lines diff-flows prints for {@code changes}: for each, {@code -} and the flow before, {@code +} and after. */
    public static List<String> format(List<Change> changes) {
        List<String> lines = new ArrayList<>();
        for (Change change : changes) {
            if (change.before() != null) {
                lines.add("-" + format(change.before()));
            }
            if (change.after() != null) {
                lines.add("+" + format(change.after()));
            }
        }
        return lines;
    }

    /** One flow as diff-flows prints it, without the sign (see the class comment). */
    public static String format(FlowMod flow) {
        StringBuilder s = new StringBuilder();
        if (flow.table() != 0) {
            s.append("table=").append(flow.table()).append(' ');
        }
        s.append(MatchFormatter.format(flow.match(), flow.priority()));
        if (flow.cookie() != 0) {
            s.append(" cookie=0x").append(Long.toHexString(flow.cookie()));
        }
        if (flow.idleTimeout() != 0) {
            s.append(" idle_timeout=").append(flow.idleTimeout());
        }
        if (flow.hardTimeout() != 0) {
            s.append(" hard_timeout=").append(flow.hardTimeout());
        }
        s.append(" actions=").append(ActionParser.format(flow.actions()));
        return s.toString();
    }
}
