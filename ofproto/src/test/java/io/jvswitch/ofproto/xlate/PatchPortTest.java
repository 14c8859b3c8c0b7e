package io.jvswitch.ofproto.xlate;

import static io.jvswitch.ofproto.xlate.TestBridge.flow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * Output to a patch port continues in the bridge at its other end, as br-int and br-tun are joined in the tutorial:
 * the peer starts with its own registers, metadata and tunnel metadata cleared, and whatever it does to the flow stays
 * there; the first bridge goes on with the flow as it was.
 */
class PatchPortTest {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    /**
     * br-int tags VM1's frame with local VLAN 1, sets registers, metadata and a tunnel key, and outputs it to
     * patch-tun, then to VM2 and to a tunnel of its own. br-tun would drop it if br-int's registers, metadata or key
     * reached it; it strips the tag and sends it into GRE with its own key.
     */
    private TestBridge brInt() {
        TestBridge brInt = TestBridge.withFlows(
                        "br-int",
                        clock,
                        "in_port=1 actions=load:0x7->NXM_NX_REG0[],load:0x1->OXM_OF_METADATA[],set_tunnel:0x99,"
                                + "mod_vlan_vid:1,output:2,resubmit(,1)",
                        "table=1, reg0=0x7,metadata=0x1 actions=output:3,output:4")
                .port(1, "vm1")
                .port(3, "vm2")
                .tunnel(4, "vxlan-int");
        TestBridge brTun = TestBridge.withFlows(
                        "br-tun",
                        clock,
                        "priority=10,in_port=10,reg0=0x7 actions=drop",
                        "priority=10,in_port=10,metadata=0x1 actions=drop",
                        "priority=10,in_port=10,tun_id=0x99 actions=drop",
                        "priority=1,in_port=10,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:11")
                .tunnel(11, "gre-1");
        TestBridge.patch(brInt, 2, "patch-tun", brTun, 10, "patch-int");
        return brInt;
    }

    private static final String VM1_BROADCAST = "in_port=1,dl_src=fa:16:3e:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff";

    @Test
    void thePeerStartsAfreshAndItsChangesStayThere() {
        Translation translation = Translator.translate(brInt(), flow(VM1_BROADCAST));

        // br-tun untagged it and keyed it 0x1388; back in br-int it is tagged again, with br-int's key.
        assertThat(translation.actionsText())
                .isEqualTo("set(tunnel(tun_id=0x1388)),11,push_vlan(vid=1,pcp=0),3,set(tunnel(tun_id=0x99)),4");
        assertThat(translation.rules().stream().map(Object::toString))
                .containsExactly(
                        "table=0, in_port=1",
                        "table=0, priority=1,in_port=10,dl_vlan=1",
                        "table=1, reg0=0x7,metadata=0x1");
        assertThat(translation.finalFlow().toString())
                .isEqualTo("reg0=0x7,tun_id=0x99,metadata=0x1,in_port=1,dl_vlan=1,dl_vlan_pcp=0,"
                        + "dl_src=fa:16:3e:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000");
        // br-tun's looks at its own (cleared) registers, metadata and key are not the packet's business.
        assertThat(translation.megaflow().toString()).isEqualTo("in_port=1,vlan_tci=0x0000,dl_type=0x0000");
    }

    @Test
    void theTraceShowsThePeerBridgeInItsOwnSection() {
        StringBuilder trace = new StringBuilder();
        Translator.trace(brInt(), flow(VM1_BROADCAST), trace);

        assertThat(trace.toString()).isEqualTo("""
                        Flow: in_port=1,vlan_tci=0x0000,dl_src=fa:16:3e:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000

                        bridge("br-int")
                        ----------------
                         0. in_port=1, priority 32768
                            load:0x7->NXM_NX_REG0[]
                            load:0x1->OXM_OF_METADATA[]
                            set_tunnel:0x99
                            mod_vlan_vid:1
                            output:2

                            bridge("br-tun")
                            ----------------
                                 0. in_port=10,dl_vlan=1, priority 1
                                    strip_vlan
                                    set_tunnel:0x1388
                                    output:11
                                     -> output to tunnel port gre-1, key 0x1388
                            resubmit(,1)
                         1. reg0=0x7,metadata=0x1, priority 32768
                            output:3
                            output:4
                             -> output to tunnel port vxlan-int, key 0x99

                        Final flow: reg0=0x7,tun_id=0x99,metadata=0x1,in_port=1,dl_vlan=1,dl_vlan_pcp=0,\
                        dl_src=fa:16:3e:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000
                        Megaflow: in_port=1,vlan_tci=0x0000,dl_type=0x0000
                        Datapath actions: set(tunnel(tun_id=0x1388)),11,push_vlan(vid=1,pcp=0),3,\
                        set(tunnel(tun_id=0x99)),4
                        """);
    }

    @Test
    void aPatchPortAtTheEndOfTheActionsPutsThePeerBridgeFlushLeft() {
        TestBridge brInt = TestBridge.withFlows("br-int", clock, "in_port=1 actions=mod_vlan_vid:1,output:2")
                .port(1, "vm1");
        TestBridge brTun = TestBridge.withFlows(
                        "br-tun", clock, "in_port=10 actions=strip_vlan,set_tunnel:0x1388,output:11")
                .tunnel(11, "gre-1");
        TestBridge.patch(brInt, 2, "patch-tun", brTun, 10, "patch-int");
        StringBuilder trace = new StringBuilder();

        Translation translation = Translator.trace(brInt, flow("in_port=1"), trace);

        assertThat(translation.actionsText()).isEqualTo("set(tunnel(tun_id=0x1388)),11");
        assertThat(trace.toString()).isEqualTo("""
                        Flow: in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,dl_type=0x0000

                        bridge("br-int")
                        ----------------
                         0. in_port=1, priority 32768
                            mod_vlan_vid:1
                            output:2

                        bridge("br-tun")
                        ----------------
                         0. in_port=10, priority 32768
                            strip_vlan
                            set_tunnel:0x1388
                            output:11
                             -> output to tunnel port gre-1, key 0x1388

                        Final flow: in_port=1,dl_vlan=1,dl_vlan_pcp=0,dl_src=00:00:00:00:00:00,\
                        dl_dst=00:00:00:00:00:00,dl_type=0x0000
                        Megaflow: in_port=1,vlan_tci=0x0000,dl_type=0x0000
                        Datapath actions: set(tunnel(tun_id=0x1388)),11
                        """);
    }

    @Test
    void floodAndInPortGoThroughPatchPortsToo() {
        TestBridge a = TestBridge.withFlows("br-a", clock, "in_port=1 actions=FLOOD", "in_port=2 actions=IN_PORT")
                .port(1, "a1")
                .port(3, "a3");
        TestBridge b = TestBridge.withFlows("br-b", clock, "in_port=1 actions=output:2,IN_PORT")
                .port(2, "b2");
        TestBridge.patch(a, 2, "a-to-b", b, 1, "b-to-a");

        // a floods to a3 and over the patch to b, which outputs to b2 and back over the patch (IN_PORT) to a,
        // which sends it back to b (IN_PORT again)... until the depth runs out.
        Translation loop = Translator.translate(a, flow("in_port=1"));
        assertThat(loop.dropReason()).isEqualTo(XlateDrop.RESUBMIT_DEPTH);

        TestBridge c = TestBridge.withFlows("br-c", clock, "in_port=1 actions=FLOOD")
                .port(1, "c1")
                .port(3, "c3");
        TestBridge d = TestBridge.withFlows("br-d", clock, "in_port=1 actions=output:2")
                .port(2, "d2");
        TestBridge.patch(c, 2, "c-to-d", d, 1, "d-to-c");
        assertThat(Translator.translate(c, flow("in_port=1")).actionsText()).isEqualTo("2,3");
    }

    @Test
    void inPortOfAPacketThatCameOverAPatchSendsItBackOverThePatch() {
        TestBridge a = TestBridge.withFlows("br-a", clock, "in_port=1 actions=output:2", "in_port=2 actions=output:4")
                .port(1, "a1")
                .port(4, "a4");
        TestBridge b = TestBridge.withFlows("br-b", clock, "in_port=1,dl_vlan=5 actions=output:3,strip_vlan,IN_PORT")
                .port(3, "b3");
        TestBridge.patch(a, 2, "a-to-b", b, 1, "b-to-a");

        assertThat(Translator.translate(a, flow("in_port=1,dl_vlan=5")).actionsText())
                .isEqualTo("3,pop_vlan,4");
    }

    /** Two bridges patched twice over, forwarding into each other forever: the depth limit ends it. */
    @Test
    void bridgesPatchedInALoopAreStoppedByTheDepthLimit() {
        TestBridge a = TestBridge.withFlows("br-a", clock, "actions=output:1").port(3, "a3");
        TestBridge b = TestBridge.withFlows("br-b", clock, "in_port=1 actions=output:2");
        TestBridge.patch(a, 1, "a1", b, 1, "b1");
        TestBridge.patch(a, 2, "a2", b, 2, "b2");
        StringBuilder trace = new StringBuilder();

        Translation translation = Translator.trace(a, flow("in_port=3"), trace);

        assertThat(translation.dropReason()).isEqualTo(XlateDrop.RESUBMIT_DEPTH);
        assertThat(translation.actionsText()).isEqualTo("drop");
        // 64 patch crossings: 32 into b, 32 back into a, then the 65th is refused.
        assertThat(trace.toString().lines().filter(line -> line.strip().equals("bridge(\"br-b\")")))
                .hasSize(32);
        assertThat(trace.toString()).contains("""
                            output:1
                             >>>> over max translation depth 64 <<<<
                        """);
    }

    /** The same loop through NORMAL switches. */
    @Test
    void learningSwitchesPatchedInALoopAreStoppedByTheDepthLimitToo() {
        TestBridge a = TestBridge.withFlows("br-a", clock, "actions=NORMAL")
                .port(3, "a3")
                .normal(new TestBridge.StubNormal("flooding", 1, 2, 3));
        TestBridge b = TestBridge.withFlows("br-b", clock, "actions=NORMAL")
                .normal(new TestBridge.StubNormal("flooding", 1, 2));
        TestBridge.patch(a, 1, "a1", b, 1, "b1");
        TestBridge.patch(a, 2, "a2", b, 2, "b2");

        Translation translation = Translator.translate(a, flow("in_port=3"));

        assertThat(translation.dropReason()).isEqualTo(XlateDrop.RESUBMIT_DEPTH);
    }
}
