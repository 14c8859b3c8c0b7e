package io.jvswitch.lab.jvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.agent.Layout;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.topology.NetworkType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tutorial on three lab hosts running jvswitch, configured by the agent from the topology alone, over GRE (as the
 * tutorial has it) and over VXLAN ("vxlan的br-tun流表与上面GRE类似": the same flows, VXLAN tunnels).
 */
class TutorialScenarioTest {
    static final String LEARNED_VM2 = "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,"
            + "dl_dst=fa:16:3e:1f:19:55 actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3";

    @ParameterizedTest
    @EnumSource(NetworkType.class)
    void vm1PingsVm2AndTable20LearnsTheTutorialsFlow(NetworkType type) throws Exception {
        String t = type.text();
        try (Scenario scenario = Scenario.start(Scenario.tutorial(type), Layout.TUTORIAL)) {
            assertThat(scenario.ofport("host1", t + "-2"))
                    .as(t + "-2, to VM2's host .101, is port 3 as in the tutorial")
                    .isEqualTo(3);
            assertThat(scenario.ofport("host1", t + "-1")).as(t + "-1, to .102").isEqualTo(2);

            PingResult ping = scenario.ping("vm1", "10.0.0.2", 1);
            assertThat(ping.success()).as(ping.summary()).isTrue();

            // The ARP request: exactly one copy into each tunnel (output:3 to .101, then output:2 to .102, as table
            // 21's flood flow lists them); the reply comes back unicast (host2 learned VM1 from the request); the
            // echo request goes to .101 alone (host1 learned VM2 from the reply).
            assertThat(scenario.wireLines())
                    .containsExactly(
                            "192.168.1.100 > 192.168.1.101 " + t + " 0x1388: fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff"
                                    + " arp who-has 10.0.0.2 tell 10.0.0.1",
                            "192.168.1.100 > 192.168.1.102 " + t + " 0x1388: fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff"
                                    + " arp who-has 10.0.0.2 tell 10.0.0.1",
                            "192.168.1.101 > 192.168.1.100 " + t + " 0x1388: fa:16:3e:1f:19:55 > fa:16:3e:00:00:01"
                                    + " arp reply 10.0.0.2 is-at fa:16:3e:1f:19:55",
                            "192.168.1.100 > 192.168.1.101 " + t + " 0x1388: fa:16:3e:00:00:01 > fa:16:3e:1f:19:55"
                                    + " icmp echo request 10.0.0.1 > 10.0.0.2",
                            "192.168.1.101 > 192.168.1.100 " + t + " 0x1388: fa:16:3e:1f:19:55 > fa:16:3e:00:00:01"
                                    + " icmp echo reply 10.0.0.2 > 10.0.0.1");

            assertThat(scenario.learned("host1")).containsExactly(LEARNED_VM2);
            assertThat(scenario.learned("host2"))
                    .containsExactly("table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,"
                            + "dl_dst=fa:16:3e:00:00:01 actions=load:0->NXM_OF_VLAN_TCI[],"
                            + "load:0x1388->NXM_NX_TUN_ID[],output:" + scenario.ofport("host2", t + "-1"));
            assertThat(scenario.learned("host3"))
                    .as("host3 saw VM1's request only: it learned VM1 and nothing else")
                    .containsExactly("table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,"
                            + "dl_dst=fa:16:3e:00:00:01 actions=load:0->NXM_OF_VLAN_TCI[],"
                            + "load:0x1388->NXM_NX_TUN_ID[],output:" + scenario.ofport("host3", t + "-1"));

            scenario.clearWire();
            PingResult more = scenario.ping("vm1", "10.0.0.2", 3);
            assertThat(more.success()).as(more.summary()).isTrue();
            assertThat(more.received()).isEqualTo(3);
            assertThat(scenario.wire())
                    .as("3 echo requests and 3 replies, each into the one tunnel of the pair; nothing flooded")
                    .hasSize(6)
                    .allMatch(frame -> frame.destination().equals("192.168.1.101")
                                    && frame.inner().contains("echo request")
                            || frame.destination().equals("192.168.1.100")
                                    && frame.inner().contains("echo reply"));
            assertThat(scenario.learned("host1")).containsExactly(LEARNED_VM2);
            for (JvsHost host : scenario.switching.hosts()) {
                assertThat(host.datapath().dropCounters()).as(host.name()).isEmpty();
            }
        }
    }
}
