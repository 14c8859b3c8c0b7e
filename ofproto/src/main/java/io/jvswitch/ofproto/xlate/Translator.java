package io.jvswitch.ofproto.xlate;

import io.jvswitch.ofproto.action.Action;
import io.jvswitch.ofproto.action.Controller;
import io.jvswitch.ofproto.action.DecTtl;
import io.jvswitch.ofproto.action.GotoTable;
import io.jvswitch.ofproto.action.Learn;
import io.jvswitch.ofproto.action.LearnSpec;
import io.jvswitch.ofproto.action.Load;
import io.jvswitch.ofproto.action.ModDlDst;
import io.jvswitch.ofproto.action.ModDlSrc;
import io.jvswitch.ofproto.action.ModNwDst;
import io.jvswitch.ofproto.action.ModNwSrc;
import io.jvswitch.ofproto.action.ModNwTos;
import io.jvswitch.ofproto.action.ModVlanPcp;
import io.jvswitch.ofproto.action.ModVlanVid;
import io.jvswitch.ofproto.action.Move;
import io.jvswitch.ofproto.action.Note;
import io.jvswitch.ofproto.action.Output;
import io.jvswitch.ofproto.action.OutputField;
import io.jvswitch.ofproto.action.PopVlan;
import io.jvswitch.ofproto.action.PushVlan;
import io.jvswitch.ofproto.action.Resubmit;
import io.jvswitch.ofproto.action.SetField;
import io.jvswitch.ofproto.action.SetTunnel;
import io.jvswitch.ofproto.action.StripVlan;
import io.jvswitch.ofproto.action.SubField;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowFormatter;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.MatchFormatter;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowModException;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.RuleFormatter;
import io.jvswitch.wire.DropReason;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Open vSwitch's {@code xlate}: runs a packet's flow through a bridge's OpenFlow tables — lookups, resubmits, actions,
 * learning, patch ports into the next bridge — and produces a {@link Translation}: the flat datapath actions, the
 * megaflow (the fields the outcome depended on), the flows hit and the side effects to replay.
 *
 * <p>Packet changes made by actions ({@code mod_vlan_vid}, {@code load} into {@code vlan_tci}, {@code set_field}...)
 * happen to a working copy of the flow; each output first "commits" the difference between that copy and the packet
 * as it stands, as datapath actions ({@code pop_vlan}, {@code set(tunnel(...))}), so that only real changes reach the
 * packet.
 *
 * <p>Limits after Open vSwitch's: resubmits, goto_table and patch port crossings nest at most 64 deep and number at
 * most 4096 per packet; past either, the packet is dropped whole. (Every nested resubmit counts towards the depth;
 * Open vSwitch counts only those that go back to the same or an earlier table.) When asked, translation also writes
 * a trace in the shape of {@code ovs-appctl ofproto/trace}.
 *
 * <p>This is the slow path: it allocates freely. One call per packet that misses the datapath's caches.
 */
public final class Translator {
    public static final int MAX_DEPTH = 64;
    public static final int MAX_RESUBMITS = 4096;

    /**
     * The bits of the flow that commits compare with the packet as it arrived (Ethernet addresses, VLAN, IPv4
     * addresses, ToS, ECN, TTL). An action that writes them makes the outcome depend on what the packet had there —
     * writing the value it already has needs no set action, any other value does — so the written bits go into the
     * megaflow, as Open vSwitch unwildcards the fields that set_field and its kin write.
     */
    private static final long[] COMPARED = new long[FlowKey.WORDS];

    static {
        for (Field field : List.of(
                Field.DL_SRC,
                Field.DL_DST,
                Field.VLAN_TCI,
                Field.NW_SRC,
                Field.NW_DST,
                Field.NW_TOS,
                Field.NW_ECN,
                Field.NW_TTL,
                Field.ARP_OP,
                Field.ARP_SHA,
                Field.ARP_THA)) {
            COMPARED[field.word()] |= field.wordMask();
        }
    }

    /** The words a bridge starts afresh with, zeroed across a patch port: metadata, registers, tunnel metadata. */
    private static final int[] BRIDGE_LOCAL_WORDS = {
        FlowKey.METADATA,
        FlowKey.REGS,
        FlowKey.REGS + 1,
        FlowKey.REGS + 2,
        FlowKey.REGS + 3,
        FlowKey.TUN_ID,
        FlowKey.TUN_IPV4
    };

    private Translator() {}

    /** Translates {@code flow} (whose in_port is set) entering {@code bridge}; no trace. */
    public static Translation translate(BridgeView bridge, FlowKey flow) {
        return new Run(bridge, flow, null, true).run();
    }

    /**
     * Translates and appends an ofproto/trace-shaped account to {@code trace}, learning as a packet would: learn
     * actions add their flows and NORMAL learns the source MAC.
     */
    public static Translation trace(BridgeView bridge, FlowKey flow, StringBuilder trace) {
        return new Run(bridge, flow, trace, true).run();
    }

    /**
     * What {@code ovs-appctl ofproto/trace BRIDGE FLOW} does: translates and traces {@code flow} with no effect on the
     * bridge. Learn actions show the flow they would learn, and neither they nor NORMAL learn anything (Open vSwitch
     * learns in a trace only of a real packet), so that asking about a packet never changes where packets go. The
     * translation's side effects are empty.
     */
    public static Translation traceWithoutLearning(BridgeView bridge, FlowKey flow, StringBuilder trace) {
        return new Run(bridge, flow, trace, false).run();
    }

    /** The state of one translation. */
    private static final class Run {
        private final BridgeView firstBridge;
        private final FlowKey original;
        private final FlowKey working;
        private final FlowKey committed;
        private final long[] wildcards = new long[FlowKey.WORDS];
        /**
         * The bits of {@link #working} that actions wrote: their value comes from the flow tables, or from bits that
         * are in the megaflow, not from the packet's own bits there. A datapath action that carries a field's value
         * puts the field's other bits into the megaflow.
         */
        private final long[] overwritten = new long[FlowKey.WORDS];

        private final List<DatapathAction> actions = new ArrayList<>();
        private final List<Rule> rules = new ArrayList<>();
        private final List<SideEffect> sideEffects = new ArrayList<>();
        private final Set<Dependency> dependencies = new LinkedHashSet<>();
        private final StringBuilder trace;
        /** Whether learn actions and NORMAL learn: false for a trace that must leave the bridge as it was. */
        private final boolean learns;
        /** The trace as a tree, printed at the end; {@link #under} is where the next line goes. */
        private final List<TraceLine> traceLines = new ArrayList<>();

        private List<TraceLine> under = traceLines;
        private long committedTunnel = -1;
        private int committedTunnelDestination;
        private int resubmits;
        private boolean lastLookupMissed;
        private DropReason error;
        private boolean stopped;
        /** Set by dec_ttl at TTL 0 or 1: the flow's remaining actions are skipped. */
        private boolean skipRestOfFlow;
        /** dec_ttl found a TTL it could not decrement: the drop reason when the packet goes nowhere. */
        private boolean ttlExceeded;

        Run(BridgeView bridge, FlowKey flow, StringBuilder trace, boolean learns) {
            this.firstBridge = bridge;
            this.original = new FlowKey(flow);
            this.working = new FlowKey(flow);
            this.committed = new FlowKey(flow);
            this.trace = trace;
            this.learns = learns;
        }

        Translation run() {
            // Every megaflow keys on the input port, the EtherType and the VLAN: commits depend on them.
            SubFields.markRead(wildcards, Field.IN_PORT);
            SubFields.markRead(wildcards, Field.DL_TYPE);
            SubFields.markRead(wildcards, Field.VLAN_TCI);
            if (trace != null) {
                trace.append("Flow: ").append(FlowFormatter.format(original)).append('\n');
            }
            enterBridge(firstBridge, 0);
            if (trace != null) {
                TraceLine.print(trace, traceLines, 0);
            }
            if (error != null) {
                actions.clear();
            }
            boolean delivers = actions.stream()
                    .anyMatch(a -> a instanceof DatapathAction.Output || a instanceof DatapathAction.Controller);
            DropReason drop = error != null
                    ? error
                    : delivers
                            ? null
                            : ttlExceeded
                                    ? XlateDrop.TTL_EXCEEDED
                                    : lastLookupMissed ? XlateDrop.TABLE_MISS : XlateDrop.NO_OUTPUT;
            // Registers and metadata are not carried by packets: each one starts translation with them zero. What the
            // flows read of them is no key for the datapath's cache, and Open vSwitch's megaflows leave them out too.
            wildcards[FlowKey.METADATA] = 0;
            for (int w = FlowKey.REGS; w < FlowKey.REGS + 4; w++) {
                wildcards[w] = 0;
            }
            Match.Builder megaflow = Match.builder();
            for (int i = 0; i < FlowKey.WORDS; i++) {
                megaflow.word(i, original.word(i), wildcards[i]);
            }
            Translation translation = new Translation(
                    actions,
                    megaflow.build(),
                    rules,
                    sideEffects,
                    drop,
                    new FlowKey(working),
                    List.copyOf(dependencies));
            if (trace != null) {
                trace.append('\n');
                trace.append("Final flow: ")
                        .append(working.equals(original) ? "unchanged" : FlowFormatter.format(working))
                        .append('\n');
                trace.append("Megaflow: ")
                        .append(MatchFormatter.format(translation.megaflow(), -1))
                        .append('\n');
                trace.append("Datapath actions: ")
                        .append(translation.actionsText())
                        .append('\n');
                if (error != null) {
                    trace.append("Translation failed (")
                            .append(error.description())
                            .append("), packet is dropped.\n");
                }
            }
            return translation;
        }

        private void enterBridge(BridgeView bridge, int depth) {
            List<TraceLine> outer = under;
            report(TraceLine.Kind.BRIDGE, "bridge(\"" + bridge.name() + "\")");
            lookup(bridge, 0, depth, -1);
            under = outer;
        }

        /** Adds a line to the trace, if there is one, and makes the lines that follow go under it. */
        private void report(TraceLine.Kind kind, String text) {
            if (trace != null) {
                TraceLine line = new TraceLine(kind, text);
                under.add(line);
                if (!kind.terminal()) {
                    under = line.children;
                }
            }
        }

        private void note(String text) {
            report(TraceLine.Kind.NOTE, text);
        }

        private void traceError(String text) {
            report(TraceLine.Kind.ERROR, text);
        }

        /**
         * Looks {@code table} up and runs the winner's actions; {@code depth} counts nested resubmits. With {@code lookupInPort} 0 or more, the lookup (and
         * only the lookup) sees that as the input port, as {@code resubmit(PORT,TABLE)} asks: the actions then see the
         * packet's real input port, so that IN_PORT and the input-port check of output behave as Open vSwitch's do.
         */
        private void lookup(BridgeView bridge, int table, int depth, int lookupInPort) {
            List<TraceLine> outer = under;
            FlowTables tables = bridge.tables();
            dependencies.add(new Dependency.Table(tables, table));
            Rule rule;
            if (lookupInPort < 0) {
                rule = tables.lookup(table, working, wildcards);
            } else {
                long inPort = working.get(Field.IN_PORT);
                working.set(Field.IN_PORT, lookupInPort);
                rule = tables.lookup(table, working, wildcards);
                working.set(Field.IN_PORT, inPort);
            }
            String number = String.format("%2d. ", table);
            if (rule == null) {
                lastLookupMissed = true;
                report(TraceLine.Kind.TABLE, number + "No match.");
                report(TraceLine.Kind.ACTION, "drop");
                under = outer;
                return;
            }
            lastLookupMissed = false;
            rules.add(rule);
            if (trace != null) {
                String match = MatchFormatter.format(rule.match(), -1);
                report(
                        TraceLine.Kind.TABLE,
                        number + (match.isEmpty() ? "" : match + ", ") + "priority " + rule.priority()
                                + (rule.cookie() != 0 ? ", cookie 0x" + Long.toHexString(rule.cookie()) : ""));
            }
            execute(bridge, rule.actions(), table, depth);
            under = outer;
        }

        private void execute(BridgeView bridge, List<Action> list, int table, int depth) {
            if (list.isEmpty()) {
                report(TraceLine.Kind.ACTION, "drop");
            }
            for (int i = 0; i < list.size() && !stopped && !skipRestOfFlow; i++) {
                Action action = list.get(i);
                if (trace != null) {
                    report(TraceLine.Kind.ACTION, action.text());
                }
                switch (action) {
                    case Output(int port) -> output(bridge, port, depth);
                    case OutputField(var source) -> {
                        SubFields.markRead(wildcards, source);
                        output(bridge, (int) SubFields.read(working, source), depth);
                    }
                    case Controller(int maxLength) -> {
                        commit(false);
                        actions.add(new DatapathAction.Controller(maxLength));
                    }
                    case Resubmit(int port, int resubmitTable) ->
                        resubmit(bridge, port, resubmitTable < 0 ? table : resubmitTable, depth);
                    case GotoTable(int next) -> resubmit(bridge, -1, next, depth);
                    case ModVlanVid(int vid) -> {
                        int tci = (int) working.get(Field.VLAN_TCI);
                        int pcp = (tci & FlowKey.VLAN_CFI) != 0 ? tci & 0xe000 : 0;
                        write(Field.VLAN_TCI, pcp | FlowKey.VLAN_CFI | vid);
                    }
                    case ModVlanPcp(int pcp) -> {
                        int tci = (int) working.get(Field.VLAN_TCI);
                        int vid = (tci & FlowKey.VLAN_CFI) != 0 ? tci & 0x0fff : 0;
                        write(Field.VLAN_TCI, (pcp << 13) | FlowKey.VLAN_CFI | vid);
                    }
                    case StripVlan strip -> write(Field.VLAN_TCI, 0);
                    case PopVlan pop -> write(Field.VLAN_TCI, 0);
                    case PushVlan push -> {
                        if ((working.get(Field.VLAN_TCI) & FlowKey.VLAN_CFI) == 0) {
                            write(Field.VLAN_TCI, FlowKey.VLAN_CFI);
                        }
                    }
                    case SetTunnel(long id, boolean wide) -> write(Field.TUN_ID, id);
                    case SetField set -> setField(set);
                    case Load(long value, var destination) -> write(destination, value);
                    case Move(var source, var destination) -> {
                        SubFields.markRead(wildcards, source);
                        write(destination, SubFields.read(working, source));
                    }
                    case ModDlSrc(long mac) -> write(Field.DL_SRC, mac);
                    case ModDlDst(long mac) -> write(Field.DL_DST, mac);
                    case ModNwSrc(int ip) -> write(Field.NW_SRC, Integer.toUnsignedLong(ip));
                    case ModNwDst(int ip) -> write(Field.NW_DST, Integer.toUnsignedLong(ip));
                    case ModNwTos(int tos) -> write(Field.NW_TOS, tos >>> 2);
                    case DecTtl decTtl -> decrementTtl();
                    case Note note -> {}
                    case Learn learn -> learn(bridge, learn);
                }
            }
            // dec_ttl skips the rest of its own flow's actions only: those of the flows that resubmitted here go on.
            skipRestOfFlow = false;
        }

        private void setField(SetField set) {
            Field field = set.field();
            if (field.bits() == 128) {
                long high = working.word(field.word());
                long low = working.word(field.word() + 1);
                working.word(field.word(), (high & ~set.maskHigh()) | set.valueHigh());
                working.word(field.word() + 1, (low & ~set.mask()) | set.value());
                wrote(field.word(), set.maskHigh());
                wrote(field.word() + 1, set.mask());
                return;
            }
            if (field == Field.DL_VLAN) { // set_field:V->vlan_vid behaves as mod_vlan_vid
                int tci = (int) working.get(Field.VLAN_TCI);
                int pcp = (tci & FlowKey.VLAN_CFI) != 0 ? tci & 0xe000 : 0;
                write(Field.VLAN_TCI, pcp | FlowKey.VLAN_CFI | (set.value() & 0x0fff));
                return;
            }
            long current = working.get(field);
            working.set(field, (current & ~set.mask()) | set.value());
            wrote(field.word(), field.bits() >= 64 ? set.mask() : (set.mask() & field.fullMask()) << field.shift());
        }

        /** Writes all of {@code field} (up to 64 bits) in the working flow. */
        private void write(Field field, long value) {
            working.set(field, value);
            wrote(field.word(), field.wordMask());
        }

        /** Writes {@code value}'s low bits into {@code destination} in the working flow. */
        private void write(SubField destination, long value) {
            SubFields.write(working, destination, value);
            long[] bits = new long[FlowKey.WORDS];
            SubFields.markRead(bits, destination);
            for (int w = 0; w < FlowKey.WORDS; w++) {
                if (bits[w] != 0) {
                    wrote(w, bits[w]);
                }
            }
        }

        /** Records that actions wrote {@code bits} of word {@code word}; see {@link #COMPARED}. */
        private void wrote(int word, long bits) {
            overwritten[word] |= bits;
            wildcards[word] |= bits & COMPARED[word];
        }

        /**
         * dec_ttl as Open vSwitch runs it: a TTL (or hop limit) above 1 goes down by one; at 0 or 1 it is left alone
         * and the rest of this flow's actions are skipped, while what was output before stays output and the actions
         * after the resubmit that led here still run. A packet that then goes nowhere is dropped for its TTL.
         */
        private void decrementTtl() {
            SubFields.markRead(wildcards, Field.NW_TTL);
            int ttl = (int) working.get(Field.NW_TTL);
            if (ttl <= 1) {
                report(
                        TraceLine.Kind.WARNING,
                        "TTL " + ttl + " cannot be decremented: the rest of this flow's actions are skipped");
                ttlExceeded = true;
                skipRestOfFlow = true;
                return;
            }
            write(Field.NW_TTL, ttl - 1);
        }

        private void resubmit(BridgeView bridge, int port, int table, int depth) {
            if (mayGoDeeper(depth)) {
                lookup(bridge, table, depth + 1, port);
            }
        }

        /**
         * Counts one more resubmit (or patch port crossing) from nesting {@code depth}, and says whether the limits
         * allow it; when they do not, translation stops and the packet will be dropped.
         */
        private boolean mayGoDeeper(int depth) {
            if (depth + 1 > MAX_DEPTH) {
                traceError("over max translation depth " + MAX_DEPTH);
                error = XlateDrop.RESUBMIT_DEPTH;
                stopped = true;
                return false;
            }
            if (++resubmits > MAX_RESUBMITS) {
                traceError("over " + MAX_RESUBMITS + " resubmit actions");
                error = XlateDrop.RESUBMIT_LIMIT;
                stopped = true;
                return false;
            }
            return true;
        }

        private void output(BridgeView bridge, int port, int depth) {
            int inPort = (int) working.get(Field.IN_PORT);
            switch (port) {
                case Ports.IN_PORT -> physicalOrPatch(bridge, inPort, depth);
                case Ports.NORMAL -> normal(bridge, inPort, depth);
                case Ports.FLOOD, Ports.ALL -> {
                    for (int each : bridge.portNumbers()) {
                        if (each != inPort && !(port == Ports.FLOOD && bridge.noFlood(each))) {
                            physicalOrPatch(bridge, each, depth);
                        }
                    }
                }
                case Ports.CONTROLLER -> {
                    commit(false);
                    actions.add(new DatapathAction.Controller(65535));
                }
                case Ports.NONE, Ports.TABLE -> note("output to " + Ports.name(port) + " ignored");
                default -> {
                    if (port == inPort) {
                        note("skipping output to input port");
                        return;
                    }
                    physicalOrPatch(bridge, port, depth);
                }
            }
        }

        private void physicalOrPatch(BridgeView bridge, int port, int depth) {
            BridgeView.PatchPeer peer = bridge.patchPeer(port);
            if (peer == null) {
                physical(bridge, port);
                return;
            }
            // A patch port counts as a resubmit, so that bridges patched in a loop cannot translate forever.
            if (!mayGoDeeper(depth)) {
                return;
            }
            // Across a patch port the packet starts afresh in the peer bridge, entering by the peer port: registers,
            // metadata and tunnel metadata are cleared there. Whatever the peer's actions do to the flow stays there
            // (only their datapath actions remain): this bridge goes on with the flow as it left it, as Open vSwitch
            // does.
            FlowKey saved = new FlowKey(working);
            long[] savedOverwritten = overwritten.clone();
            long[] savedWildcards = wildcards.clone();
            write(Field.IN_PORT, peer.port());
            for (int w : BRIDGE_LOCAL_WORDS) {
                working.word(w, 0);
                wrote(w, -1L);
            }
            enterBridge(peer.bridge(), depth + 1);
            working.copyFrom(saved);
            System.arraycopy(savedOverwritten, 0, overwritten, 0, FlowKey.WORDS);
            // The peer read its own zeroes there, not the packet's values: its reads stay out of the megaflow.
            for (int w : BRIDGE_LOCAL_WORDS) {
                wildcards[w] = savedWildcards[w];
            }
        }

        private void physical(BridgeView bridge, int port) {
            boolean tunnel = bridge.isTunnel(port);
            commit(tunnel);
            actions.add(new DatapathAction.Output(bridge.datapathPort(port)));
            if (tunnel) {
                note("output to tunnel port " + bridge.portName(port) + ", key 0x"
                        + Long.toHexString(working.get(Field.TUN_ID)));
            }
        }

        private void normal(BridgeView bridge, int inPort, int depth) {
            BridgeView.NormalSwitch normal = bridge.normal();
            if (normal == null) {
                note("this bridge has no NORMAL switch: dropping");
                return;
            }
            StringBuilder notes = new StringBuilder();
            int[] ports = normal.forward(working, inPort, wildcards, sideEffects, dependencies, notes, learns);
            if (!notes.isEmpty()) {
                note(notes.toString());
            }
            FlowKey arrived = new FlowKey(working);
            long tci = working.get(Field.VLAN_TCI);
            for (int port : ports) {
                if (port == inPort) {
                    continue;
                }
                // Each port gets the frame tagged as it carries the VLAN: untagged out of an access port, tagged out
                // of a trunk. The VLAN is in every megaflow already, so this reads nothing new.
                int outputTci = normal.outputTci(arrived, inPort, port);
                if (outputTci >= 0) {
                    write(Field.VLAN_TCI, outputTci);
                }
                physicalOrPatch(bridge, port, depth);
                if (outputTci >= 0) {
                    working.set(Field.VLAN_TCI, tci);
                }
            }
        }

        /** Turns the differences between the working flow and the packet into datapath actions. */
        private void commit(boolean tunnelOutput) {
            int wantTci = (int) working.get(Field.VLAN_TCI);
            int haveTci = (int) committed.get(Field.VLAN_TCI);
            boolean want = (wantTci & FlowKey.VLAN_CFI) != 0;
            boolean have = (haveTci & FlowKey.VLAN_CFI) != 0;
            if (have && !want) {
                actions.add(new DatapathAction.PopVlan());
            } else if (!have && want) {
                actions.add(new DatapathAction.PushVlan(wantTci & ~FlowKey.VLAN_CFI));
            } else if (have && wantTci != haveTci) {
                actions.add(new DatapathAction.SetVlan(wantTci & ~FlowKey.VLAN_CFI));
            }
            committed.set(Field.VLAN_TCI, want ? wantTci : 0);
            if (working.get(Field.DL_SRC) != committed.get(Field.DL_SRC)
                    || working.get(Field.DL_DST) != committed.get(Field.DL_DST)) {
                // The action carries both addresses, the one left as the packet had it too.
                SubFields.markRead(wildcards, Field.DL_SRC);
                SubFields.markRead(wildcards, Field.DL_DST);
                actions.add(new DatapathAction.SetEthernet(working.get(Field.DL_SRC), working.get(Field.DL_DST)));
                committed.set(Field.DL_SRC, working.get(Field.DL_SRC));
                committed.set(Field.DL_DST, working.get(Field.DL_DST));
            }
            if (working.get(Field.DL_TYPE) == 0x0800
                    && (working.word(FlowKey.NW_ADDRESSES) != committed.word(FlowKey.NW_ADDRESSES)
                            || working.get(Field.NW_TOS) != committed.get(Field.NW_TOS)
                            || working.get(Field.NW_ECN) != committed.get(Field.NW_ECN)
                            || working.get(Field.NW_TTL) != committed.get(Field.NW_TTL))) {
                int tos = (int) ((working.get(Field.NW_TOS) << 2) | working.get(Field.NW_ECN));
                actions.add(new DatapathAction.SetIpv4(
                        (int) working.get(Field.NW_SRC), (int) working.get(Field.NW_DST), tos, (int)
                                working.get(Field.NW_TTL)));
                committed.word(FlowKey.NW_ADDRESSES, working.word(FlowKey.NW_ADDRESSES));
                committed.set(Field.NW_TOS, working.get(Field.NW_TOS));
                committed.set(Field.NW_ECN, working.get(Field.NW_ECN));
                committed.set(Field.NW_TTL, working.get(Field.NW_TTL));
                SubFields.markRead(wildcards, Field.NW_SRC);
                SubFields.markRead(wildcards, Field.NW_DST);
                SubFields.markRead(wildcards, Field.NW_TOS);
                SubFields.markRead(wildcards, Field.NW_ECN);
                SubFields.markRead(wildcards, Field.NW_TTL);
            }
            if (working.get(Field.DL_TYPE) == 0x0806
                    && (working.get(Field.ARP_OP) != committed.get(Field.ARP_OP)
                            || working.word(FlowKey.NW_ADDRESSES) != committed.word(FlowKey.NW_ADDRESSES)
                            || working.get(Field.ARP_SHA) != committed.get(Field.ARP_SHA)
                            || working.get(Field.ARP_THA) != committed.get(Field.ARP_THA))) {
                // An ARP responder rewrote the request into a reply: the action carries every ARP field, so the
                // megaflow holds them all.
                for (Field field :
                        new Field[] {Field.ARP_OP, Field.ARP_SPA, Field.ARP_TPA, Field.ARP_SHA, Field.ARP_THA}) {
                    SubFields.markRead(wildcards, field);
                }
                actions.add(new DatapathAction.SetArp(
                        (int) working.get(Field.ARP_OP),
                        working.get(Field.ARP_SHA),
                        (int) working.get(Field.ARP_SPA),
                        working.get(Field.ARP_THA),
                        (int) working.get(Field.ARP_TPA)));
                committed.set(Field.ARP_OP, working.get(Field.ARP_OP));
                committed.word(FlowKey.NW_ADDRESSES, working.word(FlowKey.NW_ADDRESSES));
                committed.set(Field.ARP_SHA, working.get(Field.ARP_SHA));
                committed.set(Field.ARP_THA, working.get(Field.ARP_THA));
            }
            if (tunnelOutput) {
                // The key goes out with the packet: what of it the actions did not write is the packet's own (a
                // tunnel packet's tun_id, say), so the megaflow must hold it. A destination is taken only when
                // actions chose one (a VXLAN group's learned VTEP): a received packet's tun_dst is our own address.
                wildcards[FlowKey.TUN_ID] |= ~overwritten[FlowKey.TUN_ID];
                long id = working.get(Field.TUN_ID);
                boolean chosen = (overwritten[FlowKey.TUN_IPV4] & Field.TUN_DST.wordMask()) != 0;
                int destination = chosen ? (int) working.get(Field.TUN_DST) : 0;
                if (id != committedTunnel || destination != committedTunnelDestination) {
                    committedTunnel = id;
                    committedTunnelDestination = destination;
                    actions.add(new DatapathAction.SetTunnel(id, destination));
                }
            }
        }

        private void learn(BridgeView bridge, Learn learn) {
            Match.Builder match = Match.builder();
            List<Action> learnedActions = new ArrayList<>();
            for (LearnSpec spec : learn.specs()) {
                switch (spec) {
                    case LearnSpec.MatchField(var field) -> {
                        SubFields.markRead(wildcards, field);
                        match.setBits(field.field(), field.offset(), field.bits(), SubFields.read(working, field));
                    }
                    case LearnSpec.MatchFromField(var destination, var source) -> {
                        SubFields.markRead(wildcards, source);
                        match.setBits(
                                destination.field(),
                                destination.offset(),
                                destination.bits(),
                                SubFields.read(working, source));
                    }
                    case LearnSpec.MatchValue(var destination, long value) ->
                        match.setBits(destination.field(), destination.offset(), destination.bits(), value);
                    case LearnSpec.LoadValue(long value, var destination) ->
                        learnedActions.add(new Load(value, destination));
                    case LearnSpec.LoadField(var source, var destination) -> {
                        SubFields.markRead(wildcards, source);
                        learnedActions.add(new Load(SubFields.read(working, source), destination));
                    }
                    case LearnSpec.OutputField(var source) -> {
                        SubFields.markRead(wildcards, source);
                        learnedActions.add(new Output((int) SubFields.read(working, source)));
                    }
                }
            }
            FlowMod flow = new FlowMod(
                    FlowMod.Command.MODIFY_STRICT,
                    learn.table(),
                    match.build(),
                    learn.priority(),
                    learn.cookie(),
                    0,
                    learnedActions,
                    learn.idleTimeout(),
                    learn.hardTimeout(),
                    Ports.NONE);
            if (!learns) {
                note("table=" + flow.table() + " " + learnedText(flow));
                return;
            }
            try {
                bridge.tables().learn(flow);
                sideEffects.add(new SideEffect.LearnFlow(bridge.tables(), flow));
                note("table=" + flow.table() + " " + learnedText(flow));
            } catch (FlowModException e) {
                traceError("learn failed: " + e.getMessage());
            }
        }

        /**
         * The learned flow as ofproto/trace shows it: match, priority, cookie, timeouts as {@code idle=} and {@code
         * hard=}, actions ({@code vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 priority=1 hard=300 actions=...}).
         */
        private static String learnedText(FlowMod flow) {
            StringBuilder text = new StringBuilder(MatchFormatter.format(flow.match(), -1));
            text.append(text.isEmpty() ? "" : " ").append("priority=").append(flow.priority());
            if (flow.cookie() != 0) {
                text.append(" cookie=0x").append(Long.toHexString(flow.cookie()));
            }
            if (flow.idleTimeout() != 0) {
                text.append(" idle=").append(flow.idleTimeout());
            }
            if (flow.hardTimeout() != 0) {
                text.append(" hard=").append(flow.hardTimeout());
            }
            String line = RuleFormatter.addFlowLine(flow);
            text.append(' ').append(line.substring(line.indexOf("actions=")));
            return text.toString();
        }
    }
}
