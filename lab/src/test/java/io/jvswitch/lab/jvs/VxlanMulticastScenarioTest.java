package io.jvswitch.lab.jvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.agent.Changes;
import io.jvswitch.agent.Layout;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.lab.underlay.UnderlayDrop;
import io.jvswitch.lab.underlay.UnderlayHost;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's VXLAN section (vxlan-multicast.yaml): each VNI has a multicast group; a VTEP floods VM1's ARP
 * request once, to the group; every VTEP of the group learns VM1's MAC behind VM1's VTEP; VM2's VTEP, having learned,
 * answers unicast, "不需要再走一边组播过程".
 */
class VxlanMulticastScenarioTest {
    private static final String REQUEST = "fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff arp who-has 10.0.0.2 tell 10.0.0.1";
    private static final String REPLY =
            "fa:16:3e:1f:19:55 > fa:16:3e:00:00:01 arp reply 10.0.0.2 is-at fa:16:3e:1f:19:55";
    private static final String ECHO = "fa:16:3e:00:00:01 > fa:16:3e:1f:19:55 icmp echo request 10.0.0.1 > 10.0.0.2";
    private static final String ECHO_REPLY =
            "fa:16:3e:1f:19:55 > fa:16:3e:00:00:01 icmp echo reply 10.0.0.2 > 10.0.0.1";

    /** The flow a VTEP learns for {@code mac}: back to the group port, addressed to the VTEP it came from. */
    private static String learnedToward(String mac, String vtepHex) {
        return "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=" + mac
                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],load:" + vtepHex
                + "->NXM_NX_TUN_IPV4_DST[],output:2";
    }

    @Test
    void theFirstBroadcastGoesOnceToTheGroupAndEverythingAfterIsUnicast() throws Exception {
        try (Scenario scenario = Scenario.start(Scenario.topology("vxlan-multicast.yaml"), Layout.TUTORIAL)) {
            for (String host : new String[] {"host1", "host2", "host3"}) {
                assertThat(scenario.host(host).agent().tunnelPorts().keySet())
                        .as(host + ": one tunnel, to the group, and none to each peer")
                        .containsExactly("vxlan-1");
                assertThat(scenario.host(host)
                                .agent()
                                .tunnelPorts()
                                .get("vxlan-1")
                                .options())
                        .containsEntry("remote_ip", "239.1.1.1");
                assertThat(scenario.ofport(host, "vxlan-1")).isEqualTo(2);
            }
            assertThat(scenario.lab.underlay().members("239.1.1.1"))
                    .as("every VTEP joined its VNI's group, host3 (no VM) too")
                    .extracting(UnderlayHost::name)
                    .containsExactly("host1", "host2", "host3");

            PingResult ping = scenario.ping("vm1", "10.0.0.2", 1);
            assertThat(ping.success()).as(ping.summary()).isTrue();
            assertThat(scenario.wireLines())
                    .containsExactly(
                            "192.168.1.100 > 239.1.1.1 vxlan 0x1388: " + REQUEST,
                            "192.168.1.101 > 192.168.1.100 vxlan 0x1388: " + REPLY,
                            "192.168.1.100 > 192.168.1.101 vxlan 0x1388: " + ECHO,
                            "192.168.1.101 > 192.168.1.100 vxlan 0x1388: " + ECHO_REPLY);

            // Both peers learned VM1 behind 192.168.1.100 (0xc0a80164) from the one multicast copy; host1 learned VM2
            // behind .101 from the unicast reply.
            assertThat(scenario.learned("host2")).containsExactly(learnedToward("fa:16:3e:00:00:01", "0xc0a80164"));
            assertThat(scenario.learned("host3")).containsExactly(learnedToward("fa:16:3e:00:00:01", "0xc0a80164"));
            assertThat(scenario.learned("host1")).containsExactly(learnedToward("fa:16:3e:1f:19:55", "0xc0a80165"));
            assertThat(scenario.deliveredLines("vm2")).containsExactly(REQUEST, ECHO);

            scenario.clearWire();
            PingResult more = scenario.ping("vm1", "10.0.0.2", 3);
            assertThat(more.success()).as(more.summary()).isTrue();
            String out = "192.168.1.100 > 192.168.1.101 vxlan 0x1388: " + ECHO;
            String back = "192.168.1.101 > 192.168.1.100 vxlan 0x1388: " + ECHO_REPLY;
            assertThat(scenario.wireLines()).containsExactly(out, back, out, back, out, back);
            assertThat(scenario.lab.host("host3").underlay().received())
                    .as("host3 got the one multicast copy and nothing after it")
                    .isEqualTo(1);
            for (JvsHost host : scenario.switching.hosts()) {
                assertThat(host.datapath().dropCounters()).as(host.name()).isEmpty();
            }
        }
    }

    /**
     * A VTEP that leaves leaves its group: the next flood (an ARP request for an address nobody has) still goes out
     * once, to the group, and only host2 takes it.
     */
    @Test
    void aVtepThatLeavesNoLongerHearsTheGroup() throws Exception {
        Topology topology = Scenario.topology("vxlan-multicast.yaml");
        try (Scenario scenario = Scenario.start(topology, Layout.TUTORIAL)) {
            Map<String, Changes> changes = scenario.switching.reconfigure(Scenario.without(topology, "host3"));
            assertThat(changes.values())
                    .as("host1 and host2 flood to the group, not to host3: nothing of theirs changes")
                    .allMatch(Changes::isEmpty);
            assertThat(scenario.lab.underlay().members("239.1.1.1"))
                    .extracting(UnderlayHost::name)
                    .containsExactly("host1", "host2");

            PingResult nobody = scenario.ping("vm1", "10.0.0.9", 1);
            scenario.lab.scheduler().runUntilIdle();
            assertThat(nobody.failure()).as(nobody.summary()).isTrue();
            String ask = "192.168.1.100 > 239.1.1.1 vxlan 0x1388: fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff"
                    + " arp who-has 10.0.0.9 tell 10.0.0.1";
            assertThat(scenario.wireLines()).containsExactly(ask, ask, ask);
            // The segment has no IGMP snooping: every copy reaches host3's card, which no longer takes it.
            assertThat(scenario.lab.host("host3").underlay().counters().drops())
                    .containsExactly(Map.entry(UnderlayDrop.NOT_FOR_HOST, 3L));
            assertThat(scenario.lab.host("host2").underlay().counters().drops()).isEmpty();
        }
    }
}
