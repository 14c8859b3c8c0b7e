package io.jvswitch.ofproto.xlate;

import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.wire.DropReason;
import java.util.List;

/**
 * What translating one packet through the flow tables produced, ready to be cached as a megaflow: the datapath
 * actions, the mask of the fields the outcome depended on, the flows that were hit (for their counters), the side
 * effects to replay on every packet that reuses the result (learned flows, learned MACs), and why the packet goes
 * nowhere if it does.
 *
 * @param megaflow the packet's flow, masked by what the translation read: every packet it matches translates alike
 * @param rules the flows that matched, in order, each to be credited with the packet
 * @param sideEffects learning to redo when the cached result is used again
 * @param dropReason null when the packet goes somewhere
 * @param finalFlow the flow as the actions left it
 * @param dependencies what the outcome rests on: a cached copy is stale once any of these changes
 */
public record Translation(
        List<DatapathAction> actions,
        Match megaflow,
        List<Rule> rules,
        List<SideEffect> sideEffects,
        DropReason dropReason,
        FlowKey finalFlow,
        List<Dependency> dependencies) {

    public Translation {
        actions = List.copyOf(actions);
        rules = List.copyOf(rules);
        sideEffects = List.copyOf(sideEffects);
        dependencies = List.copyOf(dependencies);
    }

    /** Datapath actions as Open vSwitch prints them: {@code 2,3}, {@code set(tunnel(...)),pop_vlan,3}, or {@code drop}. */
    public String actionsText() {
        if (actions.isEmpty()) {
            return "drop";
        }
        StringBuilder text = new StringBuilder();
        for (DatapathAction action : actions) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(action);
        }
        return text.toString();
    }
}
