package io.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.text.RuleFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idle and hard timeouts in virtual time, and learn's modify-strict semantics.
 *
 * <p>A flow expires once strictly more than its timeout has passed since it was last modified (hard) or used (idle),
 * as Open vSwitch's {@code rule_expire} (ofproto-dpif.c) compares {@code now > modified + hard_timeout * 1000}: at
 * exactly the timeout it is still there, a millisecond later it is gone.
 */
class FlowTimeoutsAndLearnTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String LEARNED =
            "table=20,priority=1,hard_timeout=300,dl_vlan=1,dl_dst=fa:16:3e:1f:19:55 actions=output:3";

    private final ManualClock clock = new ManualClock(NOW);
    private final FlowTables tables = new FlowTables(clock);

    private Rule add(String flow) {
        tables.apply(FlowParser.parse(flow, FlowMod.Command.ADD));
        return tables.rules().getFirst();
    }

    private List<Rule> expireAt(long millis) {
        clock.set(millis);
        return tables.expire();
    }

    @Test
    void aHardTimeoutExpiresTheFlowJustAfterItsSecondsHavePassedAndNotBefore() {
        Rule rule = add("hard_timeout=10,priority=1,in_port=1 actions=drop");
        rule.addStats(1, 60, NOW + 5_000); // traffic does not hold off a hard timeout

        assertThat(expireAt(NOW + 9_000)).isEmpty();
        assertThat(expireAt(NOW + 9_999)).isEmpty();
        assertThat(expireAt(NOW + 10_000)).isEmpty();
        assertThat(tables.size()).isOne();
        assertThat(expireAt(NOW + 10_001)).containsExactly(rule);
        assertThat(tables.size()).isZero();
        assertThat(rule.isRemoved()).isTrue();
    }

    @Test
    void aModifyRestartsTheHardTimer() {
        Rule rule = add("hard_timeout=10,priority=1,in_port=1 actions=drop");
        clock.set(NOW + 4_000);
        tables.apply(FlowParser.parse("in_port=1 actions=output:2", FlowMod.Command.MODIFY));

        assertThat(expireAt(NOW + 10_001)).isEmpty();
        assertThat(expireAt(NOW + 14_000)).isEmpty();
        assertThat(expireAt(NOW + 14_001)).containsExactly(rule);
    }

    @Test
    void anIdleTimeoutExpiresTheFlowJustAfterItsSecondsWithoutAPacket() {
        Rule rule = add("idle_timeout=10,priority=1,in_port=1 actions=drop");

        assertThat(expireAt(NOW + 10_000)).isEmpty();
        assertThat(expireAt(NOW + 10_001)).containsExactly(rule);
    }

    @Test
    void packetsPushedInRefreshTheIdleTimerAndStatsWithoutPacketsDoNot() {
        Rule rule = add("idle_timeout=10,priority=1,in_port=1 actions=drop");
        clock.set(NOW + 8_000);
        rule.addStats(1, 60, NOW + 8_000);
        rule.addStats(0, 0, NOW + 15_000);

        assertThat(expireAt(NOW + 10_001)).isEmpty();
        assertThat(RuleFormatter.dumpLine(rule, NOW + 18_000))
                .isEqualTo(" cookie=0x0, duration=18.000s, table=0, n_packets=1, n_bytes=60, idle_timeout=10,"
                        + " idle_age=10, priority=1,in_port=1 actions=drop");
        assertThat(expireAt(NOW + 18_000)).isEmpty();
        assertThat(expireAt(NOW + 18_001)).containsExactly(rule);
    }

    @Test
    void theSoonerOfTheTwoTimeoutsWins() {
        Rule rule = add("idle_timeout=5,hard_timeout=20,priority=1,in_port=1 actions=drop");
        rule.addStats(1, 60, NOW + 4_000);
        rule.addStats(1, 60, NOW + 8_000);
        rule.addStats(1, 60, NOW + 12_000);
        rule.addStats(1, 60, NOW + 16_000);
        rule.addStats(1, 60, NOW + 19_000);
        assertThat(expireAt(NOW + 20_000)).isEmpty();
        assertThat(expireAt(NOW + 20_001)).containsExactly(rule);
    }

    @Test
    void learnAddsAFlowThatIsNotThere() {
        Rule rule = tables.learn(FlowParser.parse(LEARNED, FlowMod.Command.MODIFY_STRICT));
        assertThat(tables.rules()).containsExactly(rule);
        assertThat(RuleFormatter.dumpLine(rule, NOW))
                .isEqualTo(" cookie=0x0, duration=0.000s, table=20, n_packets=0, n_bytes=0, hard_timeout=300,"
                        + " idle_age=0, priority=1,dl_vlan=1,dl_dst=fa:16:3e:1f:19:55 actions=output:3");
    }

    @Test
    void learningTheSameFlowAgainKeepsItsCountersAndRestartsItsHardTimer() {
        Rule rule = tables.learn(FlowParser.parse(LEARNED, FlowMod.Command.MODIFY_STRICT));
        rule.addStats(4, 400, NOW + 100_000);
        clock.set(NOW + 200_000);

        assertThat(tables.learn(FlowParser.parse(LEARNED, FlowMod.Command.MODIFY_STRICT)))
                .isSameAs(rule);

        assertThat(RuleFormatter.dumpLine(rule, NOW + 200_000))
                .isEqualTo(" cookie=0x0, duration=200.000s, table=20, n_packets=4, n_bytes=400, hard_timeout=300,"
                        + " idle_age=100, hard_age=0, priority=1,dl_vlan=1,dl_dst=fa:16:3e:1f:19:55"
                        + " actions=output:3");
        assertThat(expireAt(NOW + 300_001)).isEmpty();
        assertThat(expireAt(NOW + 500_000)).isEmpty();
        assertThat(expireAt(NOW + 500_001)).containsExactly(rule);
    }

    @Test
    void learningDifferentActionsReplacesThemAndKeepsTheCounters() {
        Rule rule = tables.learn(FlowParser.parse(LEARNED, FlowMod.Command.MODIFY_STRICT));
        rule.addStats(4, 400, NOW + 100_000);
        clock.set(NOW + 250_000);

        assertThat(tables.learn(
                        FlowParser.parse(LEARNED.replace("output:3", "output:4"), FlowMod.Command.MODIFY_STRICT)))
                .isSameAs(rule);

        assertThat(tables.rules()).containsExactly(rule);
        assertThat(RuleFormatter.dumpLine(rule, NOW + 250_000))
                .isEqualTo(" cookie=0x0, duration=250.000s, table=20, n_packets=4, n_bytes=400, hard_timeout=300,"
                        + " idle_age=150, hard_age=0, priority=1,dl_vlan=1,dl_dst=fa:16:3e:1f:19:55"
                        + " actions=output:4");
    }

    @Test
    void learningAnotherMatchOrPriorityAddsAnotherFlow() {
        tables.learn(FlowParser.parse(LEARNED, FlowMod.Command.MODIFY_STRICT));
        tables.learn(FlowParser.parse(LEARNED.replace("dl_vlan=1", "dl_vlan=2"), FlowMod.Command.MODIFY_STRICT));
        tables.learn(FlowParser.parse(LEARNED.replace("priority=1", "priority=2"), FlowMod.Command.MODIFY_STRICT));
        assertThat(tables.rules().stream().map(RuleFormatter::addFlowLine))
                .containsExactly(
                        "table=20, hard_timeout=300, priority=2,dl_vlan=1,dl_dst=fa:16:3e:1f:19:55 actions=output:3",
                        "table=20, hard_timeout=300, priority=1,dl_vlan=1,dl_dst=fa:16:3e:1f:19:55 actions=output:3",
                        "table=20, hard_timeout=300, priority=1,dl_vlan=2,dl_dst=fa:16:3e:1f:19:55 actions=output:3");
    }

    @Test
    void expiryListenersHearEveryExpireThatRemovedFlowsOnceWithAllOfThem() {
        List<List<Rule>> heard = new ArrayList<>();
        tables.addExpiryListener(heard::add);
        Rule hard = add("hard_timeout=10,priority=1,in_port=1 actions=drop");
        Rule idle = add("idle_timeout=10,priority=2,in_port=2 actions=drop");
        add("priority=3,in_port=3 actions=drop");

        assertThat(expireAt(NOW + 10_000)).isEmpty();
        assertThat(heard).isEmpty();
        assertThat(expireAt(NOW + 10_001)).containsExactlyInAnyOrder(hard, idle);
        assertThat(heard).hasSize(1);
        assertThat(heard.getFirst()).containsExactlyInAnyOrder(hard, idle);
        assertThat(expireAt(NOW + 60_000)).isEmpty();
        assertThat(heard).hasSize(1);
    }

    @Test
    void aFlowRestoredWithAnEarlierHardTimerStartKeepsOnlyTheTimeItHadLeft() {
        FlowMod flow = FlowParser.parse(
                "hard_timeout=10,idle_timeout=5,priority=1,in_port=1 actions=drop", FlowMod.Command.ADD);
        tables.replaceAll(List.of(flow), restored -> NOW - 7_000); // its timer ran 7 s before the restart

        Rule rule = tables.rules().getFirst();
        assertThat(RuleFormatter.dumpLine(rule, NOW + 1_000))
                .isEqualTo(" cookie=0x0, duration=1.000s, table=0, n_packets=0, n_bytes=0, idle_timeout=5,"
                        + " hard_timeout=10, idle_age=1, hard_age=8, priority=1,in_port=1 actions=drop");
        rule.addStats(1, 60, NOW + 2_000); // keeps the idle timer (restarted at the restore) from firing first
        assertThat(expireAt(NOW + 3_000)).isEmpty();
        assertThat(expireAt(NOW + 3_001)).containsExactly(rule);
    }

    @Test
    void aHardTimerStartAfterNowCountsAsNowAndFlowsLeftAloneKeepTheirTimers() {
        Rule kept = add("hard_timeout=10,priority=2,in_port=2 actions=drop");
        clock.set(NOW + 4_000);
        FlowMod later = FlowParser.parse("hard_timeout=10,priority=1,in_port=1 actions=drop", FlowMod.Command.ADD);
        tables.replaceAll(
                List.of(FlowDiff.flowOf(kept), later), restored -> NOW + 60_000); // a clock that went backwards

        assertThat(tables.rules()).contains(kept);
        assertThat(expireAt(NOW + 10_001)).containsExactly(kept); // not restarted at NOW - 50 s nor at 4 s
        assertThat(expireAt(NOW + 14_000)).isEmpty(); // the whole 10 s from its restore, no more
        assertThat(expireAt(NOW + 14_001)).hasSize(1);
    }
}
