package io.jvswitch.ofproto.table;

import io.jvswitch.ofproto.action.Action;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.Ports;
import java.util.List;

/**
 * A change to the flow tables, as {@code ovs-ofctl add-flow}, {@code mod-flows} and {@code del-flows} make them.
 *
 * @param table 0–254, or {@link #ALL_TABLES} for modify and delete across every table
 * @param cookieMask which cookie bits filter modify and delete (0: no filter); for add, ignored
 * @param outPort modify and delete only flows that output to this port ({@link Ports#NONE}: no filter)
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
        /** Adds a flow, replacing one with the same match and priority in the same table. */
        ADD,
        /** Changes the actions of every flow whose match lies within this one; adds the flow when there is none. */
        MODIFY,
        /** Changes the actions of the flow with exactly this match and priority; adds it when there is none. */
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
