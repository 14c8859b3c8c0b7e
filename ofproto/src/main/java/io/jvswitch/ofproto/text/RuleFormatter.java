package io.jvswitch.ofproto.text;

import io.jvswitch.ofproto.action.ActionParser;
import io.jvswitch.ofproto.flow.MatchFormatter;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.Rule;

/**
 * Prints flows as ovs-ofctl does: {@code dump-flows} lines with their counters and ages, and the counter-free form
 * that {@code add-flow} takes ({@code diff-flows} prints flows its own way: {@link
 * io.jvswitch.ofproto.table.FlowDiff}).
 */
public final class RuleFormatter {
    /** NXM's encoding of ages saturates here: ages of 65534 seconds and more print as 65534. */
    public static final int MAX_AGE = 65534;

    private RuleFormatter() {}

    /**
     * One dump-flows line, with ovs-ofctl's leading space: {@code cookie=0x0, duration=182369.287s, table=0,
     * n_packets=5996, n_bytes=1481720, idle_age=52, hard_age=65534, priority=1,in_port=3 actions=resubmit(,2)}.
     * {@code hard_age} is left out when it equals the duration's whole seconds, as ovs-ofctl does.
     */
    public static String dumpLine(Rule rule, long nowMillis) {
        StringBuilder s = new StringBuilder(" cookie=0x").append(Long.toHexString(rule.cookie()));
        long duration = Math.max(0, nowMillis - rule.createdMillis());
        s.append(", duration=").append(duration / 1000).append('.').append(String.format("%03d", duration % 1000));
        s.append("s, table=").append(rule.table());
        s.append(", n_packets=")
                .append(rule.packets())
                .append(", n_bytes=")
                .append(rule.bytes())
                .append(", ");
        if (rule.idleTimeout() != Rule.PERMANENT) {
            s.append("idle_timeout=").append(rule.idleTimeout()).append(", ");
        }
        if (rule.hardTimeout() != Rule.PERMANENT) {
            s.append("hard_timeout=").append(rule.hardTimeout()).append(", ");
        }
        s.append("idle_age=").append(age(nowMillis, rule.usedMillis())).append(", ");
        long hardAge = age(nowMillis, rule.modifiedMillis());
        if (hardAge != duration / 1000) {
            s.append("hard_age=").append(hardAge).append(", ");
        }
        appendMatchAndActions(s, rule);
        return s.toString();
    }

    private static long age(long nowMillis, long sinceMillis) {
        return Math.min(MAX_AGE, Math.max(0, nowMillis - sinceMillis) / 1000);
    }

    private static void appendMatchAndActions(StringBuilder s, Rule rule) {
        String match = MatchFormatter.format(rule.match(), rule.priority());
        s.append(match);
        if (!match.isEmpty()) {
            s.append(' ');
        }
        s.append("actions=").append(ActionParser.format(rule.actions()));
    }

    /**
     * A flow as add-flow takes it, for saving: {@code table=21, priority=1,dl_vlan=1
     * actions=strip_vlan,...}, with cookie and timeouts when set.
     */
    public static String addFlowLine(Rule rule) {
        return addFlowLine(FlowMod.add(rule.table(), rule.match(), rule.priority(), rule.actions())
                .withCookie(rule.cookie(), 0)
                .withTimeouts(rule.idleTimeout(), rule.hardTimeout()));
    }

    /** As {@link #addFlowLine(Rule)}, for a flow read from text. */
    public static String addFlowLine(FlowMod flow) {
        StringBuilder s = new StringBuilder();
        if (flow.table() != 0) {
            s.append("table=").append(flow.table()).append(", ");
        }
        if (flow.cookie() != 0) {
            s.append("cookie=0x").append(Long.toHexString(flow.cookie())).append(", ");
        }
        if (flow.idleTimeout() != 0) {
            s.append("idle_timeout=").append(flow.idleTimeout()).append(", ");
        }
        if (flow.hardTimeout() != 0) {
            s.append("hard_timeout=").append(flow.hardTimeout()).append(", ");
        }
        String match = MatchFormatter.format(flow.match(), flow.priority());
        s.append(match);
        if (!match.isEmpty()) {
            s.append(' ');
        }
        s.append("actions=").append(ActionParser.format(flow.actions()));
        return s.toString();
    }
}
