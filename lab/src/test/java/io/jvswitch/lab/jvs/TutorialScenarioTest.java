package io.jvswitch.lab.jvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.agent.Layout;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.script.ScriptReport;
import io.jvswitch.lab.topology.NetworkType;
import io.jvswitch.lab.topology.TopologyLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tutorial on three lab hosts running jvswitch, configured by the agent from the topology alone, over GRE (as the
 * tutorial has it) and over VXLAN ("vxlan的br-tun流表与上面GRE类似": the same flows, VXLAN tunnels).
 */
class TutorialScenarioTest {
    static final String LEARNED_VM2 = "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,"
            + "dl_dst=fa:16:3e:1f:19:55 actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3";

    /** host1's {@code dump-flows br-tun} at 4 s: the tutorial's flows with the scenario's counters. */
    private static List<String> host1Dump(NetworkType type) {
        int fromTunnel = type == NetworkType.GRE ? 2 : 3;
        String d = " cookie=0x0, duration=4.000s, table=";
        String unused = "n_packets=0, n_bytes=0, idle_age=4, ";
        String five = "n_packets=5, n_bytes=434, idle_age=2, ";
        List<String> tunToVlan = List.of(
                d + fromTunnel + ", " + five + "priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
                d + fromTunnel + ", " + unused + "priority=0 actions=drop");
        List<String> dump = new ArrayList<>(List.of(
                d + "0, " + five + "priority=1,in_port=1 actions=resubmit(,1)",
                d + "0, " + unused + "priority=1,in_port=2 actions=resubmit(," + fromTunnel + ")",
                d + "0, " + five + "priority=1,in_port=3 actions=resubmit(," + fromTunnel + ")",
                d + "0, " + unused + "priority=0 actions=drop",
                d + "1, n_packets=4, n_bytes=392, idle_age=2, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00"
                        + " actions=resubmit(,20)",
                d + "1, n_packets=1, n_bytes=42, idle_age=4, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00"
                        + " actions=resubmit(,21)"));
        if (type == NetworkType.GRE) {
            dump.addAll(tunToVlan);
            dump.add(d + "3, " + unused + "priority=0 actions=drop");
        } else {
            dump.add(d + "2, " + unused + "priority=0 actions=drop");
            dump.addAll(tunToVlan);
        }
        dump.addAll(List.of(
                d + "10, " + five + "priority=1 actions=learn(table=20,hard_timeout=300,priority=1,"
                        + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
                        + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1",
                d + "20, n_packets=4, n_bytes=392, hard_timeout=300, idle_age=2, hard_age=2, priority=1,"
                        + "vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 actions=load:0->NXM_OF_VLAN_TCI[],"
                        + "load:0x1388->NXM_NX_TUN_ID[],output:3",
                d + "20, " + unused + "priority=0 actions=resubmit(,21)",
                d + "21, n_packets=1, n_bytes=42, idle_age=4, priority=1,dl_vlan=1"
                        + " actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                d + "21, " + unused + "priority=0 actions=drop"));
        return dump;
    }

    @ParameterizedTest
    @EnumSource(
            value = NetworkType.class,
            names = {"GRE", "VXLAN"})
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
            String out = "192.168.1.100 > 192.168.1.101 " + t + " 0x1388: fa:16:3e:00:00:01 > fa:16:3e:1f:19:55"
                    + " icmp echo request 10.0.0.1 > 10.0.0.2";
            String back = "192.168.1.101 > 192.168.1.100 " + t + " 0x1388: fa:16:3e:1f:19:55 > fa:16:3e:00:00:01"
                    + " icmp echo reply 10.0.0.2 > 10.0.0.1";
            assertThat(scenario.wireLines())
                    .as("3 echo requests and 3 replies, each into the one tunnel of the pair; nothing flooded")
                    .containsExactly(out, back, out, back, out, back);

            // dump-flows as the tutorial prints it, once the timers (each virtual second) have credited every flow
            // with what went through it: 1 ARP request (42 bytes) and 4 echo requests (98) from patch-int, 1 ARP
            // reply and 4 echo replies from gre-2/vxlan-2 (port 3); the learned flow took the 4 echo requests.
            scenario.runUntil(4_000_000_000L);
            assertThat(scenario.dumpFlows("host1")).containsExactlyElementsOf(host1Dump(type));
            assertThat(scenario.learned("host1")).containsExactly(LEARNED_VM2);
            for (JvsHost host : scenario.switching.hosts()) {
                assertThat(host.datapath().dropCounters()).as(host.name()).isEmpty();
            }
        }
    }

    /**
     * The script tutorial.yaml carries, played on jvswitch: under the tutorial's layout the first ping waits for an
     * ARP round trip (0.4 ms) and, 300 s later, so does the next; under Neutron's the ARP responder answers on the
     * host, so every round trip is the echo's alone (0.2 ms).
     */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void theBundledScriptPasses(Layout layout) throws Exception {
        String arp = layout == Layout.TUTORIAL ? "0.267" : "0.200";
        String first = layout == Layout.TUTORIAL ? "0.400" : "0.200";
        String after = layout == Layout.TUTORIAL ? "302.000600" : "302.000400";
        String last = layout == Layout.TUTORIAL ? "304.000600" : "304.000400";
        try (Lab lab = Lab.build(TopologyLoader.tutorial())) {
            lab.attach(new JvsSwitching(layout));
            ScriptReport report = lab.runScript();
            assertThat(report.lines())
                    .containsExactly(
                            "[   2.000200] ok   ping vm1 -> 10.0.0.2: 3 packets transmitted, 3 received, 0% packet loss,"
                                    + " rtt min/avg/max = 0.200/" + arp + "/" + first + " ms",
                            "[   2.000200] ok   vm1 neighbor 10.0.0.2: fa:16:3e:1f:19:55",
                            "[ 302.000200] ok   advance 300s",
                            "[ 302.000200] ok   vm1 neighbor 10.0.0.2: none",
                            "[ " + after + "] ok   ping vm1 -> 10.0.0.2: 1 packets transmitted, 1 received,"
                                    + " 0% packet loss, rtt min/avg/max = " + first + "/" + first + "/" + first + " ms",
                            "[ " + last + "] ok   ping vm1 -> 10.0.0.3: 1 packets transmitted, 0 received,"
                                    + " 100% packet loss");
            assertThat(report.passed()).isTrue();
        }
    }
}
