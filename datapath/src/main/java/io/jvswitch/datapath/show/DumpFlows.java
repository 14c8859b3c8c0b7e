package io.jvswitch.datapath.show;

import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.RuleFormatter;

/**
 * A bridge's flows as {@code ovs-ofctl dump-flows} prints them over OpenFlow 1.0 with Nicira extensions, as in the
 * tutorial: a {@code NXST_FLOW reply (xid=0x4):} line, then one line per flow in table order, each with its counters
 * and ages ({@link RuleFormatter#dumpLine}). The datapath's caches hold counters not yet credited to the flows;
 * {@link io.jvswitch.datapath.Datapath#runTimers} pushes them, as the revalidators do in Open vSwitch.
 */
public final class DumpFlows {
    /** The reply header ovs-ofctl prints for an OpenFlow 1.0 flow stats request. */
    public static final String HEADER = "NXST_FLOW reply (xid=0x4):";

    private DumpFlows() {}

    /** The header and every flow of {@code bridge}, each line ending in a newline. */
    public static String render(Bridge bridge) {
        FlowTables tables = bridge.tables();
        long now = tables.clock().millis();
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Rule rule : tables.rules()) {
            out.append(RuleFormatter.dumpLine(rule, now)).append('\n');
        }
        return out.toString();
    }
}
