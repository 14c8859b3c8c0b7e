package io.jvswitch.ofproto.xlate;

import static io.jvswitch.ofproto.xlate.TestBridge.flow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.RuleFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's walk through br-tun, translated: VM1's ARP request floods to both tunnels, VM2's reply from tunnel
 * port 3 teaches table 20 where VM2 is, and VM1's unicast then leaves by that one tunnel.
 */
class TutorialTranslationTest {
    private static final long START = 1_700_000_000_000L;

    private final ManualClock clock = new ManualClock(START);

    private static List<String> hit(Translation translation) {
        return translation.rules().stream().map(RuleFormatter::addFlowLine).toList();
    }

    private static List<String> table20(FlowTables tables) {
        return tables.rules().stream()
                .filter(rule -> rule.table() == 20)
                .map(RuleFormatter::addFlowLine)
                .toList();
    }

    @Test
    void vm1sBroadcastArpFloodsToBothTunnelsWithTheNetworksKey() {
        TestBridge brTun = TutorialBrTun.learned(clock);

        Translation translation = Translator.translate(brTun, flow(TutorialBrTun.ARP_REQUEST));

        assertThat(translation.actionsText()).isEqualTo("pop_vlan,set(tunnel(tun_id=0x1388)),3,2");
        assertThat(translation.actions())
                .containsExactly(
                        new DatapathAction.PopVlan(),
                        new DatapathAction.SetTunnel(0x1388, 0),
                        new DatapathAction.Output(3),
                        new DatapathAction.Output(2));
        assertThat(translation.actions().stream()
                        .filter(DatapathAction.Output.class::isInstance)
                        .map(a -> ((DatapathAction.Output) a).port())
                        .filter(brTun::isTunnel))
                .containsExactly(3, 2);
        assertThat(hit(translation))
                .containsExactly(
                        "priority=1,in_port=1 actions=resubmit(,1)",
                        "table=1, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)",
                        "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2");
        assertThat(translation.megaflow().toString())
                .isEqualTo("arp,in_port=1,dl_vlan=1,dl_vlan_pcp=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00");
        assertThat(translation.sideEffects()).isEmpty();
        assertThat(translation.dropReason()).isNull();
        assertThat(translation.finalFlow().toString())
                .isEqualTo("arp,tun_id=0x1388,in_port=1,vlan_tci=0x0000,dl_src=fa:16:3e:00:00:01,"
                        + "dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1,"
                        + "arp_sha=fa:16:3e:00:00:01,arp_tha=00:00:00:00:00:00");
    }

    @Test
    void vm2sReplyFromTunnel3TeachesTable20TheTutorialsFlowAndGoesToPatchIntTagged() {
        TestBridge brTun = TutorialBrTun.beforeLearning(clock);
        assertThat(table20(brTun.tables())).containsExactly("table=20, priority=0 actions=resubmit(,21)");

        Translation translation = Translator.translate(brTun, flow(TutorialBrTun.ARP_REPLY));

        assertThat(translation.actionsText()).isEqualTo("push_vlan(vid=1,pcp=0),1");
        assertThat(hit(translation))
                .containsExactly(
                        "priority=1,in_port=3 actions=resubmit(,2)",
                        "table=2, priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
                        "table=10, priority=1 actions=learn(table=20,hard_timeout=300,priority=1,"
                                + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
                                + "load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],"
                                + "output:NXM_OF_IN_PORT[]),output:1");
        assertThat(table20(brTun.tables()))
                .containsExactly(TutorialBrTun.LEARNED, "table=20, priority=0 actions=resubmit(,21)");
        assertThat(translation.sideEffects()).hasSize(1);
        SideEffect.LearnFlow learned =
                (SideEffect.LearnFlow) translation.sideEffects().getFirst();
        assertThat(learned.tables()).isSameAs(brTun.tables());
        assertThat(RuleFormatter.addFlowLine(learned.flow())).isEqualTo(TutorialBrTun.LEARNED);
        // The learned flow depends on the VLAN, the source MAC, the key and the port: all in the megaflow.
        assertThat(translation.megaflow().toString())
                .isEqualTo("arp,tun_id=0x1388,in_port=3,vlan_tci=0x0000,dl_src=fa:16:3e:1f:19:55");
        assertThat(translation.dropReason()).isNull();
    }

    @Test
    void onceLearnedVm1sUnicastToVm2LeavesByTunnel3Alone() {
        TestBridge brTun = TutorialBrTun.beforeLearning(clock);
        Translator.translate(brTun, flow(TutorialBrTun.ARP_REPLY));

        Translation translation = Translator.translate(brTun, flow(TutorialBrTun.PING));

        assertThat(translation.actionsText()).isEqualTo("pop_vlan,set(tunnel(tun_id=0x1388)),3");
        assertThat(translation.actions())
                .filteredOn(DatapathAction.Output.class::isInstance)
                .hasSize(1);
        assertThat(hit(translation))
                .containsExactly(
                        "priority=1,in_port=1 actions=resubmit(,1)",
                        "table=1, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
                        TutorialBrTun.LEARNED);
        assertThat(translation.megaflow().toString())
                .isEqualTo("ip,in_port=1,dl_vlan=1,dl_vlan_pcp=0,dl_dst=fa:16:3e:1f:19:55");
        assertThat(translation.sideEffects()).isEmpty();
    }

    @Test
    void theDumpsOwnLearnedFlowSendsTheUnicastTheSameWay() {
        Translation translation = Translator.translate(TutorialBrTun.learned(clock), flow(TutorialBrTun.PING));

        assertThat(translation.actionsText()).isEqualTo("pop_vlan,set(tunnel(tun_id=0x1388)),3");
    }

    @Test
    void beforeLearningTheSameUnicastFloodsThroughTable20sMissFlowToTable21() {
        TestBridge brTun = TutorialBrTun.beforeLearning(clock);

        Translation translation = Translator.translate(brTun, flow(TutorialBrTun.PING));

        assertThat(translation.actionsText()).isEqualTo("pop_vlan,set(tunnel(tun_id=0x1388)),3,2");
        assertThat(hit(translation))
                .containsExactly(
                        "priority=1,in_port=1 actions=resubmit(,1)",
                        "table=1, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
                        "table=20, priority=0 actions=resubmit(,21)",
                        "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2");
        // With nothing learned, table 20 holds only its catch-all: the megaflow covers every unicast MAC (learning
        // a flow later changes table 20, and that change is what drops the cached megaflow).
        assertThat(translation.megaflow().toString())
                .isEqualTo("ip,in_port=1,dl_vlan=1,dl_vlan_pcp=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00");
    }

    @Test
    void replayingTheLearnedFlowLaterRestartsItsHardTimerAndKeepsItsCounters() {
        TestBridge brTun = TutorialBrTun.beforeLearning(clock);
        Translation reply = Translator.translate(brTun, flow(TutorialBrTun.ARP_REPLY));
        SideEffect learn = reply.sideEffects().getFirst();
        Rule rule = learnedRule(brTun.tables());
        clock.advanceSeconds(100);
        rule.addStats(3, 294, clock.millis());
        assertThat(RuleFormatter.dumpLine(rule, clock.millis()))
                .isEqualTo(" cookie=0x0, duration=100.000s, table=20, n_packets=3, n_bytes=294, hard_timeout=300,"
                        + " idle_age=0, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                        + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3");

        clock.advanceSeconds(250);
        learn.replay(clock.millis());

        assertThat(learnedRule(brTun.tables())).isSameAs(rule);
        assertThat(RuleFormatter.dumpLine(rule, clock.millis()))
                .isEqualTo(" cookie=0x0, duration=350.000s, table=20, n_packets=3, n_bytes=294, hard_timeout=300,"
                        + " idle_age=250, hard_age=0, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                        + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3");
        // 300 s after it was learned it would have expired; the replay gave it 300 s from now.
        assertThat(brTun.tables().expire()).isEmpty();
        clock.advanceSeconds(299);
        assertThat(brTun.tables().expire()).isEmpty();
        clock.advanceSeconds(1);
        assertThat(brTun.tables().expire())
                .as("at exactly 300 s, as Open vSwitch: still there")
                .isEmpty();
        clock.set(clock.millis() + 1);
        assertThat(brTun.tables().expire()).containsExactly(rule);
        assertThat(rule.isRemoved()).isTrue();
    }

    private static Rule learnedRule(FlowTables tables) {
        return tables.rules().stream()
                .filter(rule -> rule.table() == 20 && rule.priority() == 1)
                .findFirst()
                .orElseThrow();
    }
}
