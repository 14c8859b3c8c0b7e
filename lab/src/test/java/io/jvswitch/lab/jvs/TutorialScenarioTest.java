package io.jvswitch.lab.jvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.agent.Layout;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.guest.PingOptions;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.topology.TopologyLoader;
import io.jvswitch.lab.underlay.CapturedFrame;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.RuleFormatter;
import io.jvswitch.wire.Bytes;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tutorial on three lab hosts running jvswitch, configured by the agent from the topology alone. */
class TutorialScenarioTest {
    /** Frames host1 (192.168.1.100) puts on the underlay. */
    private static List<CapturedFrame> fromHost1(List<CapturedFrame> frames) {
        return frames.stream()
                .filter(f -> Bytes.u32(MemorySegment.ofArray(f.frame()), 26) == 0xc0a80164)
                .toList();
    }

    @Test
    void vm1PingsVm2OverGreAndTable20LearnsTheTutorialsFlow() throws Exception {
        JvsSwitching switching = new JvsSwitching(Layout.TUTORIAL);
        try (Lab lab = Lab.build(TopologyLoader.tutorial())) {
            List<CapturedFrame> wire = new ArrayList<>();
            lab.underlay().segment("underlay").tap(wire::add);
            lab.attach(switching);

            PingResult ping = lab.vm("vm1")
                    .ping("10.0.0.2", new PingOptions(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 56))
                    .await();
            assertThat(ping.success()).as(ping.summary()).isTrue();

            // The ARP request: one copy per tunnel (to .101 and .102); then the echo request, unicast.
            List<CapturedFrame> sent = fromHost1(wire);
            assertThat(sent).hasSize(3);
            assertThat(sent.subList(0, 2).stream()
                            .map(f -> Bytes.u32(MemorySegment.ofArray(f.frame()), 30))
                            .toList())
                    .containsExactlyInAnyOrder(0xc0a80165, 0xc0a80166);
            assertThat(Bytes.u32(MemorySegment.ofArray(sent.get(2).frame()), 30))
                    .isEqualTo(0xc0a80165);

            JvsHost host1 = switching.host("host1");
            List<Rule> learned = host1.datapath().bridge("br-tun").tables().rules().stream()
                    .filter(rule -> rule.table() == 20 && rule.priority() == 1)
                    .toList();
            assertThat(learned).hasSize(1);
            assertThat(host1.datapath().bridge("br-tun").port("gre-2").ofport())
                    .as("gre-2, to VM2's host, is port 3 as in the tutorial")
                    .isEqualTo(3);
            assertThat(RuleFormatter.addFlowLine(learned.getFirst()))
                    .isEqualTo("table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                            + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3");

            wire.clear();
            PingResult more = lab.vm("vm1")
                    .ping("10.0.0.2", new PingOptions(3, Duration.ofSeconds(1), Duration.ofSeconds(1), 56))
                    .await();
            assertThat(more.received()).isEqualTo(3);
            assertThat(wire)
                    .as("3 echo requests and 3 replies, nothing flooded")
                    .hasSize(6);
        }
    }
}
