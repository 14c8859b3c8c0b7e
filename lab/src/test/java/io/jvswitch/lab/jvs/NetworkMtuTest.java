package io.jvswitch.lab.jvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.agent.Layout;
import io.jvswitch.datapath.DatapathDrop;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.guest.Guest;
import io.jvswitch.lab.guest.PingOptions;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.topology.NetworkType;
import io.jvswitch.lab.topology.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tenant network's MTU is the underlay's less the tunnel's headers; the VMs are told it, and a frame that would not
 * fit the tunnel anyway is dropped and counted, never fragmented.
 */
class NetworkMtuTest {
    private static Topology tutorialOver(NetworkType type) {
        return Scenario.tutorial(type);
    }

    private static PingResult ping(Lab lab, int payload) {
        return lab.vm("vm1")
                .ping("10.0.0.2", PingOptions.DEFAULT.withSize(payload))
                .await();
    }

    @Test
    void vmsLearnTheirNetworksMtuGre42AndVxlan50BytesUnderTheUnderlays() throws Exception {
        for (var expected : List.of(new Object[] {NetworkType.GRE, 1458}, new Object[] {NetworkType.VXLAN, 1450})) {
            try (Lab lab = Lab.build(tutorialOver((NetworkType) expected[0]))) {
                lab.attach(new JvsSwitching(Layout.TUTORIAL));
                assertThat(lab.vm("vm1").config().mtu()).as("%s", expected[0]).isEqualTo(expected[1]);
                assertThat(lab.vm("vm2").config().mtu()).as("%s", expected[0]).isEqualTo(expected[1]);
            }
        }
    }

    @Test
    void aFullSizedPacketCrossesAGreTunnelAndOneByteMoreIsRefusedByTheGuest() throws Exception {
        try (Lab lab = Lab.build(tutorialOver(NetworkType.GRE))) {
            lab.attach(new JvsSwitching(Layout.TUTORIAL));

            // 1430 bytes of ICMP payload + 8 of ICMP + 20 of IPv4 = 1458, the network's MTU.
            assertThat(ping(lab, 1430).received()).isEqualTo(1);
            PingResult tooBig = ping(lab, 1431);
            assertThat(tooBig.received()).isZero();
            assertThat(lab.vm("vm1").log()).anyMatch(line -> line.contains("message too long: 1459-byte packet"));
        }
    }

    @Test
    void aGuestThatIgnoresTheMtuHasItsFrameDroppedAndCountedAtTheTunnel() throws Exception {
        JvsSwitching switching = new JvsSwitching(Layout.TUTORIAL);
        try (Lab lab = Lab.build(tutorialOver(NetworkType.GRE))) {
            lab.attach(switching);
            assertThat(ping(lab, 8).received())
                    .as("ARP resolved, flows learned")
                    .isEqualTo(1);
            Guest vm1 = lab.vm("vm1");
            vm1.mtu(1500);

            assertThat(ping(lab, 1472).received()).isZero();

            assertThat(switching.host("host1").datapath().dropCounters())
                    .containsEntry(DatapathDrop.TUNNEL_MTU_EXCEEDED.counterName(), 1L);
            assertThat(switching.host("host2").datapath().dropCounters())
                    .doesNotContainKey(DatapathDrop.TUNNEL_MTU_EXCEEDED.counterName());
        }
    }
}
