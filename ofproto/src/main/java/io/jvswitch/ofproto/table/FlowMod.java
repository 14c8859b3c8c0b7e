package io.jvswitch.ofproto.table;

import io.jvswitch.ofproto.action.Action;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.Ports;
import java.util.List;

/**
 * A change to the flow tables, as {@code ovs-ofctl add-flow}, {@code mod-flows} and {@code del-flows} make them, with
 * the semantics Open vSwitch gives them over OpenFlow 1.0 with its Nicira extensions (ovs-ofctl's default protocol):
 * see {@link Command}.
 *
 * @param table 0–254, or {@link #ALL_TABLES} for modify and delete across every table (a modify that adds its flow
 *     adds it to table 0)
 * @param cookie for add, the flow's cookie. For modify and delete with a {@code cookieMask}, the cookie bits to
 *     select flows by. For modify without one, the cookie every selected flow gets (ovs-ofctl's {@code mod-flows}
 *     sends 0 when no {@code cookie=} is given, so that a modify sets cookies to 0: Open vSwitch's documented
 *     default)
 * @param cookieMask which cookie bits select flows to modify or delete (0: no selection by cookie); for add, ignored
 * @param outPort select only flows that output to this port ({@link Ports#NONE}: no filter); ovs-ofctl takes it in
 *     del-flows only (OpenFlow 1.0 modifies ignore it), and so does the text parser
 */
public record FlowMod(
        Command command,
        int table,
        Match match,
        int priority,
        long cookie,
        long cookieMask,
        List<Action> actions,
        int idleTimeout,
        int hardTimeout,
        int outPort) {

    /** The table number that means "every table" in modify and delete. */
    public static final int ALL_TABLES = 255;

    public static final int DEFAULT_PRIORITY = 32768;

    public enum Command {
        /**
         * Adds a flow. One with the same match and priority in the same table is replaced whole: its counters and
         * duration start again from zero (OpenFlow 1.0 and 1.1 always reset them on add; ofp-flow.c).
         */
        ADD,
        /**
         * Changes the actions (and cookie, see {@link FlowMod#cookie}) of every flow whose match lies within this
         * one, restarting their hard timers and keeping their counters, timeouts and ages. When no flow is selected
         * and there is no {@code cookieMask}, adds the flow, as OpenFlow 1.0 does (ofproto.c, {@code
         * modify_may_add_flow}); with a cookie mask it changes nothing.
         */
        MODIFY,
        /** As {@link #MODIFY}, for the flow with exactly this match and priority. */
        MODIFY_STRICT,
        /** Deletes every flow whose match lies within this one. */
        DELETE,
        /** Deletes the flow with exactly this match and priority. */
        DELETE_STRICT
    }

    public FlowMod {
        actions = List.copyOf(actions);
    }

    public static FlowMod add(int table, Match match, int priority, List<Action> actions) {
        return new FlowMod(Command.ADD, table, match, priority, 0, 0, actions, 0, 0, Ports.NONE);
    }

    public static FlowMod delete(int table, Match match) {
        return new FlowMod(Command.DELETE, table, match, DEFAULT_PRIORITY, 0, 0, List.of(), 0, 0, Ports.NONE);
    }

    public FlowMod withCommand(Command newCommand) {
        return new FlowMod(
                newCommand, table, match, priority, cookie, cookieMask, actions, idleTimeout, hardTimeout, outPort);
    }

    public FlowMod withTimeouts(int idle, int hard) {
        return new FlowMod(command, table, match, priority, cookie, cookieMask, actions, idle, hard, outPort);
    }

    public FlowMod withCookie(long newCookie, long newCookieMask) {
        return new FlowMod(
                command, table, match, priority, newCookie, newCookieMask, actions, idleTimeout, hardTimeout, outPort);
    }

    public boolean strict() {
        return command == Command.MODIFY_STRICT || command == Command.DELETE_STRICT;
    }
}
