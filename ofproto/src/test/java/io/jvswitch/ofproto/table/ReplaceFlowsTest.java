package io.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.action.GotoTable;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.text.RuleFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * replace-flows on the tables themselves, as ovs-ofctl does it against a switch: flows not in the file are deleted,
 * new or different ones added (an add, so the replaced version's counters are gone), identical ones left alone.
 */
class ReplaceFlowsTest {
    private static final long NOW = 1_700_000_000_000L;

    private final ManualClock clock = new ManualClock(NOW);
    private final FlowTables tables = new FlowTables(clock);
    private final List<String> heard = new ArrayList<>();

    @BeforeEach
    void brTun() {
        tables.applyAll(flows(
                "table=0,priority=1,in_port=1 actions=resubmit(,1)",
                "table=0,priority=0 actions=drop",
                "table=21,priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                "table=21,priority=0 actions=drop"));
        for (Rule rule : tables.rules()) {
            rule.addStats(10, 1000, NOW + 5_000);
        }
        tables.addListener((table, match) -> heard.add(table + " " + match));
        clock.set(NOW + 60_000);
    }

    private static List<FlowMod> flows(String... lines) {
        return FlowParser.parseLines(List.of(lines), FlowMod.Command.ADD, "file");
    }

    private List<String> dump() {
        return tables.rules().stream()
                .map(rule -> RuleFormatter.dumpLine(rule, clock.millis()))
                .toList();
    }

    @Test
    void deletesWhatTheFileLacksAddsWhatIsNewOrDifferentAndLeavesTheSameFlowsAlone() {
        List<FlowDiff.Change> changes = tables.replaceAll(flows(
                "table=0,priority=1,in_port=1 actions=resubmit(,1)",
                "table=0,priority=1,in_port=2 actions=resubmit(,2)",
                "table=21,priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2,output:4",
                "table=21,priority=0 actions=drop"));

        assertThat(FlowDiff.format(changes))
                .containsExactly(
                        "+priority=1,in_port=2 actions=resubmit(,2)",
                        "-priority=0 actions=drop",
                        "-table=21 priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                        "+table=21 priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2,output:4");
        assertThat(dump())
                .containsExactly(
                        " cookie=0x0, duration=60.000s, table=0, n_packets=10, n_bytes=1000, idle_age=55,"
                                + " priority=1,in_port=1 actions=resubmit(,1)",
                        " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                                + " priority=1,in_port=2 actions=resubmit(,2)",
                        " cookie=0x0, duration=0.000s, table=21, n_packets=0, n_bytes=0, idle_age=0,"
                                + " priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2,output:4",
                        " cookie=0x0, duration=60.000s, table=21, n_packets=10, n_bytes=1000, idle_age=55,"
                                + " priority=0 actions=drop");
        assertThat(heard).hasSize(3);
    }

    @Test
    void aCookieOrTimeoutThatDiffersReplacesTheFlow() {
        tables.replaceAll(flows(
                "table=0,cookie=0x7,priority=1,in_port=1 actions=resubmit(,1)",
                "table=0,idle_timeout=30,priority=0 actions=drop",
                "table=21,priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                "table=21,priority=0 actions=drop"));
        assertThat(dump())
                .containsExactly(
                        " cookie=0x7, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                                + " priority=1,in_port=1 actions=resubmit(,1)",
                        " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_timeout=30, idle_age=0,"
                                + " priority=0 actions=drop",
                        " cookie=0x0, duration=60.000s, table=21, n_packets=10, n_bytes=1000, idle_age=55,"
                                + " priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                        " cookie=0x0, duration=60.000s, table=21, n_packets=10, n_bytes=1000, idle_age=55,"
                                + " priority=0 actions=drop");
    }

    @Test
    void replacingWithTheSameFlowsChangesNothing() {
        List<String> before = dump();
        long generation = tables.generation();
        assertThat(tables.replaceAll(flows(
                        "table=21,priority=0 actions=drop",
                        "table=21,priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                        "priority=0 actions=drop",
                        "priority=1,in_port=1 actions=resubmit(,1)")))
                .isEmpty();
        assertThat(dump()).isEqualTo(before);
        assertThat(tables.generation()).isEqualTo(generation);
        assertThat(heard).isEmpty();
    }

    @Test
    void replacingWithNothingDeletesEverything() {
        assertThat(tables.replaceAll(List.of())).hasSize(4);
        assertThat(tables.size()).isZero();
        assertThat(heard).hasSize(4);
    }

    @Test
    void aFlowThatCannotBeAddedChangesNothing() {
        List<String> before = dump();
        List<FlowMod> file = new ArrayList<>(flows("priority=5,in_port=5 actions=drop"));
        file.add(FlowMod.add(3, Match.ANY, 1, List.of(new GotoTable(2))));

        assertThatThrownBy(() -> tables.replaceAll(file))
                .isInstanceOf(FlowModException.class)
                .hasMessage("table 2 is not after this flow's table 3 (goto_table only goes forward: to tables 4 to"
                        + " 254)");

        assertThat(dump()).isEqualTo(before);
        assertThat(heard).isEmpty();
    }

    @Test
    void onlyFlowsToAddCanReplace() {
        assertThatThrownBy(() -> tables.replaceAll(List.of(FlowMod.delete(0, Match.ANY))))
                .isInstanceOf(FlowModException.class)
                .hasMessage("replace-flows takes flows to add, not DELETE");
        assertThat(tables.size()).isEqualTo(4);
    }
}
