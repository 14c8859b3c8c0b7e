package io.jvswitch.lab.jvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.agent.Layout;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.topology.NetworkType;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tutorial's learned flows have {@code hard_timeout=300}: five minutes after VM2 was last heard from, host1
 * forgets where VM2 is, and unicast to VM2 floods into every tunnel again until VM2 is heard from once more.
 *
 * <p>Open vSwitch expires a flow strictly after its timeout ({@code now > modified + hard_timeout * 1000}) and only
 * when its timer runs; the lab runs each switch's timers once a virtual second from time 0.
 */
class ExpiryScenarioTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String VM1 = "fa:16:3e:00:00:01";
    private static final String VM2 = "fa:16:3e:1f:19:55";

    /** An echo request from VM1 to VM2's MAC, as VM1 sends it while its ARP entry for VM2 is stale. */
    private static byte[] echoToVm2() {
        return new FrameBuilder()
                .ethernet(MacAddress.parse(VM1), MacAddress.parse(VM2))
                .ipv4(Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"))
                .icmpEcho(true, 0x7777, 1)
                .payload(new byte[56])
                .build();
    }

    /** When host1's learned flow was last written, in virtual milliseconds. */
    private static long learnedAtMillis(Scenario scenario) {
        Rule learned = scenario.rules("host1").stream()
                .filter(rule -> rule.table() == 20 && rule.hardTimeout() == 300)
                .findFirst()
                .orElseThrow();
        return learned.modifiedMillis() - scenario.lab.clock().start().toEpochMilli();
    }

    @ParameterizedTest
    @EnumSource(
            value = NetworkType.class,
            names = {"GRE", "VXLAN"})
    void aLearnedFlowExpiresStrictlyAfter300sAndUnicastFloodsUntilRelearned(NetworkType type) throws Exception {
        String t = type.text();
        try (Scenario scenario = Scenario.start(Scenario.tutorial(type), Layout.TUTORIAL)) {
            PingResult ping = scenario.ping("vm1", "10.0.0.2", 1);
            assertThat(ping.success()).as(ping.summary()).isTrue();
            assertThat(scenario.learned("host1")).containsExactly(TutorialScenarioTest.LEARNED_VM2);
            assertThat(learnedAtMillis(scenario))
                    .as("learned (and last refreshed, by the echo reply at 0.0004 s) at virtual millisecond 0")
                    .isZero();

            scenario.runUntil(299 * SECOND);
            assertThat(scenario.learned("host1")).as("at 299 s").containsExactly(TutorialScenarioTest.LEARNED_VM2);
            scenario.runUntil(300 * SECOND);
            assertThat(scenario.learned("host1"))
                    .as("at 300 s, exactly the timeout: still there (OVS expires strictly after)")
                    .containsExactly(TutorialScenarioTest.LEARNED_VM2);
            scenario.runUntil(301 * SECOND - 1);
            assertThat(scenario.learned("host1"))
                    .as("until the next timer tick")
                    .containsExactly(TutorialScenarioTest.LEARNED_VM2);
            scenario.runUntil(301 * SECOND);
            assertThat(scenario.learned("host1"))
                    .as("at 301 s, the first tick after the timeout")
                    .isEmpty();
            assertThat(scenario.flows("host1", 20)).containsExactly("table=20, priority=0 actions=resubmit(,21)");
            for (String host : new String[] {"host2", "host3"}) {
                assertThat(scenario.learned(host))
                        .as(host + "'s flow for VM1, learned at 0 s too")
                        .isEmpty();
            }

            // VM1 still sends to VM2's MAC: with nothing learned, host1 floods it into both tunnels. VM2 answers, but
            // first asks who 10.0.0.1 is (its own ARP entry is long gone): host1 learns VM2 from that request, so
            // VM1's ARP reply and everything after is unicast again.
            scenario.clearWire();
            scenario.clearDelivered();
            scenario.send("vm1", echoToVm2());
            scenario.lab.scheduler().runUntilIdle();
            String echo = VM1 + " > " + VM2 + " icmp echo request 10.0.0.1 > 10.0.0.2";
            assertThat(scenario.wireLines())
                    .containsExactly(
                            "192.168.1.100 > 192.168.1.101 " + t + " 0x1388: " + echo,
                            "192.168.1.100 > 192.168.1.102 " + t + " 0x1388: " + echo,
                            "192.168.1.101 > 192.168.1.100 " + t + " 0x1388: " + VM2
                                    + " > ff:ff:ff:ff:ff:ff arp who-has 10.0.0.1 tell 10.0.0.2",
                            "192.168.1.101 > 192.168.1.102 " + t + " 0x1388: " + VM2
                                    + " > ff:ff:ff:ff:ff:ff arp who-has 10.0.0.1 tell 10.0.0.2",
                            "192.168.1.100 > 192.168.1.101 " + t + " 0x1388: " + VM1 + " > " + VM2
                                    + " arp reply 10.0.0.1 is-at " + VM1,
                            "192.168.1.101 > 192.168.1.100 " + t + " 0x1388: " + VM2 + " > " + VM1
                                    + " icmp echo reply 10.0.0.2 > 10.0.0.1");
            assertThat(scenario.deliveredLines("vm2"))
                    .containsExactly(echo, VM1 + " > " + VM2 + " arp reply 10.0.0.1 is-at " + VM1);
            assertThat(scenario.learned("host1")).containsExactly(TutorialScenarioTest.LEARNED_VM2);

            scenario.clearWire();
            scenario.send("vm1", echoToVm2());
            scenario.lab.scheduler().runUntilIdle();
            assertThat(scenario.wireLines())
                    .as("relearned: one copy, to VM2's host")
                    .containsExactly(
                            "192.168.1.100 > 192.168.1.101 " + t + " 0x1388: " + echo,
                            "192.168.1.101 > 192.168.1.100 " + t + " 0x1388: " + VM2 + " > " + VM1
                                    + " icmp echo reply 10.0.0.2 > 10.0.0.1");

            // The relearned flow counts its 300 s from its own learning, at 301 s (virtual millisecond 301000).
            assertThat(learnedAtMillis(scenario)).isEqualTo(301_000);
            scenario.runUntil(601 * SECOND);
            assertThat(scenario.learned("host1")).as("at 601 s").containsExactly(TutorialScenarioTest.LEARNED_VM2);
            scenario.runUntil(602 * SECOND);
            assertThat(scenario.learned("host1")).as("at 602 s").isEmpty();
        }
    }
}
