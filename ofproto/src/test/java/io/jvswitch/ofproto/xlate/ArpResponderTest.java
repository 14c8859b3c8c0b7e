package io.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import org.junit.jupiter.api.Test;

/** Neutron's ARP responder in br-tun table 21: an ARP request for a known remote VM is answered in place. */
class ArpResponderTest {
    /** Neutron's responder flow for VM2 (fa:16:3e:1f:19:55, 10.0.0.2) on local VLAN 1. */
    static final String RESPONDER = "table=21,priority=1,arp,dl_vlan=1,arp_tpa=10.0.0.2 actions="
            + "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:fa:16:3e:1f:19:55,load:0x2->NXM_OF_ARP_OP[],"
            + "move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],"
            + "load:0xfa163e1f1955->NXM_NX_ARP_SHA[],load:0xa000002->NXM_OF_ARP_SPA[],IN_PORT";

    @Test
    void aRequestForARemoteVmIsTurnedIntoItsReplyAndSentBack() {
        TestBridge brTun = TestBridge.withFlows(
                        "br-tun", new ManualClock(0), "table=0,priority=1,in_port=1 actions=resubmit(,21)", RESPONDER)
                .port(1, "patch-int");
        Translation translation = Translator.translate(
                brTun,
                TestBridge.flow("in_port=1,dl_vlan=1,dl_src=fa:16:3e:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp,arp_op=1,"
                        + "arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_sha=fa:16:3e:00:00:01"));
        assertThat(translation.actionsText())
                .isEqualTo("set(eth(src=fa:16:3e:1f:19:55,dst=fa:16:3e:00:00:01)),"
                        + "set(arp(sip=10.0.0.2,tip=10.0.0.1,op=2,sha=fa:16:3e:1f:19:55,tha=fa:16:3e:00:00:01)),1");
        assertThat(translation.dropReason()).isNull();
    }
}
