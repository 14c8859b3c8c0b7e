package io.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.action.Output;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.text.FlowKeyParser;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.text.RuleFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Add, modify and delete as Open vSwitch does them for ovs-ofctl (OpenFlow 1.0 with Nicira extensions, its default),
 * checked on the dump-flows lines they leave behind.
 *
 * <p>What OVS does, and where it says so: an add over a flow with the same match and priority replaces it whole,
 * counters and duration reset (lib/ofp-flow.c: "In OF1.0 and OF1.1, 'add' always resets counters"); a modify keeps
 * counters, duration, last use and timeouts, takes the new actions and cookie and restarts the hard timer (ofproto.c,
 * {@code replace_rule_start}, and the OpenFlow 1.0 table in Documentation/topics/design.rst); a modify that selects
 * nothing adds its flow unless it selects by cookie ({@code modify_may_add_flow}); ovs-ofctl's {@code mod-flows} sets
 * cookies to 0 unless {@code cookie=} is given (ofp-flow.c, {@code parse_ofp_str__}).
 */
class FlowModSemanticsTest {
    private static final long NOW = 1_700_000_000_000L;

    private final ManualClock clock = new ManualClock(NOW);
    private final FlowTables tables = new FlowTables(clock);

    private int apply(FlowMod.Command command, String flow) {
        return tables.apply(FlowParser.parse(flow, command));
    }

    private int add(String flow) {
        return apply(FlowMod.Command.ADD, flow);
    }

    private List<String> dump() {
        return tables.rules().stream()
                .map(rule -> RuleFormatter.dumpLine(rule, clock.millis()))
                .toList();
    }

    private List<String> flows() {
        return tables.rules().stream().map(RuleFormatter::addFlowLine).toList();
    }

    /** The flow with the table, match and priority of {@code flow} (add-flow text). */
    private Rule rule(String flow) {
        FlowMod mod = FlowParser.parse(flow, FlowMod.Command.ADD);
        return tables.rules().stream()
                .filter(rule -> rule.table() == mod.table()
                        && rule.match().equals(mod.match())
                        && rule.priority() == mod.priority())
                .findFirst()
                .orElseThrow();
    }

    @Test
    void addsIntoEveryTableFrom0To254() {
        for (int table = 0; table <= 254; table++) {
            assertThat(add("table=" + table + ",priority=1,in_port=1 actions=output:2"))
                    .isOne();
        }
        assertThat(tables.size()).isEqualTo(255);
        for (int table = 0; table <= 254; table++) {
            assertThat(tables.size(table)).as("table %d", table).isOne();
        }
        List<String> dump = dump();
        assertThat(dump.getFirst())
                .isEqualTo(" cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                        + " priority=1,in_port=1 actions=output:2");
        assertThat(dump.getLast())
                .isEqualTo(" cookie=0x0, duration=0.000s, table=254, n_packets=0, n_bytes=0, idle_age=0,"
                        + " priority=1,in_port=1 actions=output:2");
        assertThat(tables.lookup(254, FlowKeyParser.parse("in_port=1"), new long[FlowKey.WORDS]))
                .isSameAs(rule("table=254,priority=1,in_port=1 actions=output:2"));
    }

    @Test
    void table255IsNotATableToAddTo() {
        assertThatThrownBy(() -> tables.apply(FlowMod.add(255, Match.ANY, 1, List.of())))
                .isInstanceOf(FlowModException.class)
                .hasMessage("table 255 does not exist (tables are 0 to 254)");
        assertThat(tables.size()).isZero();
    }

    @Test
    void addWithTheSameMatchAndPriorityReplacesTheFlowWholeAndResetsItsCounters() {
        add("priority=5,in_port=1 actions=output:2");
        Rule first = rule("priority=5,in_port=1 actions=drop");
        first.addStats(7, 700, NOW + 1_000);
        clock.advanceSeconds(10);

        assertThat(add("cookie=0x9,idle_timeout=60,priority=5,in_port=1 actions=output:3"))
                .isOne();

        assertThat(dump())
                .containsExactly(" cookie=0x9, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_timeout=60,"
                        + " idle_age=0, priority=5,in_port=1 actions=output:3");
        assertThat(first.isRemoved()).isTrue();
    }

    @Test
    void addWithAnotherPriorityIsAnotherFlow() {
        add("priority=5,in_port=1 actions=output:2");
        add("priority=6,in_port=1 actions=drop");
        assertThat(flows())
                .containsExactly("priority=6,in_port=1 actions=drop", "priority=5,in_port=1 actions=output:2");
    }

    /** Five flows: A (table 0), B, C, E and D (table 1); A and B have seen packets. */
    private void fiveFlows() {
        add("priority=1,in_port=1,dl_vlan=5 actions=output:2"); // A
        add("priority=2,in_port=1 actions=output:3"); // B
        add("priority=3,in_port=2 actions=output:4"); // C
        add("table=1,priority=1,in_port=1 actions=drop"); // D
        add("priority=0 actions=drop"); // E
        rule("priority=1,in_port=1,dl_vlan=5 actions=drop").addStats(3, 180, NOW + 10_000);
        rule("priority=2,in_port=1 actions=drop").addStats(1, 60, NOW + 20_000);
    }

    @Test
    void modFlowsChangesEveryFlowWithinTheMatchInEveryTableKeepingCountersAndRestartingTheHardTimer() {
        fiveFlows();
        clock.advanceSeconds(30);

        // idle_timeout applies only to a flow the modify adds, not to the flows it changes.
        assertThat(apply(FlowMod.Command.MODIFY, "in_port=1,idle_timeout=99 actions=output:9"))
                .isEqualTo(3);

        assertThat(dump())
                .containsExactly(
                        " cookie=0x0, duration=30.000s, table=0, n_packets=0, n_bytes=0, idle_age=30,"
                                + " priority=3,in_port=2 actions=output:4",
                        " cookie=0x0, duration=30.000s, table=0, n_packets=1, n_bytes=60, idle_age=10, hard_age=0,"
                                + " priority=2,in_port=1 actions=output:9",
                        " cookie=0x0, duration=30.000s, table=0, n_packets=3, n_bytes=180, idle_age=20, hard_age=0,"
                                + " priority=1,in_port=1,dl_vlan=5 actions=output:9",
                        " cookie=0x0, duration=30.000s, table=0, n_packets=0, n_bytes=0, idle_age=30,"
                                + " priority=0 actions=drop",
                        " cookie=0x0, duration=30.000s, table=1, n_packets=0, n_bytes=0, idle_age=30, hard_age=0,"
                                + " priority=1,in_port=1 actions=output:9");
    }

    @Test
    void modFlowsInOneTableLeavesTheOthers() {
        fiveFlows();
        assertThat(apply(FlowMod.Command.MODIFY, "table=0,in_port=1 actions=output:7"))
                .isEqualTo(2);
        assertThat(flows())
                .containsExactly(
                        "priority=3,in_port=2 actions=output:4",
                        "priority=2,in_port=1 actions=output:7",
                        "priority=1,in_port=1,dl_vlan=5 actions=output:7",
                        "priority=0 actions=drop",
                        "table=1, priority=1,in_port=1 actions=drop");
    }

    @Test
    void strictModFlowsChangesOnlyTheFlowWithExactlyThisMatchAndPriority() {
        fiveFlows();
        assertThat(apply(FlowMod.Command.MODIFY_STRICT, "priority=1,in_port=1 actions=output:8"))
                .isOne();
        assertThat(apply(FlowMod.Command.MODIFY_STRICT, "priority=2,in_port=1 actions=output:8"))
                .isOne();
        assertThat(flows())
                .containsExactly(
                        "priority=3,in_port=2 actions=output:4",
                        "priority=2,in_port=1 actions=output:8",
                        "priority=1,in_port=1,dl_vlan=5 actions=output:2",
                        "priority=0 actions=drop",
                        "table=1, priority=1,in_port=1 actions=output:8");
    }

    @Test
    void strictModFlowsWithoutPriorityMeansPriority32768AndAddsWhenThereIsNone() {
        fiveFlows();
        assertThat(apply(FlowMod.Command.MODIFY_STRICT, "in_port=1 actions=output:8"))
                .isOne();
        assertThat(flows())
                .containsExactly(
                        "in_port=1 actions=output:8",
                        "priority=3,in_port=2 actions=output:4",
                        "priority=2,in_port=1 actions=output:3",
                        "priority=1,in_port=1,dl_vlan=5 actions=output:2",
                        "priority=0 actions=drop",
                        "table=1, priority=1,in_port=1 actions=drop");
    }

    /**
     * OpenFlow 1.0, ovs-ofctl's default: a modify that finds nothing adds its flow, timeouts and cookie included
     * (OVS's "mod flow with cookie miss (mask==0)" tests in tests/ofproto.at).
     */
    @Test
    void modFlowsThatFindsNothingAddsTheFlow() {
        assertThat(apply(
                        FlowMod.Command.MODIFY,
                        "table=3,priority=7,in_port=9,idle_timeout=10,hard_timeout=20,cookie=0x3 actions=output:1"))
                .isOne();
        assertThat(dump())
                .containsExactly(" cookie=0x3, duration=0.000s, table=3, n_packets=0, n_bytes=0, idle_timeout=10,"
                        + " hard_timeout=20, idle_age=0, priority=7,in_port=9 actions=output:1");
    }

    @Test
    void modFlowsWithoutATableAddsToTable0() {
        assertThat(apply(FlowMod.Command.MODIFY, "in_port=9 actions=output:1")).isOne();
        assertThat(apply(FlowMod.Command.MODIFY_STRICT, "priority=3,in_port=8 actions=output:1"))
                .isOne();
        assertThat(flows()).containsExactly("in_port=9 actions=output:1", "priority=3,in_port=8 actions=output:1");
    }

    /** With a cookie mask a modify only changes flows; it never adds ("mod flow with cookie miss (mask!=0)"). */
    @Test
    void modFlowsSelectingByCookieAddsNothingWhenNothingMatches() {
        assertThat(apply(FlowMod.Command.MODIFY, "cookie=0x1/-1,in_port=9 actions=output:1"))
                .isZero();
        assertThat(apply(FlowMod.Command.MODIFY_STRICT, "cookie=0x1/0x1,in_port=9 actions=output:1"))
                .isZero();
        assertThat(tables.size()).isZero();
    }

    @Test
    void modFlowsSelectsByCookieOrSetsTheCookieAndSetsItTo0WhenNoneIsGiven() {
        add("cookie=0x1,priority=1,in_port=1 actions=output:2");
        add("cookie=0x2,priority=1,in_port=2 actions=output:2");

        assertThat(apply(FlowMod.Command.MODIFY, "cookie=0x1/-1 actions=output:4"))
                .isOne();
        assertThat(flows())
                .containsExactly(
                        "cookie=0x1, priority=1,in_port=1 actions=output:4",
                        "cookie=0x2, priority=1,in_port=2 actions=output:2");

        assertThat(apply(FlowMod.Command.MODIFY, "cookie=0x7,in_port=2 actions=output:5"))
                .isOne();
        assertThat(apply(FlowMod.Command.MODIFY, "in_port=1 actions=output:6")).isOne();
        assertThat(flows())
                .containsExactly(
                        "priority=1,in_port=1 actions=output:6", "cookie=0x7, priority=1,in_port=2 actions=output:5");
    }

    @Test
    void delFlowsDeletesEveryFlowWithinTheMatchInEveryTableWhateverItsPriority() {
        fiveFlows();
        assertThat(apply(FlowMod.Command.DELETE, "in_port=1")).isEqualTo(3);
        assertThat(flows()).containsExactly("priority=3,in_port=2 actions=output:4", "priority=0 actions=drop");
    }

    @Test
    void delFlowsInOneTable() {
        fiveFlows();
        assertThat(apply(FlowMod.Command.DELETE, "table=1")).isOne();
        assertThat(apply(FlowMod.Command.DELETE, "table=0,in_port=1")).isEqualTo(2);
        assertThat(flows()).containsExactly("priority=3,in_port=2 actions=output:4", "priority=0 actions=drop");
    }

    @Test
    void delFlowsWithNoMatchDeletesEverything() {
        fiveFlows();
        assertThat(apply(FlowMod.Command.DELETE, "")).isEqualTo(5);
        assertThat(tables.size()).isZero();
    }

    @Test
    void strictDelFlowsDeletesOnlyTheFlowWithExactlyThisMatchAndPriority() {
        fiveFlows();
        assertThat(apply(FlowMod.Command.DELETE_STRICT, "in_port=1")).isZero(); // priority 32768
        assertThat(apply(FlowMod.Command.DELETE_STRICT, "table=0,priority=1,in_port=1"))
                .isZero();
        assertThat(apply(FlowMod.Command.DELETE_STRICT, "priority=1,in_port=1")).isOne(); // table 1's
        assertThat(apply(FlowMod.Command.DELETE_STRICT, "priority=0")).isOne();
        assertThat(flows())
                .containsExactly(
                        "priority=3,in_port=2 actions=output:4",
                        "priority=2,in_port=1 actions=output:3",
                        "priority=1,in_port=1,dl_vlan=5 actions=output:2");
    }

    @Test
    void delFlowsByCookieWithAMask() {
        add("cookie=0x1,in_port=1 actions=drop");
        add("cookie=0x10,in_port=2 actions=drop");
        add("cookie=0x1f,in_port=3 actions=drop");
        add("cookie=0x20,in_port=4 actions=drop");
        add("cookie=0x110,in_port=5 actions=drop");

        assertThat(apply(FlowMod.Command.DELETE, "cookie=0x1/-1")).isOne();
        assertThat(tables.rules(FlowParser.parse("cookie=0x10/0xf0", FlowMod.Command.DELETE)).stream()
                        .map(RuleFormatter::addFlowLine))
                .containsExactly(
                        "cookie=0x10, in_port=2 actions=drop",
                        "cookie=0x1f, in_port=3 actions=drop",
                        "cookie=0x110, in_port=5 actions=drop");
        assertThat(apply(FlowMod.Command.DELETE, "cookie=0x10/0xf0")).isEqualTo(3);
        assertThat(flows()).containsExactly("cookie=0x20, in_port=4 actions=drop");
    }

    @Test
    void delFlowsByOutPortDeletesTheFlowsThatOutputToIt() {
        add("in_port=1 actions=output:2");
        add("in_port=2 actions=output:1,output:2,output:3");
        add("in_port=3 actions=output:3,output:1");
        add("in_port=4 actions=drop");

        assertThat(apply(FlowMod.Command.DELETE, "out_port=2")).isEqualTo(2);
        assertThat(flows()).containsExactly("in_port=3 actions=output:3,output:1", "in_port=4 actions=drop");
        assertThat(apply(FlowMod.Command.DELETE_STRICT, "in_port=3,out_port=2")).isZero();
        assertThat(apply(FlowMod.Command.DELETE_STRICT, "in_port=3,out_port=1")).isOne();
        assertThat(flows()).containsExactly("in_port=4 actions=drop");
    }

    @Test
    void aTableWithNoMatchingFlowMisses() {
        long[] wildcards = new long[FlowKey.WORDS];
        assertThat(tables.lookup(0, FlowKeyParser.parse("in_port=1"), wildcards))
                .isNull();
        add("priority=1,in_port=1 actions=resubmit(,1)");
        assertThat(tables.lookup(0, FlowKeyParser.parse("in_port=2"), wildcards))
                .isNull();
        assertThat(tables.lookup(1, FlowKeyParser.parse("in_port=1"), wildcards))
                .isNull();
        assertThat(tables.lookup(0, FlowKeyParser.parse("in_port=1"), wildcards))
                .isNotNull();
    }

    @Test
    void theHighestPriorityMatchingFlowWinsAndOfTwoEqualTheFirstAdded() {
        add("priority=5 actions=output:1");
        add("priority=10,ip actions=output:2");
        add("priority=20,ip,nw_src=10.0.0.0/8 actions=output:3");
        add("priority=30,ip,nw_dst=192.168.0.1 actions=output:4");
        add("priority=30,ip,nw_src=10.0.0.1 actions=output:5");

        assertThat(output("ip,nw_src=10.1.2.3")).isEqualTo(3);
        assertThat(output("ip,nw_src=172.16.0.1")).isEqualTo(2);
        assertThat(output("arp,arp_spa=10.1.2.3")).isEqualTo(1);
        assertThat(output("ip,nw_src=10.0.0.1,nw_dst=192.168.0.9")).isEqualTo(5);
        assertThat(output("ip,nw_src=10.0.0.1,nw_dst=192.168.0.1")).isEqualTo(4);
    }

    private int output(String packet) {
        Rule rule = tables.lookup(0, FlowKeyParser.parse(packet), new long[FlowKey.WORDS]);
        return ((Output) rule.actions().getFirst()).port();
    }

    @Test
    void aBatchWithOneFlowThatCannotBeAppliedChangesNothing() {
        fiveFlows();
        List<String> before = dump();
        long generation = tables.generation();
        List<FlowMod> batch = List.of(
                FlowParser.parse("priority=9,in_port=7 actions=drop", FlowMod.Command.ADD),
                FlowParser.parse("in_port=1", FlowMod.Command.DELETE),
                FlowMod.add(255, Match.ANY, 1, List.of()));

        assertThatThrownBy(() -> tables.applyAll(batch))
                .isInstanceOf(FlowModException.class)
                .hasMessage("table 255 does not exist (tables are 0 to 254)");

        assertThat(dump()).isEqualTo(before);
        assertThat(tables.generation()).isEqualTo(generation);
    }

    @Test
    void aBatchIsAppliedInOrder() {
        List<FlowMod> batch = List.of(
                FlowParser.parse("priority=9,in_port=7 actions=drop", FlowMod.Command.ADD),
                FlowParser.parse("in_port=7 actions=output:1", FlowMod.Command.MODIFY),
                FlowParser.parse("priority=1,in_port=8 actions=drop", FlowMod.Command.ADD),
                FlowParser.parse("in_port=8", FlowMod.Command.DELETE));
        assertThat(tables.applyAll(batch)).isEqualTo(4);
        assertThat(flows()).containsExactly("priority=9,in_port=7 actions=output:1");
    }
}
