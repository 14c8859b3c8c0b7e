package io.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.text.MatchParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every change to the tables is announced once, with the table and match of the flow it changed; nothing else is. */
class FlowChangeListenerTest {
    private static final long NOW = 1_700_000_000_000L;

    private final ManualClock clock = new ManualClock(NOW);
    private final FlowTables tables = new FlowTables(clock);
    private final List<String> heard = new ArrayList<>();

    @BeforeEach
    void listen() {
        tables.addListener((table, match) -> heard.add(table + " " + match));
    }

    private int apply(FlowMod.Command command, String flow) {
        return tables.apply(FlowParser.parse(flow, command));
    }

    private static String change(int table, String match) {
        return table + " " + MatchParser.parse(match);
    }

    @Test
    void anAddIsHeardWithItsTableAndMatch() {
        apply(FlowMod.Command.ADD, "table=3,priority=1,in_port=1,dl_vlan=5 actions=drop");
        assertThat(heard).containsExactly(change(3, "in_port=1,dl_vlan=5"));
    }

    @Test
    void aModifyIsHeardOncePerFlowItChangedWithThatFlowsTableAndMatch() {
        apply(FlowMod.Command.ADD, "priority=1,in_port=1,dl_vlan=5 actions=drop");
        apply(FlowMod.Command.ADD, "table=2,priority=2,in_port=1 actions=drop");
        apply(FlowMod.Command.ADD, "priority=3,in_port=2 actions=drop");
        heard.clear();

        assertThat(apply(FlowMod.Command.MODIFY, "in_port=1 actions=output:3")).isEqualTo(2);

        assertThat(heard).containsExactly(change(0, "in_port=1,dl_vlan=5"), change(2, "in_port=1"));
    }

    @Test
    void aModifyThatAddsIsHeardForTheTableItAddsTo() {
        apply(FlowMod.Command.MODIFY, "in_port=1 actions=output:3");
        assertThat(heard).containsExactly(change(0, "in_port=1"));
    }

    @Test
    void aDeleteIsHeardOncePerFlowItDeleted() {
        apply(FlowMod.Command.ADD, "priority=1,in_port=1,dl_vlan=5 actions=drop");
        apply(FlowMod.Command.ADD, "table=2,priority=2,in_port=1 actions=drop");
        apply(FlowMod.Command.ADD, "priority=3,in_port=2 actions=drop");
        heard.clear();

        apply(FlowMod.Command.DELETE, "in_port=1");

        assertThat(heard).containsExactlyInAnyOrder(change(0, "in_port=1,dl_vlan=5"), change(2, "in_port=1"));
    }

    @Test
    void aModifyOrDeleteThatFindsNothingIsNotHeard() {
        apply(FlowMod.Command.MODIFY, "cookie=0x1/-1,in_port=1 actions=drop");
        apply(FlowMod.Command.DELETE, "in_port=1");
        apply(FlowMod.Command.DELETE_STRICT, "in_port=1");
        assertThat(heard).isEmpty();
    }

    @Test
    void anExpiryIsHeard() {
        apply(FlowMod.Command.ADD, "table=7,hard_timeout=1,priority=1,ip actions=drop");
        heard.clear();
        clock.set(NOW + 1_001);
        tables.expire();
        assertThat(heard).containsExactly(change(7, "ip"));
    }

    @Test
    void learnIsHeardWhenItAddsOrChangesAFlowAndNotWhenItOnlyRefreshesOne() {
        String learned = "table=20,priority=1,hard_timeout=300,dl_vlan=1 actions=output:3";
        tables.learn(FlowParser.parse(learned, FlowMod.Command.MODIFY_STRICT));
        assertThat(heard).containsExactly(change(20, "dl_vlan=1"));

        heard.clear();
        clock.set(NOW + 10_000);
        tables.learn(FlowParser.parse(learned, FlowMod.Command.MODIFY_STRICT));
        assertThat(heard).isEmpty();

        tables.learn(FlowParser.parse(learned.replace("output:3", "output:4"), FlowMod.Command.MODIFY_STRICT));
        assertThat(heard).containsExactly(change(20, "dl_vlan=1"));
    }

    @Test
    void aBatchThatFailsIsNotHeard() {
        List<FlowMod> batch = List.of(
                FlowParser.parse("priority=9,in_port=7 actions=drop", FlowMod.Command.ADD),
                FlowMod.add(255, MatchParser.parse("in_port=1"), 1, List.of()));
        assertThatThrownBy(() -> tables.applyAll(batch)).isInstanceOf(FlowModException.class);
        assertThat(heard).isEmpty();
    }
}
