package io.jvswitch.ofproto.xlate;

import static io.jvswitch.ofproto.xlate.TestBridge.flow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.flow.Field;
import org.junit.jupiter.api.Test;

/** What each action does to the datapath actions, the megaflow and the trace. */
class ActionEffectsTest {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    /** A bridge with ports 1 to 4 (4 skips FLOOD) and these flows. */
    private TestBridge bridge(String... flows) {
        return TestBridge.withFlows("br0", clock, flows)
                .port(1, "p1")
                .port(2, "p2")
                .port(3, "p3")
                .noFlood(4, "p4");
    }

    private static String actions(BridgeView bridge, String packet) {
        return Translator.translate(bridge, flow(packet)).actionsText();
    }

    private static String trace(BridgeView bridge, String packet) {
        StringBuilder trace = new StringBuilder();
        Translator.trace(bridge, flow(packet), trace);
        return trace.toString();
    }

    /** The trace between the bridge's underline and the final flow. */
    private static String steps(BridgeView bridge, String packet) {
        String trace = trace(bridge, packet);
        int start = trace.indexOf("-\n", trace.indexOf("bridge(")) + 2;
        return trace.substring(start, trace.indexOf("\nFinal flow:"));
    }

    // Output

    @Test
    void outputToTheInputPortIsSkippedWhileInPortSendsThePacketBack() {
        TestBridge bridge = bridge("in_port=1 actions=output:1,output:2,IN_PORT");

        assertThat(actions(bridge, "in_port=1")).isEqualTo("2,1");
        assertThat(steps(bridge, "in_port=1")).isEqualTo("""
                         0. in_port=1, priority 32768
                            output:1
                             -> skipping output to input port
                            output:2
                            IN_PORT
                        """);
    }

    @Test
    void floodGoesToEveryPortButTheInputPortAndNoFloodPorts() {
        TestBridge bridge = bridge("actions=FLOOD");

        assertThat(actions(bridge, "in_port=2")).isEqualTo("1,3");
        assertThat(actions(bridge, "in_port=4")).isEqualTo("1,2,3");
    }

    @Test
    void allGoesToEveryPortButTheInputPortNoFloodPortsIncluded() {
        TestBridge bridge = bridge("actions=ALL");

        assertThat(actions(bridge, "in_port=2")).isEqualTo("1,3,4");
    }

    @Test
    void floodToATunnelCarriesTheKey() {
        TestBridge bridge = bridge("actions=set_tunnel:0x1388,FLOOD").tunnel(5, "gre0");

        assertThat(actions(bridge, "in_port=1")).isEqualTo("2,3,set(tunnel(tun_id=0x1388)),5");
    }

    @Test
    void normalWithoutALearningSwitchDropsAndSaysSo() {
        TestBridge bridge = bridge("actions=NORMAL");

        Translation translation = Translator.translate(bridge, flow("in_port=1"));

        assertThat(translation.actionsText()).isEqualTo("drop");
        assertThat(translation.dropReason()).isEqualTo(XlateDrop.NO_OUTPUT);
        assertThat(steps(bridge, "in_port=1")).isEqualTo("""
                         0. priority 32768
                            NORMAL
                             -> this bridge has no NORMAL switch: dropping
                        """);
    }

    @Test
    void normalAsksTheLearningSwitchAndKeepsItsLearningForReplay() {
        TestBridge.StubNormal normal = new TestBridge.StubNormal("no learned MAC for destination, flooding", 1, 2, 3);
        TestBridge bridge = bridge("actions=mod_vlan_vid:5,NORMAL").normal(normal);

        Translation translation =
                Translator.translate(bridge, flow("in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02"));

        // The switch's ports, the input port left out, each with the packet as the flows left it.
        assertThat(translation.actionsText()).isEqualTo("push_vlan(vid=5,pcp=0),2,3");
        assertThat(normal.calls)
                .containsExactly("in_port=1 in_port=1,dl_vlan=5,dl_vlan_pcp=0,dl_src=00:00:00:00:00:01,"
                        + "dl_dst=00:00:00:00:00:02,dl_type=0x0000");
        // What the switch read is in the megaflow.
        assertThat(translation.megaflow().toString())
                .isEqualTo("in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,"
                        + "dl_type=0x0000");
        assertThat(translation.sideEffects()).hasSize(1);
        translation.sideEffects().getFirst().replay(42);
        assertThat(normal.learned).containsExactly("vlan 5 mac 1 port 1 at 42");
        assertThat(steps(bridge, "in_port=1")).isEqualTo("""
                         0. priority 32768
                            mod_vlan_vid:5
                            NORMAL
                             -> no learned MAC for destination, flooding
                        """);
    }

    @Test
    void aTraceWithoutLearningTellsNormalNotToLearn() {
        TestBridge.StubNormal normal = new TestBridge.StubNormal("no learned MAC for destination, flooding", 1, 2, 3);
        TestBridge bridge = bridge("actions=NORMAL").normal(normal);

        Translation translation = Translator.traceWithoutLearning(
                bridge, flow("in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02"), new StringBuilder());

        assertThat(normal.calls).hasSize(1);
        assertThat(translation.actionsText()).isEqualTo("2,3");
        assertThat(translation.sideEffects()).isEmpty();
    }

    @Test
    void controllerSendsThePacketAsModifiedSoFar() {
        assertThat(actions(bridge("actions=controller"), "in_port=1")).isEqualTo("controller(max_len=65535)");
        assertThat(actions(bridge("actions=mod_vlan_vid:3,controller:128,output:2"), "in_port=1"))
                .isEqualTo("push_vlan(vid=3,pcp=0),controller(max_len=128),2");
        Translation translation = Translator.translate(bridge("actions=controller"), flow("in_port=1"));
        assertThat(translation.dropReason()).isNull();
    }

    // Changes to the packet: committed before each output, and only when they change something

    @Test
    void anEthernetAddressChangeIsCommittedOnlyWhenTheAddressDiffers() {
        TestBridge bridge = bridge("in_port=1 actions=mod_dl_dst:00:00:00:00:00:02,output:2");

        assertThat(actions(bridge, "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02"))
                .isEqualTo("2");
        assertThat(actions(bridge, "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:03"))
                .isEqualTo("set(eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)),2");
    }

    @Test
    void setFieldLoadAndMoveIntoEthernetAddressesCommitLikeModDl() {
        String packet = "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:03";
        assertThat(actions(bridge("actions=set_field:00:00:00:00:00:09->eth_src,output:2"), packet))
                .isEqualTo("set(eth(src=00:00:00:00:00:09,dst=00:00:00:00:00:03)),2");
        assertThat(actions(bridge("actions=load:0x9->NXM_OF_ETH_SRC[0..7],output:2"), packet))
                .isEqualTo("set(eth(src=00:00:00:00:00:09,dst=00:00:00:00:00:03)),2");
        assertThat(actions(bridge("actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],output:2"), packet))
                .isEqualTo("set(eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:01)),2");
        assertThat(actions(
                        bridge("actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],output:2"),
                        "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:01"))
                .isEqualTo("2");
    }

    @Test
    void anIpv4ChangeIsCommittedOnlyWhenTheHeaderDiffers() {
        TestBridge bridge = bridge("ip actions=set_field:10.0.0.9->ip_dst,output:2");
        String to = "in_port=1,ip,nw_src=10.0.0.1,nw_ttl=64,nw_dst=";

        assertThat(actions(bridge, to + "10.0.0.9")).isEqualTo("2");
        assertThat(actions(bridge, to + "10.0.0.2")).isEqualTo("set(ipv4(src=10.0.0.1,dst=10.0.0.9,tos=0x0,ttl=64)),2");
        assertThat(actions(bridge("ip actions=load:0x9->NXM_OF_IP_DST[0..7],output:2"), to + "10.0.0.2"))
                .isEqualTo("set(ipv4(src=10.0.0.1,dst=10.0.0.9,tos=0x0,ttl=64)),2");
        assertThat(actions(bridge("ip actions=move:NXM_OF_IP_SRC[]->NXM_OF_IP_DST[],output:2"), to + "10.0.0.2"))
                .isEqualTo("set(ipv4(src=10.0.0.1,dst=10.0.0.1,tos=0x0,ttl=64)),2");
        assertThat(actions(bridge("ip actions=mod_nw_src:10.0.0.5,output:2"), to + "10.0.0.2"))
                .isEqualTo("set(ipv4(src=10.0.0.5,dst=10.0.0.2,tos=0x0,ttl=64)),2");
    }

    @Test
    void aTosChangeKeepsTheEcnBits() {
        assertThat(actions(bridge("ip actions=mod_nw_tos:32,output:2"), "in_port=1,ip,nw_ttl=9,nw_ecn=1"))
                .isEqualTo("set(ipv4(src=0.0.0.0,dst=0.0.0.0,tos=0x21,ttl=9)),2");
    }

    @Test
    void anEcnChangeIsCommittedToo() {
        TestBridge bridge = bridge("ip actions=set_field:3->nw_ecn,output:2");

        assertThat(actions(bridge, "in_port=1,ip,nw_tos=32,nw_ttl=9"))
                .isEqualTo("set(ipv4(src=0.0.0.0,dst=0.0.0.0,tos=0x23,ttl=9)),2");
        assertThat(actions(bridge, "in_port=1,ip,nw_tos=32,nw_ecn=3,nw_ttl=9")).isEqualTo("2");
        assertThat(Translator.translate(bridge, flow("in_port=1,ip,nw_ecn=3,nw_ttl=9"))
                        .megaflow()
                        .toString())
                .isEqualTo("ip,in_port=1,vlan_tci=0x0000,nw_ecn=3");
    }

    @Test
    void aChangeUndoneBeforeTheOutputCommitsNothing() {
        assertThat(actions(bridge("ip actions=mod_nw_tos:32,mod_nw_tos:0,output:2"), "in_port=1,ip,nw_ttl=9"))
                .isEqualTo("2");
        assertThat(actions(
                        bridge("actions=mod_vlan_vid:5,strip_vlan,output:2"),
                        "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:03"))
                .isEqualTo("2");
    }

    @Test
    void eachOutputGetsThePacketAsItStandsThen() {
        assertThat(actions(
                        bridge("actions=mod_dl_src:00:00:00:00:00:09,output:2,mod_dl_src:00:00:00:00:00:01,output:3"),
                        "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:03"))
                .isEqualTo("set(eth(src=00:00:00:00:00:09,dst=00:00:00:00:00:03)),2,"
                        + "set(eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:03)),3");
    }

    @Test
    void vlanChangesCommitAsPushSetOrPopAndOnlyWhenTheTagChanges() {
        String untagged = "in_port=1";
        String vlan5 = "in_port=1,dl_vlan=5";
        String vlan6 = "in_port=1,dl_vlan=6,dl_vlan_pcp=3";
        TestBridge modVid = bridge("actions=mod_vlan_vid:5,output:2");
        assertThat(actions(modVid, untagged)).isEqualTo("push_vlan(vid=5,pcp=0),2");
        assertThat(actions(modVid, vlan5)).isEqualTo("2");
        assertThat(actions(modVid, vlan6)).isEqualTo("set(vlan(vid=5,pcp=3)),2");
        TestBridge load = bridge("actions=load:0x5->NXM_OF_VLAN_TCI[0..11],output:2");
        assertThat(actions(load, vlan5)).isEqualTo("2");
        assertThat(actions(load, vlan6)).isEqualTo("set(vlan(vid=5,pcp=3)),2");
        TestBridge setField = bridge("actions=set_field:5->dl_vlan,output:2");
        assertThat(actions(setField, untagged)).isEqualTo("push_vlan(vid=5,pcp=0),2");
        assertThat(actions(setField, vlan5)).isEqualTo("2");
        TestBridge strip = bridge("actions=strip_vlan,output:2");
        assertThat(actions(strip, untagged)).isEqualTo("2");
        assertThat(actions(strip, vlan5)).isEqualTo("pop_vlan,2");
        assertThat(actions(bridge("actions=load:0->NXM_OF_VLAN_TCI[],output:2"), vlan6))
                .isEqualTo("pop_vlan,2");
        TestBridge pcp = bridge("actions=mod_vlan_pcp:7,output:2");
        assertThat(actions(pcp, untagged)).isEqualTo("push_vlan(vid=0,pcp=7),2");
        assertThat(actions(pcp, vlan6)).isEqualTo("set(vlan(vid=6,pcp=7)),2");
        TestBridge push = bridge("actions=push_vlan:0x8100,output:2");
        assertThat(actions(push, untagged)).isEqualTo("push_vlan(vid=0,pcp=0),2");
    }

    // TTL

    @Test
    void decTtlAt64CommitsTtl63() {
        TestBridge bridge = bridge("ip actions=dec_ttl,output:2");

        Translation translation =
                Translator.translate(bridge, flow("in_port=1,ip,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_ttl=64"));

        assertThat(translation.actionsText()).isEqualTo("set(ipv4(src=10.0.0.1,dst=10.0.0.2,tos=0x0,ttl=63)),2");
        assertThat(translation.megaflow().toString())
                .isEqualTo("ip,in_port=1,vlan_tci=0x0000,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64");
    }

    @Test
    void decTtlAt1DropsThePacket() {
        TestBridge bridge = bridge("ip actions=dec_ttl,output:2");

        Translation translation = Translator.translate(bridge, flow("in_port=1,ip,nw_ttl=1"));

        assertThat(translation.actionsText()).isEqualTo("drop");
        assertThat(translation.dropReason()).isEqualTo(XlateDrop.TTL_EXCEEDED);
        assertThat(Translator.translate(bridge, flow("in_port=1,ip,nw_ttl=0")).dropReason())
                .isEqualTo(XlateDrop.TTL_EXCEEDED);
        assertThat(translation.megaflow().toString()).isEqualTo("ip,in_port=1,vlan_tci=0x0000,nw_ttl=1");
        assertThat(steps(bridge, "in_port=1,ip,nw_ttl=1")).isEqualTo("""
                         0. ip, priority 32768
                            dec_ttl
                             >> TTL 1 cannot be decremented: the rest of this flow's actions are skipped
                        """);
    }

    /**
     * As in Open vSwitch (ovs-actions(7)): a TTL that cannot be decremented stops the flow's remaining actions, not
     * what was output before, nor the actions after the resubmit that reached the flow.
     */
    @Test
    void decTtlAt1SkipsTheRestOfItsFlowOnly() {
        TestBridge bridge =
                bridge("in_port=1,ip actions=resubmit(,1),output:4", "table=1, ip actions=output:2,dec_ttl,output:3");

        Translation translation = Translator.translate(bridge, flow("in_port=1,ip,nw_ttl=1"));

        assertThat(translation.actionsText()).isEqualTo("2,4");
        assertThat(translation.dropReason()).isNull();
        assertThat(actions(bridge, "in_port=1,ip,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_ttl=2"))
                .isEqualTo("2,set(ipv4(src=10.0.0.1,dst=10.0.0.2,tos=0x0,ttl=1)),3,4");
    }

    // Tables

    @Test
    void gotoTableContinuesInTheLaterTable() {
        TestBridge bridge = bridge("in_port=1 actions=mod_vlan_vid:7,goto_table:3", "table=3, actions=output:2");

        assertThat(actions(bridge, "in_port=1")).isEqualTo("push_vlan(vid=7,pcp=0),2");
        assertThat(steps(bridge, "in_port=1")).isEqualTo("""
                         0. in_port=1, priority 32768
                            mod_vlan_vid:7
                            goto_table:3
                         3. priority 32768
                            output:2
                        """);
    }

    /**
     * resubmit(PORT,TABLE) looks the table up as if the packet had come in on PORT; the actions of the flow found see
     * its real input port again, as in Open vSwitch (else IN_PORT and NORMAL would surprise).
     */
    @Test
    void resubmitWithAPortChangesTheInputPortForItsLookupOnly() {
        TestBridge bridge = bridge(
                "in_port=1 actions=resubmit(2,1),resubmit(,2)",
                "table=1, in_port=2 actions=IN_PORT,output:2",
                "table=2, in_port=1 actions=output:3");

        Translation translation = Translator.translate(bridge, flow("in_port=1"));

        assertThat(translation.actionsText()).isEqualTo("1,2,3");
        assertThat(translation.finalFlow().get(Field.IN_PORT)).isEqualTo(1);
        assertThat(steps(bridge, "in_port=1")).isEqualTo("""
                         0. in_port=1, priority 32768
                            resubmit(2,1)
                             1. in_port=2, priority 32768
                                    IN_PORT
                                    output:2
                            resubmit(,2)
                         2. in_port=1, priority 32768
                            output:3
                        """);
    }
}
