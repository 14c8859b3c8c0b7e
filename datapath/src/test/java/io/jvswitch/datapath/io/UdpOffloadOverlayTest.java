package io.jvswitch.datapath.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.netio.NetNamespace;
import io.jvswitch.netio.TestNamespace;
import io.jvswitch.netio.UdpSocket;
import io.jvswitch.tunnel.TunnelType;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * UDP GSO and GRO on the real switch's path: TCP between two VMs over VXLAN (and GRE-in-UDP) between two jvswitches,
 * SHA-256 checked, with the offloads' counters showing they carried it; and when a flow's source port cannot be bound,
 * the raw path carries the same transfer, nothing lost.
 */
@Tag("privileged")
class UdpOffloadOverlayTest {
    private static final int HV1 = 0xc6120001;

    private TwoHypervisors hosts;

    @BeforeEach
    void setUp() throws Exception {
        TestNamespace.assumePrivileged();
        hosts = TwoHypervisors.create();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (hosts != null) {
            hosts.close();
        }
    }

    private static SocketUnderlay.OffloadCounters counters(EpollForwarder forwarder) throws Exception {
        return forwarder.submit(() -> forwarder.underlay().offloadCounters()).get(5, TimeUnit.SECONDS);
    }

    private static Map<String, Long> drops(EpollForwarder forwarder) throws Exception {
        return forwarder.submit(() -> forwarder.datapath().dropCounters()).get(5, TimeUnit.SECONDS);
    }

    private void transfer(int megabytesThere, int megabytesBack) throws Exception {
        TcpTransfer there = TcpTransfer.send(hosts.vm1.name, hosts.vm2.name, "10.0.0.2", 5001, megabytesThere);
        assertThat(there.bytes()).isEqualTo((long) megabytesThere << 20);
        assertThat(there.receivedSha256()).isEqualTo(there.sentSha256());
        TcpTransfer back = TcpTransfer.send(hosts.vm2.name, hosts.vm1.name, "10.0.0.1", 5002, megabytesBack);
        assertThat(back.bytes()).isEqualTo((long) megabytesBack << 20);
        assertThat(back.receivedSha256()).isEqualTo(back.sentSha256());
    }

    @Test
    void aLargeTcpTransferOverVxlanGoesAsGsoMessagesAndArrivesAsCoalescedDatagrams() throws Exception {
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.VXLAN, Map.of("remote_ip", "198.18.0.2", "key", "5000"));
        EpollForwarder hv2 = hosts.jvswitch(2, TunnelType.VXLAN, Map.of("remote_ip", "198.18.0.1", "key", "5000"));
        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");

        transfer(100, 16);

        SocketUnderlay.OffloadCounters sent = counters(hv1);
        SocketUnderlay.OffloadCounters received = counters(hv2);
        System.out.println("hv1 " + sent + "\nhv2 " + received);
        assertThat(sent.gsoSends()).as("GSO messages hv1 sent").isPositive();
        assertThat(sent.gsoSegments())
                .as("datagrams they carried: 100 MiB in 1400-byte frames, most of them by GSO")
                .isGreaterThan(2 * sent.gsoSends())
                .isGreaterThan(50_000);
        assertThat(sent.gsoFallbacks()).isZero();
        assertThat(sent.gsoSockets()).isPositive();
        assertThat(received.groMessages()).as("coalesced messages hv2 received").isPositive();
        assertThat(received.groSegments()).isGreaterThan(2 * received.groMessages());
        assertThat(hv1.underlay().sendFailures()).isZero();
        for (EpollForwarder forwarder : new EpollForwarder[] {hv1, hv2}) {
            assertThat(drops(forwarder))
                    .doesNotContainKeys("frame_truncated", "bad_coalesced_datagrams", "underlay_send_failed");
        }
    }

    @Test
    void greInUdpUsesTheOffloadsToo() throws Exception {
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.GRE_UDP, Map.of("remote_ip", "198.18.0.2", "key", "7"));
        EpollForwarder hv2 = hosts.jvswitch(2, TunnelType.GRE_UDP, Map.of("remote_ip", "198.18.0.1", "key", "7"));
        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");

        transfer(16, 4);

        assertThat(counters(hv1).gsoSends()).isPositive();
        assertThat(counters(hv2).groMessages()).isPositive();
        assertThat(counters(hv2).gsoSends()).as("the way back").isPositive();
        assertThat(counters(hv1).groMessages()).isPositive();
    }

    @Test
    void aSourcePortThatCannotBeBoundLeavesByTheRawPathAndNothingIsLost() throws Exception {
        // Every flow hv1 sends gets source port 50000, which another socket of hv1 holds already.
        try (UdpSocket squatter = NetNamespace.call(hosts.hv1.name, () -> UdpSocket.openSegmentSender(HV1, 50000))) {
            EpollForwarder hv1 = hosts.jvswitch(
                    1,
                    TunnelType.VXLAN,
                    Map.of("remote_ip", "198.18.0.2", "key", "5000", "src_port_range", "50000-50000"));
            hosts.jvswitch(2, TunnelType.VXLAN, Map.of("remote_ip", "198.18.0.1", "key", "5000"));
            assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");

            transfer(16, 1);

            SocketUnderlay.OffloadCounters sent = counters(hv1);
            System.out.println("hv1 with its source port taken: " + sent);
            assertThat(sent.gsoSends()).isZero();
            assertThat(sent.gsoBindFailures()).isPositive();
            assertThat(sent.gsoFallbacks()).as("runs the raw path carried").isPositive();
            assertThat(hv1.underlay().sendFailures()).isZero();
            assertThat(squatter.localPort()).isEqualTo(50000);
        }
    }

    @Test
    void withTheOffloadsOffEveryDatagramGoesAlone() throws Exception {
        hosts.withoutUdpOffloads();
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.VXLAN, Map.of("remote_ip", "198.18.0.2", "key", "5000"));
        EpollForwarder hv2 = hosts.jvswitch(2, TunnelType.VXLAN, Map.of("remote_ip", "198.18.0.1", "key", "5000"));
        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");

        transfer(16, 1);

        assertThat(counters(hv1)).isEqualTo(new SocketUnderlay.OffloadCounters(0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(counters(hv2)).isEqualTo(new SocketUnderlay.OffloadCounters(0, 0, 0, 0, 0, 0, 0, 0));
    }
}
