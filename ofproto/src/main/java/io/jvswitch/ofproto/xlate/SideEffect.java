package io.jvswitch.ofproto.xlate;

import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowTables;

/**
 * Something a translation did besides choosing actions, which must happen again each time its cached result is used,
 * as Open vSwitch's revalidators replay learning for cached flows. Every packet that matches the cached megaflow would
 * have done exactly the same (the megaflow holds every bit the learning read), so the effect is stored ready-made.
 */
public sealed interface SideEffect {
    /** Replays the effect; {@code nowMillis} for timers. */
    void replay(long nowMillis);

    /** A {@code learn} action's flow, added or refreshed with modify-strict semantics. */
    record LearnFlow(FlowTables tables, FlowMod flow) implements SideEffect {
        @Override
        public void replay(long nowMillis) {
            tables.learn(flow);
        }
    }

    /** NORMAL's learning of a source MAC on a port, in a VLAN. */
    record LearnMac(MacLearner learner, int vlan, long mac, int port) implements SideEffect {
        @Override
        public void replay(long nowMillis) {
            learner.learn(vlan, mac, port, nowMillis);
        }
    }

    /** Where NORMAL learns MACs. */
    interface MacLearner {
        void learn(int vlan, long mac, int port, long nowMillis);
    }
}
