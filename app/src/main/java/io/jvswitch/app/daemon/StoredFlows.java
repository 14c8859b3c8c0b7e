package io.jvswitch.app.daemon;

import io.jvswitch.app.config.SwitchDb.BridgeConfig;
import io.jvswitch.ofproto.table.FlowDiff;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.text.RuleFormatter;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The flows a bridge keeps in the database — those users added; learned flows and counters never go there — and the
 * one way they change: in a flow table of their own, by the same flow mods the switch's tables get (add-flow,
 * mod-flows, del-flows, replace-flows, and the del-flows --strict that an expiry amounts to), so that the stored lines
 * are what the switch holds for them.
 *
 * <p>Timeouts across a restart (see {@link BridgeConfig}): a flow with a hard timeout is stored with its deadline, the
 * wall-clock instant its last add or modify plus the timeout. A restart gives it only the time it had left, and leaves
 * it out once the deadline has passed: a hard timeout promises that the flow is gone by then, whatever happened to the
 * switch in between. An idle timeout starts afresh at the restore: the switch saw no packets while it was down, but not
 * because the flow had none to see, and a flow that was in use before the restart would be dropped under its traffic.
 */
final class StoredFlows {
    private StoredFlows() {}

    /** The stored flows of a bridge, as flow mods; they were checked when they were stored. */
    static List<FlowMod> parse(BridgeConfig bridge) {
        return FlowParser.parseLines(bridge.flows(), FlowMod.Command.ADD, "flows of " + bridge.name());
    }

    /** One stored line as a flow mod, or none for a line that holds no flow (a comment someone wrote in). */
    private static List<FlowMod> parseLine(BridgeConfig bridge, String line) {
        return FlowParser.parseLines(List.of(line), FlowMod.Command.ADD, "flows of " + bridge.name());
    }

    /**
     * When the hard timer of each stored flow started, for {@link FlowTables#replaceAll(List, ToLongFunction)}: its
     * deadline less its hard timeout, or {@code nowMillis} for a flow without one (no hard timeout, or no deadline yet).
     */
    private static ToLongFunction<FlowMod> hardTimerStarts(BridgeConfig bridge, long nowMillis) {
        Map<FlowDiff.Key, Long> starts = new HashMap<>();
        for (String line : bridge.flows()) {
            Instant deadline = bridge.hardDeadline(line);
            if (deadline != null) {
                for (FlowMod flow : parseLine(bridge, line)) {
                    starts.put(FlowDiff.key(flow), deadline.toEpochMilli() - flow.hardTimeout() * 1000L);
                }
            }
        }
        return flow ->
                flow.hardTimeout() == Rule.PERMANENT ? nowMillis : starts.getOrDefault(FlowDiff.key(flow), nowMillis);
    }

    /**
     * Makes {@code tables} hold the bridge's stored flows, each hard timer started when its stored deadline says (a
     * restart, a store that could not be written, a scratch copy): the flows it already holds alike keep their timers.
     */
    static void restoreInto(FlowTables tables, BridgeConfig bridge) {
        tables.replaceAll(parse(bridge), hardTimerStarts(bridge, tables.clock().millis()));
    }

    /**
     * The bridge with {@code mods} applied to its stored flows (replacing them whole when {@code replace}, as
     * replace-flows does), each flow's deadline carried along: restarted by an add or a modify, kept otherwise.
     *
     * @throws io.jvswitch.ofproto.table.FlowModException when a mod cannot be applied
     */
    static BridgeConfig change(BridgeConfig bridge, List<FlowMod> mods, boolean replace, InstantSource clock) {
        FlowTables stored = new FlowTables(clock);
        restoreInto(stored, bridge);
        if (replace) {
            stored.replaceAll(mods);
        } else {
            stored.applyAll(mods);
        }
        List<String> lines = new ArrayList<>();
        Map<String, Instant> deadlines = new LinkedHashMap<>();
        for (Rule rule : stored.rules()) {
            String line = RuleFormatter.addFlowLine(rule);
            lines.add(line);
            if (rule.hardTimeout() != Rule.PERMANENT) {
                deadlines.put(line, Instant.ofEpochMilli(rule.modifiedMillis() + rule.hardTimeout() * 1000L));
            }
        }
        return bridge.withFlows(lines, deadlines);
    }

    /**
     * What a bridge restores at {@code nowMillis}: its stored flows less those whose hard deadline has passed
     * (strictly, as the switch expires them), and a deadline for each hard timeout that has none (a database written
     * before deadlines were kept): a full timeout from now. No deadline is more than a full timeout away.
     *
     * @param bridge the bridge to restore
     * @param expired the lines left out
     */
    record Restore(BridgeConfig bridge, List<String> expired) {
        static Restore of(BridgeConfig bridge, long nowMillis) {
            List<String> kept = new ArrayList<>();
            List<String> expired = new ArrayList<>();
            Map<String, Instant> deadlines = new LinkedHashMap<>();
            for (String line : bridge.flows()) {
                List<FlowMod> flow = parseLine(bridge, line);
                int hardTimeout =
                        flow.isEmpty() ? Rule.PERMANENT : flow.getFirst().hardTimeout();
                if (hardTimeout == Rule.PERMANENT) {
                    kept.add(line);
                    continue;
                }
                Instant whole = Instant.ofEpochMilli(nowMillis + hardTimeout * 1000L);
                Instant deadline = bridge.hardDeadline(line);
                if (deadline == null || deadline.isAfter(whole)) { // none yet, or a clock that went backwards
                    deadline = whole;
                } else if (nowMillis > deadline.toEpochMilli()) {
                    expired.add(line);
                    continue;
                }
                kept.add(line);
                deadlines.put(line, deadline);
            }
            return new Restore(bridge.withFlows(kept, deadlines), List.copyOf(expired));
        }
    }
}
