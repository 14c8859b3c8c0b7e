package io.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.Tutorial;
import io.jvswitch.ofproto.text.FlowParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** diff-flows: identities, what makes two versions differ, and the lines it prints, as ovs-ofctl's fte_* do. */
class FlowDiffTest {
    private static List<FlowMod> flows(String... lines) {
        return FlowParser.parseLines(List.of(lines), FlowMod.Command.ADD, "test");
    }

    private static List<String> diff(List<FlowMod> first, List<FlowMod> second) {
        return FlowDiff.format(FlowDiff.compare(first, second));
    }

    @Test
    void identicalSourcesHaveNoDifferences() {
        List<FlowMod> flows = flows("priority=1,in_port=1 actions=output:2", "table=3, priority=0 actions=drop");
        assertThat(FlowDiff.compare(flows, flows)).isEmpty();
        assertThat(diff(flows, flows)).isEmpty();
    }

    @Test
    void aDumpWithCountersAndTheSameFlowsInAddFlowFormAreTheSame() {
        List<FlowMod> dump = FlowParser.parseLines(Tutorial.dumpLines(), FlowMod.Command.ADD, "dump");
        FlowTables tables = new FlowTables(new ManualClock(0));
        tables.applyAll(dump);
        List<FlowMod> addForm =
                tables.rules().stream().map(FlowDiff::flowOf).toList().reversed();
        assertThat(dump).hasSize(14);
        assertThat(diff(dump, addForm)).isEmpty();
    }

    @Test
    void linesAreOvsOfctlsMinusForTheFirstSourceAndPlusForTheSecondInDumpOrder() {
        List<FlowMod> first = flows(
                "table=21,priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                "priority=0 actions=drop",
                "table=20,priority=1,hard_timeout=300,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                        + " actions=output:3",
                "cookie=0x5,in_port=1 actions=output:2");
        List<FlowMod> second = flows(
                "table=21,priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2,output:4",
                "priority=0 actions=drop",
                "cookie=0x6,in_port=1 actions=output:2",
                "idle_timeout=10,in_port=2 actions=drop",
                "actions=drop");

        assertThat(diff(first, second))
                .containsExactly(
                        "+ actions=drop",
                        "-in_port=1 cookie=0x5 actions=output:2",
                        "+in_port=1 cookie=0x6 actions=output:2",
                        "+in_port=2 idle_timeout=10 actions=drop",
                        "-table=20 priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 hard_timeout=300"
                                + " actions=output:3",
                        "-table=21 priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                        "+table=21 priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2,output:4");
        assertThat(diff(second, first))
                .containsExactly(
                        "- actions=drop",
                        "-in_port=1 cookie=0x6 actions=output:2",
                        "+in_port=1 cookie=0x5 actions=output:2",
                        "-in_port=2 idle_timeout=10 actions=drop",
                        "+table=20 priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 hard_timeout=300"
                                + " actions=output:3",
                        "-table=21 priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2,output:4",
                        "+table=21 priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2");
    }

    @Test
    void eachOfCookieTimeoutsAndActionsMakesADifference() {
        String flow = "priority=1,in_port=1 actions=output:2";
        List<FlowMod> base = flows(flow);
        assertThat(diff(base, flows("cookie=0x1," + flow))).hasSize(2);
        assertThat(diff(base, flows("idle_timeout=1," + flow))).hasSize(2);
        assertThat(diff(base, flows("hard_timeout=1," + flow))).hasSize(2);
        assertThat(diff(base, flows(flow.replace("output:2", "output:3")))).hasSize(2);
    }

    @Test
    void actionsAreComparedAsTheyPrint() {
        assertThat(diff(flows("in_port=1 actions=output:2"), flows("in_port=1 actions=2")))
                .isEmpty();
        assertThat(diff(flows("in_port=1 actions=drop"), flows("in_port=1 actions=")))
                .isEmpty();
    }

    @Test
    void theSameMatchAtAnotherPriorityOrInAnotherTableIsAnotherFlow() {
        assertThat(diff(flows("priority=1,in_port=1 actions=drop"), flows("priority=2,in_port=1 actions=drop")))
                .containsExactly("+priority=2,in_port=1 actions=drop", "-priority=1,in_port=1 actions=drop");
        assertThat(diff(flows("in_port=1 actions=drop"), flows("table=1,in_port=1 actions=drop")))
                .containsExactly("-in_port=1 actions=drop", "+table=1 in_port=1 actions=drop");
    }

    @Test
    void aLaterFlowWithTheSameIdentityReplacesAnEarlierOneInTheSameSource() {
        List<FlowMod> first = flows("in_port=1 actions=output:2", "in_port=1 actions=output:3");
        assertThat(diff(first, flows("in_port=1 actions=output:3"))).isEmpty();
        assertThat(FlowDiff.byKey(first)).hasSize(1);
    }

    @Test
    void aCatchAllFlowInAnotherTablePrintsTwoSpacesAsOvsOfctlDoes() {
        assertThat(diff(flows(), flows("table=21 actions=drop"))).containsExactly("+table=21  actions=drop");
    }
}
