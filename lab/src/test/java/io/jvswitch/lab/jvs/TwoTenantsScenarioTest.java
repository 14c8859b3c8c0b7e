package io.jvswitch.lab.jvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.agent.Layout;
import io.jvswitch.lab.guest.Ping;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.topology.NetworkType;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.wire.MacAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two tenant networks on the same hosts with the same addresses (two-tenants.yaml): a1 and b1 are both 10.0.0.1 on
 * host1, a2 and b2 both 10.0.0.2 on host2. Both pairs ping at the same moment; nothing of one network reaches the
 * other's guests, and on the wire each network's frames carry its own tunnel id.
 */
class TwoTenantsScenarioTest {
    private static final String A1 = "fa:16:3e:00:00:01";
    private static final String A2 = "fa:16:3e:1f:19:55";
    private static final String B1 = "fa:16:3e:00:00:b1";
    private static final String B2 = "fa:16:3e:00:00:b2";

    /**
     * What one pair's two pings put on the wire: the tutorial's five frames and one more echo request and reply, with
     * this network's tunnel ({@code gre 0x1388}) and MACs.
     */
    private static List<String> twoPings(String tunnel, String one, String two) {
        String out = "192.168.1.100 > 192.168.1.101 " + tunnel + ": ";
        String back = "192.168.1.101 > 192.168.1.100 " + tunnel + ": ";
        return List.of(
                out + one + " > ff:ff:ff:ff:ff:ff arp who-has 10.0.0.2 tell 10.0.0.1",
                "192.168.1.100 > 192.168.1.102 " + tunnel + ": " + one
                        + " > ff:ff:ff:ff:ff:ff arp who-has 10.0.0.2 tell 10.0.0.1",
                back + two + " > " + one + " arp reply 10.0.0.2 is-at " + two,
                out + one + " > " + two + " icmp echo request 10.0.0.1 > 10.0.0.2",
                back + two + " > " + one + " icmp echo reply 10.0.0.2 > 10.0.0.1",
                out + one + " > " + two + " icmp echo request 10.0.0.1 > 10.0.0.2",
                back + two + " > " + one + " icmp echo reply 10.0.0.2 > 10.0.0.1");
    }

    /**
     * tenant-b as the file has it (GRE, key 0x1389), and as VXLAN with VNI 0x1388, the very number tenant-a's GRE key
     * has: then only the tunnel type tells the two apart.
     */
    @ParameterizedTest(name = "tenant-b over {0} {1}")
    @CsvSource({"gre, 0x1389", "vxlan, 0x1388"})
    void sameAddressesOnTwoNetworksNeverMeet(String bType, String bId) throws Exception {
        NetworkType type = NetworkType.valueOf(bType.toUpperCase(Locale.ROOT));
        long id = Long.decode(bId);
        String bTunnel = bType + " " + bId;
        Topology topology = Scenario.withNetwork(Scenario.topology("two-tenants.yaml"), "tenant-b", type, id);
        try (Scenario scenario = Scenario.start(topology, Layout.TUTORIAL)) {
            assertThat(scenario.host("host1").agent().localVlan("tenant-a")).isEqualTo(1);
            assertThat(scenario.host("host1").agent().localVlan("tenant-b")).isEqualTo(2);

            // Both ARP for 10.0.0.2 at the same virtual instant.
            Ping a = scenario.lab.vm("a1").ping("10.0.0.2", Scenario.ONCE.withCount(2));
            Ping b = scenario.lab.vm("b1").ping("10.0.0.2", Scenario.ONCE.withCount(2));
            PingResult aResult = a.await();
            PingResult bResult = b.await();
            assertThat(aResult.success()).as("a1 -> a2: " + aResult.summary()).isTrue();
            assertThat(bResult.success()).as("b1 -> b2: " + bResult.summary()).isTrue();
            assertThat(scenario.lab.vm("a1").neighbors()).containsExactly(entry("10.0.0.2", A2));
            assertThat(scenario.lab.vm("b1").neighbors()).containsExactly(entry("10.0.0.2", B2));
            assertThat(scenario.lab.vm("a2").neighbors()).containsExactly(entry("10.0.0.1", A1));
            assertThat(scenario.lab.vm("b2").neighbors()).containsExactly(entry("10.0.0.1", B1));

            // Each guest was handed its own network's frames and no other: the request flooded on one network never
            // reached the guest with the same address on the other.
            assertThat(scenario.deliveredLines("a2"))
                    .containsExactly(
                            A1 + " > ff:ff:ff:ff:ff:ff arp who-has 10.0.0.2 tell 10.0.0.1",
                            A1 + " > " + A2 + " icmp echo request 10.0.0.1 > 10.0.0.2",
                            A1 + " > " + A2 + " icmp echo request 10.0.0.1 > 10.0.0.2");
            assertThat(scenario.deliveredLines("b2"))
                    .containsExactly(
                            B1 + " > ff:ff:ff:ff:ff:ff arp who-has 10.0.0.2 tell 10.0.0.1",
                            B1 + " > " + B2 + " icmp echo request 10.0.0.1 > 10.0.0.2",
                            B1 + " > " + B2 + " icmp echo request 10.0.0.1 > 10.0.0.2");
            assertThat(scenario.deliveredLines("a1"))
                    .containsExactly(
                            A2 + " > " + A1 + " arp reply 10.0.0.2 is-at " + A2,
                            A2 + " > " + A1 + " icmp echo reply 10.0.0.2 > 10.0.0.1",
                            A2 + " > " + A1 + " icmp echo reply 10.0.0.2 > 10.0.0.1");
            assertThat(scenario.deliveredLines("b1"))
                    .containsExactly(
                            B2 + " > " + B1 + " arp reply 10.0.0.2 is-at " + B2,
                            B2 + " > " + B1 + " icmp echo reply 10.0.0.2 > 10.0.0.1",
                            B2 + " > " + B1 + " icmp echo reply 10.0.0.2 > 10.0.0.1");

            // On the wire, every frame of tenant-a is GRE with key 0x1388, and every frame of tenant-b carries its
            // own tunnel and id.
            List<OnWire> wire = scenario.wire();
            assertThat(wire).hasSize(14);
            assertThat(lines(wire, "gre", 0x1388)).containsExactlyElementsOf(twoPings("gre 0x1388", A1, A2));
            assertThat(lines(wire, bType, id)).containsExactlyElementsOf(twoPings(bTunnel, B1, B2));

            // host1 learned each a2 and b2 on its own VLAN, sending each with its own network's key.
            assertThat(scenario.learned("host1"))
                    .containsExactly(
                            "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=" + A2
                                    + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3",
                            "table=20, hard_timeout=300, priority=1,vlan_tci=0x0002/0x0fff,dl_dst=" + B2
                                    + " actions=load:0->NXM_OF_VLAN_TCI[],load:" + bId + "->NXM_NX_TUN_ID[],output:"
                                    + scenario.ofport("host1", bType + "-2"));
            for (JvsHost host : scenario.switching.hosts()) {
                assertThat(host.datapath().dropCounters()).as(host.name()).isEmpty();
            }
        }
    }

    /**
     * Under Neutron's layout each host's ARP responder holds 10.0.0.2 twice, once per local VLAN: a1 must hear a2's
     * MAC and b1 b2's, and no ARP frame of either goes on the wire.
     */
    @Test
    void theArpResponderAnswersEachTenantWithItsOwnVm() throws Exception {
        try (Scenario scenario = Scenario.start(Scenario.topology("two-tenants.yaml"), Layout.NEUTRON)) {
            Ping a = scenario.lab.vm("a1").ping("10.0.0.2", Scenario.ONCE.withCount(2));
            Ping b = scenario.lab.vm("b1").ping("10.0.0.2", Scenario.ONCE.withCount(2));
            PingResult aResult = a.await();
            PingResult bResult = b.await();
            assertThat(aResult.success()).as("a1 -> a2: " + aResult.summary()).isTrue();
            assertThat(bResult.success()).as("b1 -> b2: " + bResult.summary()).isTrue();

            assertThat(scenario.deliveredLines("a1"))
                    .containsExactly(
                            A2 + " > " + A1 + " arp reply 10.0.0.2 is-at " + A2,
                            A2 + " > " + A1 + " icmp echo reply 10.0.0.2 > 10.0.0.1",
                            A2 + " > " + A1 + " icmp echo reply 10.0.0.2 > 10.0.0.1");
            assertThat(scenario.deliveredLines("b1"))
                    .containsExactly(
                            B2 + " > " + B1 + " arp reply 10.0.0.2 is-at " + B2,
                            B2 + " > " + B1 + " icmp echo reply 10.0.0.2 > 10.0.0.1",
                            B2 + " > " + B1 + " icmp echo reply 10.0.0.2 > 10.0.0.1");
            // a2 and b2 ask for 10.0.0.1 when the first request comes; host2's responder answers each its own.
            assertThat(scenario.deliveredLines("a2"))
                    .containsExactly(
                            A1 + " > " + A2 + " icmp echo request 10.0.0.1 > 10.0.0.2",
                            A1 + " > " + A2 + " arp reply 10.0.0.1 is-at " + A1,
                            A1 + " > " + A2 + " icmp echo request 10.0.0.1 > 10.0.0.2");
            assertThat(scenario.deliveredLines("b2"))
                    .containsExactly(
                            B1 + " > " + B2 + " icmp echo request 10.0.0.1 > 10.0.0.2",
                            B1 + " > " + B2 + " arp reply 10.0.0.1 is-at " + B1,
                            B1 + " > " + B2 + " icmp echo request 10.0.0.1 > 10.0.0.2");

            List<OnWire> wire = scenario.wire();
            assertThat(wire).hasSize(8);
            assertThat(lines(wire, "gre", 0x1388))
                    .containsExactlyElementsOf(twoPings("gre 0x1388", A1, A2).subList(3, 7));
            assertThat(lines(wire, "gre", 0x1389))
                    .containsExactlyElementsOf(twoPings("gre 0x1389", B1, B2).subList(3, 7));
            for (JvsHost host : scenario.switching.hosts()) {
                assertThat(host.datapath().dropCounters()).as(host.name()).isEmpty();
            }
        }
    }

    private static List<String> lines(List<OnWire> wire, String tunnel, long id) {
        return wire.stream()
                .filter(frame -> frame.tunnel().equals(tunnel) && frame.tunnelId() == id)
                .map(OnWire::toString)
                .toList();
    }

    private static Map.Entry<String, Long> entry(String address, String mac) {
        return Map.entry(address, MacAddress.parse(mac));
    }
}
