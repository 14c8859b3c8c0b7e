package io.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.Tutorial;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.text.RuleFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec's br-tun dump: every line parses as written and prints back as written, counters and ages included. */
class TutorialDumpTest {
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void everyLineOfTheTutorialsDumpPrintsBackExactly() {
        List<String> lines = Tutorial.flowLines();
        assertThat(lines).hasSize(14);
        for (String line : lines) {
            FlowParser.DumpedFlow dumped = FlowParser.parseDumped(line);
            ManualClock clock = new ManualClock(NOW - dumped.durationMillis());
            FlowTables tables = new FlowTables(clock);
            tables.apply(dumped.flow());
            Rule rule = tables.rules().getFirst();
            if (dumped.hardAge() >= 0) {
                clock.set(NOW - dumped.hardAge() * 1000);
                tables.learn(dumped.flow().withCommand(FlowMod.Command.MODIFY_STRICT));
            }
            rule.addStats(dumped.packets(), dumped.bytes(), NOW - dumped.idleAge() * 1000);
            assertThat(RuleFormatter.dumpLine(rule, NOW)).as(line).isEqualTo(line);
        }
    }

    @Test
    void theWholeDumpLoadsAsOneTableSetInDumpOrder() {
        ManualClock clock = new ManualClock(NOW);
        FlowTables tables = new FlowTables(clock);
        tables.applyAll(FlowParser.parseLines(Tutorial.dumpLines(), FlowMod.Command.ADD, "tutorial"));
        assertThat(tables.size()).isEqualTo(14);
        assertThat(tables.rules().stream().map(RuleFormatter::addFlowLine).toList())
                .containsExactly(
                        "priority=1,in_port=1 actions=resubmit(,1)",
                        "priority=1,in_port=2 actions=resubmit(,2)",
                        "priority=1,in_port=3 actions=resubmit(,2)",
                        "priority=0 actions=drop",
                        "table=1, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
                        "table=1, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)",
                        "table=2, priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
                        "table=2, priority=0 actions=drop",
                        "table=3, priority=0 actions=drop",
                        "table=10, priority=1 actions=learn(table=20,hard_timeout=300,priority=1,"
                                + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
                                + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1",
                        "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3",
                        "table=20, priority=0 actions=resubmit(,21)",
                        "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                        "table=21, priority=0 actions=drop");
    }

    @Test
    void theSameFlowsParseInAddFlowFormAndPrintTheSame() {
        ManualClock clock = new ManualClock(NOW);
        FlowTables fromDump = new FlowTables(clock);
        fromDump.applyAll(FlowParser.parseLines(Tutorial.dumpLines(), FlowMod.Command.ADD, "dump"));
        List<String> addForm =
                fromDump.rules().stream().map(RuleFormatter::addFlowLine).toList();
        FlowTables fromAdd = new FlowTables(clock);
        fromAdd.applyAll(FlowParser.parseLines(addForm, FlowMod.Command.ADD, "add"));
        assertThat(fromAdd.rules().stream()
                        .map(rule -> RuleFormatter.dumpLine(rule, NOW))
                        .toList())
                .isEqualTo(fromDump.rules().stream()
                        .map(rule -> RuleFormatter.dumpLine(rule, NOW))
                        .toList());
    }
}
