package io.jvswitch.ofproto.xlate;

import static io.jvswitch.ofproto.xlate.TestBridge.flow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.flow.FlowKey;
import org.junit.jupiter.api.Test;

/**
 * Megaflows that once left out a bit the translation depended on, each found by {@link MegaflowSoundnessTest}: two
 * packets that differ only there must not share a megaflow, since they translate differently.
 */
class MegaflowRegressionTest {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    private TestBridge bridge(String... flows) {
        return TestBridge.withFlows("br0", clock, flows)
                .port(1, "p1")
                .port(2, "p2")
                .tunnel(3, "vxlan0");
    }

    private static void assertSeparated(TestBridge bridge, String first, String second) {
        FlowKey one = flow(first);
        FlowKey two = flow(second);
        Translation a = Translator.translate(bridge, one);
        Translation b = Translator.translate(bridge, two);
        assertThat(a.actionsText()).isNotEqualTo(b.actionsText());
        assertThat(a.megaflow().matches(two))
                .as("%s's megaflow %s covers %s", one, a.megaflow(), two)
                .isFalse();
        assertThat(b.megaflow().matches(one))
                .as("%s's megaflow %s covers %s", two, b.megaflow(), one)
                .isFalse();
    }

    /** set(eth(...)) carries both addresses: the destination the packet brought is part of the outcome. */
    @Test
    void changingTheSourceMacKeysOnTheDestinationMacThatTheSetActionCarries() {
        TestBridge bridge = bridge("in_port=1 actions=mod_dl_src:00:00:00:00:00:09,output:2");

        Translation translation = Translator.translate(bridge, flow("in_port=1,dl_dst=00:00:00:00:00:02"));

        assertThat(translation.actionsText()).isEqualTo("set(eth(src=00:00:00:00:00:09,dst=00:00:00:00:00:02)),2");
        assertThat(translation.megaflow().toString())
                .isEqualTo(
                        "in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:02,dl_type=0x0000");
        assertSeparated(bridge, "in_port=1,dl_dst=00:00:00:00:00:02", "in_port=1,dl_dst=00:00:00:00:00:03");
    }

    /** Writing the value the packet already has needs no set action; any other packet needs one. */
    @Test
    void writingAFieldKeysOnItsOldValueSinceAnEqualOneNeedsNoSetAction() {
        TestBridge bridge = bridge("in_port=1,ip actions=mod_nw_dst:10.0.0.2,output:2");

        Translation same = Translator.translate(bridge, flow("in_port=1,ip,nw_dst=10.0.0.2,nw_ttl=64"));

        assertThat(same.actionsText()).isEqualTo("2");
        assertThat(same.megaflow().toString()).isEqualTo("ip,in_port=1,vlan_tci=0x0000,nw_dst=10.0.0.2");
        assertSeparated(bridge, "in_port=1,ip,nw_dst=10.0.0.2,nw_ttl=64", "in_port=1,ip,nw_dst=10.0.0.3,nw_ttl=64");
    }

    @Test
    void loadingAndMovingIntoHeaderFieldsKeyOnTheirOldValueToo() {
        assertSeparated(
                bridge("in_port=1 actions=load:0x2->NXM_OF_ETH_DST[0..7],output:2"),
                "in_port=1,dl_dst=00:00:00:00:00:02",
                "in_port=1,dl_dst=00:00:00:00:00:03");
        assertSeparated(
                bridge("in_port=1 actions=move:NXM_NX_REG0[0..7]->NXM_OF_ETH_DST[0..7],output:2"),
                "in_port=1,dl_dst=00:00:00:00:00:00",
                "in_port=1,dl_dst=00:00:00:00:00:03");
        assertSeparated(
                bridge("in_port=1 actions=set_field:00:00:00:00:00:02->eth_dst,output:2"),
                "in_port=1,dl_dst=00:00:00:00:00:02",
                "in_port=1,dl_dst=00:00:00:00:00:03");
    }

    /** A tunnel output sends the packet's own key when no action set one. */
    @Test
    void outputToATunnelKeysOnTheKeyThePacketBrought() {
        TestBridge bridge = bridge("in_port=2 actions=output:3");

        Translation translation = Translator.translate(bridge, flow("in_port=2,tun_id=0x64"));

        assertThat(translation.actionsText()).isEqualTo("set(tunnel(tun_id=0x64)),3");
        assertThat(translation.megaflow().toString()).isEqualTo("tun_id=0x64,in_port=2,vlan_tci=0x0000,dl_type=0x0000");
        assertSeparated(bridge, "in_port=2,tun_id=0x64", "in_port=2,tun_id=0x1388");
    }

    /** ... and only the bits of it that no action wrote. */
    @Test
    void aKeyPartlyWrittenKeysOnTheRestOnly() {
        TestBridge bridge = bridge("in_port=2 actions=load:0x88->NXM_NX_TUN_ID[0..7],output:3");

        Translation translation = Translator.translate(bridge, flow("in_port=2,tun_id=0x6400"));

        assertThat(translation.actionsText()).isEqualTo("set(tunnel(tun_id=0x6488)),3");
        assertThat(translation.megaflow().toString())
                .isEqualTo("tun_id=0x6400/0xffffffffffffff00,in_port=2,vlan_tci=0x0000,dl_type=0x0000");
    }

    /** A key set by the flows does not depend on the packet's: the tutorial's flood covers every key. */
    @Test
    void aKeySetByTheFlowsLeavesThePacketsKeyOutOfTheMegaflow() {
        Translation translation =
                Translator.translate(TutorialBrTun.learned(clock), flow(TutorialBrTun.ARP_REQUEST + ",tun_id=0x99"));

        assertThat(translation.actionsText()).isEqualTo("pop_vlan,set(tunnel(tun_id=0x1388)),3,2");
        assertThat(translation.megaflow().toString())
                .isEqualTo("arp,in_port=1,dl_vlan=1,dl_vlan_pcp=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00");
    }
}
