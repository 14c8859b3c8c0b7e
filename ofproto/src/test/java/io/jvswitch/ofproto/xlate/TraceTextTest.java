package io.jvswitch.ofproto.xlate;

import static io.jvswitch.ofproto.xlate.TestBridge.flow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * Whole traces, character for character, in the shape of {@code ovs-appctl ofproto/trace}: the flow, the bridge
 * underlined, each table as {@code %2d. match, priority N}, its actions 4 spaces in with {@code ->} notes under them,
 * then the final flow, the megaflow and the datapath actions.
 */
class TraceTextTest {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    private static String trace(BridgeView bridge, String packet) {
        StringBuilder trace = new StringBuilder();
        Translator.trace(bridge, flow(packet), trace);
        return trace.toString();
    }

    @Test
    void vm1sArpRequestFloodingToBothTunnels() {
        assertThat(trace(TutorialBrTun.learned(clock), TutorialBrTun.ARP_REQUEST))
                .isEqualTo("""
                        Flow: arp,in_port=1,dl_vlan=1,dl_vlan_pcp=0,dl_src=fa:16:3e:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,\
                        arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1,arp_sha=fa:16:3e:00:00:01,arp_tha=00:00:00:00:00:00

                        bridge("br-tun")
                        ----------------
                         0. in_port=1, priority 1
                            resubmit(,1)
                         1. dl_dst=01:00:00:00:00:00/01:00:00:00:00:00, priority 0
                            resubmit(,21)
                        21. dl_vlan=1, priority 1
                            strip_vlan
                            set_tunnel:0x1388
                            output:3
                             -> output to tunnel port gre-2, key 0x1388
                            output:2
                             -> output to tunnel port gre-1, key 0x1388

                        Final flow: arp,tun_id=0x1388,in_port=1,vlan_tci=0x0000,dl_src=fa:16:3e:00:00:01,\
                        dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1,arp_sha=fa:16:3e:00:00:01,\
                        arp_tha=00:00:00:00:00:00
                        Megaflow: arp,in_port=1,dl_vlan=1,dl_vlan_pcp=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00
                        Datapath actions: pop_vlan,set(tunnel(tun_id=0x1388)),3,2
                        """);
    }

    @Test
    void vm2sArpReplyLearningInTable20() {
        assertThat(trace(TutorialBrTun.beforeLearning(clock), TutorialBrTun.ARP_REPLY))
                .isEqualTo("""
                        Flow: arp,tun_id=0x1388,in_port=3,vlan_tci=0x0000,dl_src=fa:16:3e:1f:19:55,\
                        dl_dst=fa:16:3e:00:00:01,arp_spa=10.0.0.2,arp_tpa=10.0.0.1,arp_op=2,arp_sha=fa:16:3e:1f:19:55,\
                        arp_tha=fa:16:3e:00:00:01

                        bridge("br-tun")
                        ----------------
                         0. in_port=3, priority 1
                            resubmit(,2)
                         2. tun_id=0x1388, priority 1
                            mod_vlan_vid:1
                            resubmit(,10)
                        10. priority 1
                            learn(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],\
                        NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],\
                        output:NXM_OF_IN_PORT[])
                             -> table=20 vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 priority=1 hard=300 \
                        actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3
                            output:1

                        Final flow: arp,tun_id=0x1388,in_port=3,dl_vlan=1,dl_vlan_pcp=0,dl_src=fa:16:3e:1f:19:55,\
                        dl_dst=fa:16:3e:00:00:01,arp_spa=10.0.0.2,arp_tpa=10.0.0.1,arp_op=2,arp_sha=fa:16:3e:1f:19:55,\
                        arp_tha=fa:16:3e:00:00:01
                        Megaflow: arp,tun_id=0x1388,in_port=3,vlan_tci=0x0000,dl_src=fa:16:3e:1f:19:55
                        Datapath actions: push_vlan(vid=1,pcp=0),1
                        """);
    }

    @Test
    void aTraceWithoutLearningShowsTheFlowItWouldLearnAndAddsNone() {
        TestBridge brTun = TutorialBrTun.beforeLearning(clock);
        int flows = brTun.tables().size(20);
        StringBuilder dry = new StringBuilder();

        Translation translation = Translator.traceWithoutLearning(brTun, flow(TutorialBrTun.ARP_REPLY), dry);

        assertThat(dry.toString())
                .contains("     -> table=20 vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 priority=1 hard=300 ")
                .endsWith("Datapath actions: push_vlan(vid=1,pcp=0),1\n");
        assertThat(translation.sideEffects()).isEmpty();
        assertThat(brTun.tables().size(20)).isEqualTo(flows);
        // The learning trace prints the same and does learn.
        assertThat(trace(brTun, TutorialBrTun.ARP_REPLY)).isEqualTo(dry.toString());
        assertThat(brTun.tables().size(20)).isEqualTo(flows + 1);
    }

    @Test
    void vm1sUnicastFollowingTheLearnedFlow() {
        TestBridge brTun = TutorialBrTun.beforeLearning(clock);
        Translator.translate(brTun, flow(TutorialBrTun.ARP_REPLY));

        assertThat(trace(brTun, TutorialBrTun.PING)).isEqualTo("""
                        Flow: icmp,in_port=1,dl_vlan=1,dl_vlan_pcp=0,dl_src=fa:16:3e:00:00:01,dl_dst=fa:16:3e:1f:19:55,\
                        nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,icmp_type=8,icmp_code=0

                        bridge("br-tun")
                        ----------------
                         0. in_port=1, priority 1
                            resubmit(,1)
                         1. dl_dst=00:00:00:00:00:00/01:00:00:00:00:00, priority 0
                            resubmit(,20)
                        20. vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55, priority 1
                            load:0->NXM_OF_VLAN_TCI[]
                            load:0x1388->NXM_NX_TUN_ID[]
                            output:3
                             -> output to tunnel port gre-2, key 0x1388

                        Final flow: icmp,tun_id=0x1388,in_port=1,vlan_tci=0x0000,dl_src=fa:16:3e:00:00:01,\
                        dl_dst=fa:16:3e:1f:19:55,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,\
                        icmp_type=8,icmp_code=0
                        Megaflow: ip,in_port=1,dl_vlan=1,dl_vlan_pcp=0,dl_dst=fa:16:3e:1f:19:55
                        Datapath actions: pop_vlan,set(tunnel(tun_id=0x1388)),3
                        """);
    }

    @Test
    void aTableMissSaysNoMatchAndDrops() {
        TestBridge bridge = TestBridge.withFlows(
                        "br0",
                        clock,
                        "in_port=1 actions=resubmit(,1)",
                        "table=1, priority=10,dl_dst=00:00:00:00:00:02 actions=output:2")
                .port(1, "p1")
                .port(2, "p2");

        assertThat(trace(bridge, "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:03"))
                .isEqualTo("""
                        Flow: in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:03,dl_type=0x0000

                        bridge("br0")
                        -------------
                         0. in_port=1, priority 32768
                            resubmit(,1)
                         1. No match.
                            drop

                        Final flow: unchanged
                        Megaflow: in_port=1,vlan_tci=0x0000,dl_dst=00:00:00:00:00:03,dl_type=0x0000
                        Datapath actions: drop
                        """);
        assertThat(Translator.translate(bridge, flow("in_port=1,dl_dst=00:00:00:00:00:03"))
                        .dropReason())
                .isEqualTo(XlateDrop.TABLE_MISS);
    }

    @Test
    void aFlowWhoseActionsAreDropSaysDrop() {
        TestBridge bridge = TestBridge.withFlows("br0", clock, "priority=0 actions=drop");

        assertThat(trace(bridge, "in_port=1")).isEqualTo("""
                        Flow: in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,dl_type=0x0000

                        bridge("br0")
                        -------------
                         0. priority 0
                            drop

                        Final flow: unchanged
                        Megaflow: in_port=1,vlan_tci=0x0000,dl_type=0x0000
                        Datapath actions: drop
                        """);
        assertThat(Translator.translate(bridge, flow("in_port=1")).dropReason()).isEqualTo(XlateDrop.NO_OUTPUT);
    }

    /**
     * A resubmit that other actions follow nests what it reaches: the table steps in by 4, its actions by 8 more, so
     * that the actions after the resubmit stand out below it. Inside that, a resubmit that ends its flow's actions
     * steps its table in by 4 and keeps the actions' column, as ofproto/trace prints it.
     */
    @Test
    void aResubmitInTheMiddleOfAnActionListNests() {
        TestBridge bridge = TestBridge.withFlows(
                        "br0",
                        clock,
                        "in_port=1 actions=resubmit(,1),output:3",
                        "table=1, actions=resubmit(,2)",
                        "table=2, actions=output:2,resubmit(,3),output:4",
                        "table=3, actions=mod_vlan_vid:5")
                .port(1, "p1")
                .port(2, "p2")
                .port(3, "p3")
                .port(4, "p4");

        assertThat(trace(bridge, "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02"))
                .isEqualTo("""
                        Flow: in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,dl_type=0x0000

                        bridge("br0")
                        -------------
                         0. in_port=1, priority 32768
                            resubmit(,1)
                             1. priority 32768
                                    resubmit(,2)
                                 2. priority 32768
                                    output:2
                                    resubmit(,3)
                                     3. priority 32768
                                            mod_vlan_vid:5
                                    output:4
                            output:3

                        Final flow: in_port=1,dl_vlan=5,dl_vlan_pcp=0,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,\
                        dl_type=0x0000
                        Megaflow: in_port=1,vlan_tci=0x0000,dl_type=0x0000
                        Datapath actions: 2,push_vlan(vid=5,pcp=0),4,3
                        """);
    }

    @Test
    void aTranslationThatFailsSaysWhyAfterTheDatapathActions() {
        TestBridge bridge = TestBridge.withFlows("br0", clock, "in_port=1 actions=resubmit(,0)");

        String trace = trace(bridge, "in_port=1");

        // The flow resubmits to itself: 64 nested lookups work, the 65th is refused.
        assertThat(trace.lines().filter(" 0. in_port=1, priority 32768"::equals))
                .hasSize(65);
        assertThat(trace).endsWith("""
                         0. in_port=1, priority 32768
                            resubmit(,0)
                             >>>> over max translation depth 64 <<<<

                        Final flow: unchanged
                        Megaflow: in_port=1,vlan_tci=0x0000,dl_type=0x0000
                        Datapath actions: drop
                        Translation failed (resubmits nested deeper than 64), packet is dropped.
                        """);
    }
}
