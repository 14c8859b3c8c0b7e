package io.jvswitch.ofproto.text;

import io.jvswitch.ofproto.action.Action;
import io.jvswitch.ofproto.action.ActionContext;
import io.jvswitch.ofproto.action.ActionParser;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.ofproto.table.FlowMod;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads flows as ovs-ofctl takes them — {@code add-flow}'s {@code table=21,priority=1,dl_vlan=1
 * actions=strip_vlan,set_tunnel:0x1388,output:3} — and as {@code dump-flows} prints them, counters and all ({@code
 * cookie=0x0, duration=182369.287s, table=0, n_packets=5996, ...}): the counters are read, checked and left aside, so
 * a saved dump can be fed back with {@code add-flows} or {@code replace-flows}.
 *
 * <p>What the flow is for decides what it must have: a flow to add needs actions; a flow that selects flows to modify
 * or delete may carry a cookie mask and {@code out_port}; one to delete takes no actions.
 */
public final class FlowParser {
    /**
     * What a flow's text may hold besides its match and actions: ovs-ofctl's keywords (the first six, which errors
     * list), then dump-flows' counters, read and set aside.
     */
    private static final List<String> KEYWORDS = List.of(
            "table",
            "priority",
            "idle_timeout",
            "hard_timeout",
            "cookie",
            "out_port",
            "duration",
            "n_packets",
            "n_bytes",
            "idle_age",
            "hard_age");

    private FlowParser() {}

    /**
     * Parses one flow for {@code command}.
     *
     * @throws FlowParseException pointing at the offending token
     */
    public static FlowMod parse(String text, FlowMod.Command command) {
        return parse(text, command, new long[5]);
    }

    /**
     * A dump-flows line with its counters: what {@code ovs-ofctl dump-flows} printed, read back whole.
     *
     * @param durationMillis the {@code duration}, in milliseconds
     * @param idleAge seconds, or -1 when the line has none
     * @param hardAge seconds, or -1 when the line has none (ovs-ofctl leaves it out when it equals the duration)
     */
    public record DumpedFlow(FlowMod flow, long durationMillis, long packets, long bytes, long idleAge, long hardAge) {}

    /** Parses a dump-flows line, keeping its counters and ages. */
    public static DumpedFlow parseDumped(String text) {
        long[] stats = {0, 0, 0, -1, -1};
        FlowMod flow = parse(text, FlowMod.Command.ADD, stats);
        return new DumpedFlow(flow, stats[0], stats[1], stats[2], stats[3], stats[4]);
    }

    /** {@code stats} receives duration (ms), n_packets, n_bytes, idle_age, hard_age when present. */
    private static FlowMod parse(String text, FlowMod.Command command, long[] stats) {
        List<Token> tokens = Tokenizer.tokens(text);
        List<Token> matchTokens = new ArrayList<>();
        int table = -1;
        int priority = FlowMod.DEFAULT_PRIORITY;
        long cookie = 0;
        long cookieMask = 0;
        int idleTimeout = 0;
        int hardTimeout = 0;
        int outPort = Ports.NONE;
        Token actionsToken = null;
        Token cookieSet = null;
        Token cookieSelect = null;
        boolean adding = command == FlowMod.Command.ADD;
        boolean modifying = command == FlowMod.Command.MODIFY || command == FlowMod.Command.MODIFY_STRICT;
        boolean deleting = command == FlowMod.Command.DELETE || command == FlowMod.Command.DELETE_STRICT;
        for (Token token : tokens) {
            String key = token.key();
            if (key.equals("actions")) {
                actionsToken = token;
                continue;
            }
            if (MatchParser.isMatchKey(key)) {
                matchTokens.add(token);
                continue;
            }
            if (!KEYWORDS.contains(key)) {
                throw MatchParser.unknown(token, text, KEYWORDS.subList(0, 6));
            }
            String value = token.value();
            if (value == null) {
                throw new FlowParseException(
                        key + " needs a value (" + key + "=...)", text, token.position(), token.length());
            }
            refuseForCommand(token, command, text);
            try {
                switch (key) {
                    case "table" -> table = table(value, adding);
                    case "priority" -> priority = (int) MatchParser.number(value, key, 0, 65535);
                    case "idle_timeout" -> idleTimeout = (int) MatchParser.number(value, key, 0, 65535);
                    case "hard_timeout" -> hardTimeout = (int) MatchParser.number(value, key, 0, 65535);
                    case "cookie" -> {
                        int slash = value.indexOf('/');
                        long number = MatchParser.number(slash < 0 ? value : value.substring(0, slash), key, 0, -1L);
                        if (slash < 0) {
                            if (deleting) {
                                throw new FlowParseException(
                                        "del-flows cannot set a cookie: cookie=" + value + "/-1 selects the flows"
                                                + " with this cookie",
                                        text,
                                        token.position(),
                                        token.length());
                            }
                            cookieSet = token;
                            cookie = number;
                        } else {
                            if (adding) {
                                throw new FlowParseException(
                                        "cookie=" + value + ": a cookie mask selects flows to change or delete;"
                                                + " add-flow sets a cookie (cookie=" + value.substring(0, slash) + ")",
                                        text,
                                        token.valuePosition() + slash,
                                        value.length() - slash);
                            }
                            cookieSelect = token;
                            cookie = number;
                            String mask = value.substring(slash + 1);
                            try {
                                cookieMask = mask.equals("-1") ? -1L : MatchParser.maskNumber(mask, "cookie", 64);
                            } catch (IllegalArgumentException e) {
                                throw new FlowParseException(
                                        e.getMessage(),
                                        text,
                                        token.valuePosition() + slash + 1,
                                        Math.max(1, mask.length()));
                            }
                        }
                        if (cookieSet != null && cookieSelect != null) {
                            Token other = token == cookieSet ? cookieSelect : cookieSet;
                            throw new FlowParseException(
                                    "mod-flows takes cookie=VALUE/MASK to select flows or cookie=VALUE to set their"
                                            + " cookie, not both (the other here: cookie=" + other.value() + ")",
                                    text,
                                    token.position(),
                                    token.length());
                        }
                    }
                    case "out_port" -> outPort = Ports.parse(value);
                    case "duration" -> {
                        if (!value.matches("\\d+(\\.\\d{1,3})?s")) {
                            throw new IllegalArgumentException("duration=" + value + " is not seconds (like 52.123s)");
                        }
                        stats[0] = Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000);
                    }
                    case "n_packets" -> stats[1] = MatchParser.number(value, key, 0, -1L);
                    case "n_bytes" -> stats[2] = MatchParser.number(value, key, 0, -1L);
                    case "idle_age" -> stats[3] = MatchParser.number(value, key, 0, 65535);
                    case "hard_age" -> stats[4] = MatchParser.number(value, key, 0, 65535);
                    default -> throw MatchParser.unknown(token, text, KEYWORDS.subList(0, 6));
                }
            } catch (FlowParseException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new FlowParseException(e.getMessage(), text, token.valuePosition(), value.length());
            }
        }
        Match match = MatchParser.parse(matchTokens, text);
        int flowTable = table < 0 ? (adding ? 0 : FlowMod.ALL_TABLES) : table;
        List<Action> actions = List.of();
        if (actionsToken != null) {
            if (deleting) {
                throw new FlowParseException(
                        "del-flows takes no actions", text, actionsToken.position(), actionsToken.length());
            }
            int offset = text.indexOf(actionsToken.value(), actionsToken.position() + "actions=".length());
            offset = offset < 0 ? actionsToken.position() : offset;
            try {
                actions = ActionParser.parse(actionsToken.value());
                ActionParser.check(
                        actions,
                        new ActionContext(flowTable == FlowMod.ALL_TABLES ? 0 : flowTable, match),
                        actionsToken.value());
            } catch (FlowParseException e) {
                throw e.within(text, offset);
            }
        } else if (adding || modifying) {
            throw new FlowParseException(
                    "must specify an action (actions=...; actions=drop to drop)", text, text.length(), 1);
        }
        return new FlowMod(
                command, flowTable, match, priority, cookie, cookieMask, actions, idleTimeout, hardTimeout, outPort);
    }

    /** A table number: 0 to 254 for a flow to add, or 255 too (every table) for flows to change or delete. */
    private static int table(String value, boolean adding) {
        long table = MatchParser.number(value, "table", 0, -1L);
        if (Long.compareUnsigned(table, adding ? FlowMod.ALL_TABLES - 1 : FlowMod.ALL_TABLES) > 0) {
            throw new IllegalArgumentException("table " + Long.toUnsignedString(table)
                    + " does not exist (tables are 0 to 254" + (adding ? ")" : "; 255 means every table)"));
        }
        return (int) table;
    }

    /**
     * Refuses what a command does not take, as ovs-ofctl does (lib/ofp-flow.c, parse_ofp_str__: out_port only to
     * select flows to delete; priority not in a loose delete; timeouts not in a delete), with a message saying why.
     */
    private static void refuseForCommand(Token token, FlowMod.Command command, String text) {
        String problem = switch (token.key()) {
            case "out_port" ->
                command == FlowMod.Command.ADD
                        ? "out_port selects flows to delete; add-flow does not take it"
                        : command == FlowMod.Command.MODIFY || command == FlowMod.Command.MODIFY_STRICT
                                ? "out_port selects flows to delete; mod-flows does not take it"
                                : null;
            case "priority" ->
                command == FlowMod.Command.DELETE
                        ? "priority selects nothing in a del-flows without --strict (it deletes every flow"
                                + " within the match whatever its priority)"
                        : null;
            case "idle_timeout", "hard_timeout" ->
                command == FlowMod.Command.DELETE || command == FlowMod.Command.DELETE_STRICT
                        ? token.key() + " does not select flows; del-flows does not take it"
                        : null;
            default -> null;
        };
        if (problem != null) {
            throw new FlowParseException(problem, text, token.position(), token.length());
        }
    }

    /**
     * Parses a file of flows, one per line; blank lines, {@code #} comments and dump-flows' reply headers ({@code
     * NXST_FLOW reply (xid=0x4):}) are skipped. All or nothing: the first bad line throws, naming its number.
     */
    public static List<FlowMod> parseLines(List<String> lines, FlowMod.Command command, String source) {
        List<FlowMod> mods = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.matches("(NXST|OFPST)_FLOW reply.*")) {
                continue;
            }
            try {
                mods.add(parse(line, command));
            } catch (FlowParseException e) {
                throw new FlowParseException(
                        source + ":" + (i + 1) + ": " + e.problem(), e.text(), e.position(), e.length());
            }
        }
        return mods;
    }
}
