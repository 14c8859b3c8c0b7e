package io.jvswitch.lab.jvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.agent.Changes;
import io.jvswitch.agent.Layout;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A peer that leaves (tutorial-vm3.yaml, then the same without host3): host1's agent, given its state without host3,
 * takes away the tunnel to 192.168.1.102 and every flow that mentions its port — the agent's own and the one table
 * 10 learned for VM3 — and host1 and host2 go on talking as before.
 */
class PeerLeavesScenarioTest {
    private static final String LEARN = "learn(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],"
            + "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],"
            + "output:NXM_OF_IN_PORT[])";

    /** host1's br-tun with both peers: gre-1 (port 2) to host3 .102, gre-2 (port 3) to host2 .101. */
    private static final List<String> BEFORE = List.of(
            "priority=1,in_port=1 actions=resubmit(,1)",
            "priority=1,in_port=2 actions=resubmit(,2)",
            "priority=1,in_port=3 actions=resubmit(,2)",
            "priority=0 actions=drop",
            "table=1, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
            "table=1, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)",
            "table=2, priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
            "table=2, priority=0 actions=drop",
            "table=3, priority=0 actions=drop",
            "table=10, priority=1 actions=" + LEARN + ",output:1",
            "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:00:00:03"
                    + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:2",
            "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                    + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3",
            "table=20, priority=0 actions=resubmit(,21)",
            "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
            "table=21, priority=0 actions=drop");

    /** The same without port 2: its table 0 flow, its learned flow and its place in the flood flow are gone. */
    private static final List<String> AFTER = List.of(
            "priority=1,in_port=1 actions=resubmit(,1)",
            "priority=1,in_port=3 actions=resubmit(,2)",
            "priority=0 actions=drop",
            "table=1, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
            "table=1, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)",
            "table=2, priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
            "table=2, priority=0 actions=drop",
            "table=3, priority=0 actions=drop",
            "table=10, priority=1 actions=" + LEARN + ",output:1",
            "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                    + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3",
            "table=20, priority=0 actions=resubmit(,21)",
            "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3",
            "table=21, priority=0 actions=drop");

    @Test
    void host3LeavesAndTakesItsTunnelAndEveryFlowThatMentionsIt() throws Exception {
        Topology topology = Scenario.topology("tutorial-vm3.yaml");
        try (Scenario scenario = Scenario.start(topology, Layout.TUTORIAL)) {
            assertThat(scenario.ping("vm1", "10.0.0.2", 1).success()).isTrue();
            assertThat(scenario.ping("vm1", "10.0.0.3", 1).success()).isTrue();
            assertThat(scenario.flows("host1")).containsExactlyElementsOf(BEFORE);

            Map<String, Changes> changes = scenario.switching.reconfigure(Scenario.without(topology, "host3"));
            assertThat(changes)
                    .containsExactly(
                            Map.entry("host1", new Changes(List.of(), List.of("gre-1"), 0, 1, 1, 1)),
                            Map.entry("host2", new Changes(List.of(), List.of("gre-2"), 0, 1, 1, 0)));
            assertThat(scenario.flows("host1")).containsExactlyElementsOf(AFTER);
            assertThat(scenario.host("host1").agent().tunnelPorts().keySet()).containsExactly("gre-2");
            assertThat(scenario.host("host1").agent().show())
                    .doesNotContain("192.168.1.102")
                    .contains("remote_ip=\"192.168.1.101\"");
            assertThat(scenario.switching.hosts()).extracting(JvsHost::name).containsExactly("host1", "host2");
            assertThat(scenario.switching
                            .reconfigure(Scenario.without(topology, "host3"))
                            .values())
                    .as("the same topology again changes nothing")
                    .allMatch(Changes::isEmpty);

            // host1 and host2 talk as before, unicast into the one tunnel left.
            scenario.clearWire();
            long host3Received = scenario.lab.host("host3").underlay().received();
            PingResult ping = scenario.ping("vm1", "10.0.0.2", 3);
            assertThat(ping.success()).as(ping.summary()).isTrue();
            String out = "192.168.1.100 > 192.168.1.101 gre 0x1388: fa:16:3e:00:00:01 > fa:16:3e:1f:19:55"
                    + " icmp echo request 10.0.0.1 > 10.0.0.2";
            String back = "192.168.1.101 > 192.168.1.100 gre 0x1388: fa:16:3e:1f:19:55 > fa:16:3e:00:00:01"
                    + " icmp echo reply 10.0.0.2 > 10.0.0.1";
            assertThat(scenario.wireLines()).containsExactly(out, back, out, back, out, back);

            // VM1 still has VM3's MAC: host1 no longer knows it and floods it, into the one tunnel left.
            scenario.clearWire();
            PingResult gone = scenario.ping("vm1", "10.0.0.3", 1);
            assertThat(gone.failure()).as(gone.summary()).isTrue();
            assertThat(scenario.wireLines())
                    .containsExactly("192.168.1.100 > 192.168.1.101 gre 0x1388: fa:16:3e:00:00:01 > fa:16:3e:00:00:03"
                            + " icmp echo request 10.0.0.1 > 10.0.0.3");
            assertThat(scenario.lab.host("host3").underlay().received())
                    .as("nothing more was sent to host3")
                    .isEqualTo(host3Received);
            for (JvsHost host : scenario.switching.hosts()) {
                assertThat(host.datapath().dropCounters()).as(host.name()).isEmpty();
            }
        }
    }

    /** Neutron's ARP responder entry for a VM: answer in its name, back where the request came from. */
    private static String responder(String ip, String mac, String macHex, String ipHex) {
        return "table=21, cookie=0x1000, priority=1,arp,dl_vlan=1,arp_tpa=" + ip + " actions="
                + "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:" + mac + ",load:0x2->NXM_OF_ARP_OP[],"
                + "move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],"
                + "load:" + macHex + "->NXM_NX_ARP_SHA[],load:" + ipHex + "->NXM_OF_ARP_SPA[],IN_PORT";
    }

    /**
     * Under Neutron's layout the peer also takes what l2population told host1 about its VM: the unicast flow to vm3
     * in table 20 and the ARP responder's entry for 10.0.0.3 in table 21. An ARP request for 10.0.0.3 is then no
     * longer answered on host1; it floods, to host2 alone.
     */
    @Test
    void underNeutronAPeerThatLeavesTakesItsL2populationEntriesToo() throws Exception {
        Topology topology = Scenario.topology("tutorial-vm3.yaml");
        try (Scenario scenario = Scenario.start(topology, Layout.NEUTRON)) {
            assertThat(scenario.ping("vm1", "10.0.0.2", 1).success()).isTrue();
            assertThat(scenario.ping("vm1", "10.0.0.3", 1).success()).isTrue();
            assertThat(scenario.flows("host1", 21))
                    .containsExactly(
                            responder("10.0.0.2", "fa:16:3e:1f:19:55", "0xfa163e1f1955", "0xa000002"),
                            responder("10.0.0.3", "fa:16:3e:00:00:03", "0xfa163e000003", "0xa000003"),
                            "table=21, cookie=0x1000, priority=0 actions=resubmit(,22)");

            Map<String, Changes> changes = scenario.switching.reconfigure(Scenario.without(topology, "host3"));
            assertThat(changes.get("host1"))
                    .as(
                            "gre-c0a80166 and its learned flow; its table 0, l2population and responder flows; the flood flow")
                    .isEqualTo(new Changes(List.of(), List.of("gre-c0a80166"), 0, 1, 3, 1));
            assertThat(scenario.flows("host1"))
                    .containsExactly(
                            "cookie=0x1000, priority=1,in_port=1 actions=resubmit(,2)",
                            "cookie=0x1000, priority=1,in_port=3 actions=resubmit(,3)",
                            "cookie=0x1000, priority=0 actions=drop",
                            "table=2, cookie=0x1000, priority=1,arp,dl_dst=ff:ff:ff:ff:ff:ff actions=resubmit(,21)",
                            "table=2, cookie=0x1000, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00"
                                    + " actions=resubmit(,20)",
                            "table=2, cookie=0x1000, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00"
                                    + " actions=resubmit(,22)",
                            "table=3, cookie=0x1000, priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
                            "table=3, cookie=0x1000, priority=0 actions=drop",
                            "table=4, cookie=0x1000, priority=0 actions=drop",
                            "table=10, cookie=0x1000, priority=1 actions="
                                    + LEARN.replace("priority=1,", "priority=1,cookie=0x1000,") + ",output:1",
                            "table=20, cookie=0x1000, priority=2,dl_vlan=1,dl_dst=fa:16:3e:1f:19:55"
                                    + " actions=strip_vlan,set_tunnel:0x1388,output:3",
                            "table=20, cookie=0x1000, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,"
                                    + "dl_dst=fa:16:3e:1f:19:55 actions=load:0->NXM_OF_VLAN_TCI[],"
                                    + "load:0x1388->NXM_NX_TUN_ID[],output:3",
                            "table=20, cookie=0x1000, priority=0 actions=resubmit(,22)",
                            responder("10.0.0.2", "fa:16:3e:1f:19:55", "0xfa163e1f1955", "0xa000002"),
                            "table=21, cookie=0x1000, priority=0 actions=resubmit(,22)",
                            "table=22, cookie=0x1000, priority=1,dl_vlan=1"
                                    + " actions=strip_vlan,set_tunnel:0x1388,output:3",
                            "table=22, cookie=0x1000, priority=0 actions=drop");

            // vm1's ARP entry for 10.0.0.3 has run out by now; its requests are no longer answered on host1.
            scenario.runFor(Duration.ofSeconds(60));
            scenario.clearWire();
            PingResult gone = scenario.ping("vm1", "10.0.0.3", 1);
            scenario.lab.scheduler().runUntilIdle();
            assertThat(gone.failure()).as(gone.summary()).isTrue();
            String ask = "192.168.1.100 > 192.168.1.101 gre 0x1388: fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff"
                    + " arp who-has 10.0.0.3 tell 10.0.0.1";
            assertThat(scenario.wireLines()).containsExactly(ask, ask, ask);
            assertThat(scenario.ping("vm1", "10.0.0.2", 1).success()).isTrue();
        }
    }
}
