package io.jvswitch.lab.jvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.agent.Layout;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.topology.NetworkType;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tutorial's scenario under Neutron's current br-tun, with l2population and the ARP responder: every host knows
 * from the topology (as Neutron's server tells agents) where each VM is, so br-tun answers VM1's ARP request for
 * 10.0.0.2 on host1 and sends unicast straight into the right tunnel; nothing is flooded and nothing learned is needed.
 */
class NeutronScenarioTest {
    private static final String VM1 = "fa:16:3e:00:00:01";
    private static final String VM2 = "fa:16:3e:1f:19:55";
    private static final String LEARN = "learn(table=20,hard_timeout=300,priority=1,cookie=0x1000,"
            + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
            + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[])";

    /**
     * host1's br-tun (agent cookie 0x1000). l2population makes tunnels only to peers with a port on the network, so
     * host1 has one, {@code gre-1} or {@code vxlan-1} (port 2), to host2; host3, with no VM, gets none. Frames from a
     * GRE tunnel go to table 3, from a VXLAN tunnel to table 4.
     */
    private static List<String> host1(NetworkType type) {
        int tunToVlan = type == NetworkType.GRE ? 3 : 4;
        int other = type == NetworkType.GRE ? 4 : 3;
        List<String> tunnelTables = new ArrayList<>(List.of(
                "table=" + tunToVlan + ", cookie=0x1000, priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
                "table=" + tunToVlan + ", cookie=0x1000, priority=0 actions=drop",
                "table=" + other + ", cookie=0x1000, priority=0 actions=drop"));
        if (other < tunToVlan) {
            tunnelTables.addFirst(tunnelTables.removeLast());
        }
        List<String> flows = new ArrayList<>(List.of(
                "cookie=0x1000, priority=1,in_port=1 actions=resubmit(,2)",
                "cookie=0x1000, priority=1,in_port=2 actions=resubmit(," + tunToVlan + ")",
                "cookie=0x1000, priority=0 actions=drop",
                "table=2, cookie=0x1000, priority=1,arp,dl_dst=ff:ff:ff:ff:ff:ff actions=resubmit(,21)",
                "table=2, cookie=0x1000, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
                "table=2, cookie=0x1000, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,22)"));
        flows.addAll(tunnelTables);
        flows.addAll(List.of(
                "table=10, cookie=0x1000, priority=1 actions=" + LEARN + ",output:1",
                "table=20, cookie=0x1000, priority=2,dl_vlan=1,dl_dst=" + VM2
                        + " actions=strip_vlan,set_tunnel:0x1388,output:2",
                "table=20, cookie=0x1000, priority=0 actions=resubmit(,22)",
                "table=21, cookie=0x1000, priority=1,arp,dl_vlan=1,arp_tpa=10.0.0.2 actions="
                        + "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:" + VM2 + ",load:0x2->NXM_OF_ARP_OP[],"
                        + "move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],"
                        + "load:0xfa163e1f1955->NXM_NX_ARP_SHA[],load:0xa000002->NXM_OF_ARP_SPA[],IN_PORT",
                "table=21, cookie=0x1000, priority=0 actions=resubmit(,22)",
                "table=22, cookie=0x1000, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:2",
                "table=22, cookie=0x1000, priority=0 actions=drop"));
        return flows;
    }

    private static int ip(String address) {
        return Ipv4Address.parse(address);
    }

    @ParameterizedTest
    @EnumSource(
            value = NetworkType.class,
            names = {"GRE", "VXLAN"})
    void theArpResponderAnswersOnHost1AndNothingIsFlooded(NetworkType type) throws Exception {
        String t = type.text();
        try (Scenario scenario = Scenario.start(Scenario.tutorial(type), Layout.NEUTRON)) {
            // Neutron's names: the type and the remote address in hex (192.168.1.101).
            assertThat(scenario.host("host1").agent().tunnelPorts().keySet()).containsExactly(t + "-c0a80165");
            assertThat(scenario.flows("host1")).containsExactlyElementsOf(host1(type));

            PingResult ping = scenario.ping("vm1", "10.0.0.2", 1);
            assertThat(ping.success()).as(ping.summary()).isTrue();
            assertThat(scenario.lab.vm("vm1").neighbor("10.0.0.2")).hasValue(MacAddress.parse(VM2));

            // VM1's ARP request never left host1: br-tun answered it, in VM2's name, back through patch-int.
            assertThat(scenario.deliveredLines("vm1"))
                    .containsExactly(
                            VM2 + " > " + VM1 + " arp reply 10.0.0.2 is-at " + VM2,
                            VM2 + " > " + VM1 + " icmp echo reply 10.0.0.2 > 10.0.0.1");
            byte[] reply = new FrameBuilder()
                    .ethernet(MacAddress.parse(VM2), MacAddress.parse(VM1))
                    .arp(Arp.OP_REPLY, MacAddress.parse(VM2), ip("10.0.0.2"), MacAddress.parse(VM1), ip("10.0.0.1"))
                    .build();
            assertThat(scenario.delivered("vm1").getFirst())
                    .as("the responder's reply, byte for byte the one VM2 would have sent")
                    .isEqualTo(reply);
            // Not one ARP frame on the wire, either way: the first frame is the echo request, unicast to .101; VM2's
            // own ARP request for 10.0.0.1 was answered by host2's responder.
            assertThat(scenario.wireLines())
                    .containsExactly(
                            "192.168.1.100 > 192.168.1.101 " + t + " 0x1388: " + VM1 + " > " + VM2
                                    + " icmp echo request 10.0.0.1 > 10.0.0.2",
                            "192.168.1.101 > 192.168.1.100 " + t + " 0x1388: " + VM2 + " > " + VM1
                                    + " icmp echo reply 10.0.0.2 > 10.0.0.1");
            assertThat(scenario.deliveredLines("vm2"))
                    .containsExactly(
                            VM1 + " > " + VM2 + " icmp echo request 10.0.0.1 > 10.0.0.2",
                            VM1 + " > " + VM2 + " arp reply 10.0.0.1 is-at " + VM1);
            assertThat(scenario.lab.host("host3").underlay().received()).isZero();

            // An address no VM has is not the responder's to answer: table 21 passes it to 22, which floods it to
            // the peers that host the network (host2 alone), one copy per request VM1 makes.
            scenario.clearWire();
            PingResult nobody = scenario.ping("vm1", "10.0.0.9", 1);
            scenario.lab.scheduler().runUntilIdle();
            assertThat(nobody.failure()).as(nobody.summary()).isTrue();
            String ask = "192.168.1.100 > 192.168.1.101 " + t + " 0x1388: " + VM1
                    + " > ff:ff:ff:ff:ff:ff arp who-has 10.0.0.9 tell 10.0.0.1";
            assertThat(scenario.wireLines()).containsExactly(ask, ask, ask);
            for (JvsHost host : scenario.switching.hosts()) {
                assertThat(host.datapath().dropCounters()).as(host.name()).isEmpty();
            }
        }
    }
}
