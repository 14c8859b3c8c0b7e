package io.jvswitch.datapath.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.netio.IpFamily;
import io.jvswitch.netio.MessageBatch;
import io.jvswitch.netio.NetNamespace;
import io.jvswitch.netio.RawIpSocket;
import io.jvswitch.netio.TestNamespace;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.wire.Checksum;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real kernels, real packets: VMs in network namespaces ping each other through jvswitch's TAP ports, epoll thread and
 * socket underlay, over GRE and VXLAN between two jvswitches, and over VXLAN against the Linux kernel's own VXLAN
 * device (unicast and multicast). Malformed tunnel packets injected on the underlay are dropped and counted by reason,
 * and forwarding off (flow-restore-wait) holds traffic. Needs root; skipped with a message otherwise.
 */
@Tag("privileged")
class RealOverlayTest {
    private static final int HV1 = 0xc6120001;
    private static final int HV2 = 0xc6120002;

    private TwoHypervisors hosts;
    private long startNanos;

    @BeforeEach
    void setUp() throws Exception {
        TestNamespace.assumePrivileged();
        TestNamespace.assumeOnPath("ping");
        startNanos = System.nanoTime();
        hosts = TwoHypervisors.create();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (hosts != null) {
            hosts.close();
        }
    }

    private void took(String what) {
        System.out.printf("%s: %d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
    }

    @Test
    void vmsPingOverGreWithAKey() throws Exception {
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.GRE, Map.of("remote_ip", "198.18.0.2", "key", "77"));
        hosts.jvswitch(2, TunnelType.GRE, Map.of("remote_ip", "198.18.0.1", "key", "77"));

        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");
        assertThat(TwoHypervisors.ping(hosts.vm2, "10.0.0.1")).contains("3 received");
        long tunnelled = hv1.submit(
                        () -> hv1.datapath().findPort("tun").counters().rxPackets())
                .get(5, TimeUnit.SECONDS);
        assertThat(tunnelled).as("packets hv1 took from the GRE tunnel").isGreaterThanOrEqualTo(6);
        took("GRE ping both ways");
    }

    @Test
    void aVmBehindASystemPortPingsOverGre() throws Exception {
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.GRE, Map.of("remote_ip", "198.18.0.2", "key", "77"), true);
        hosts.jvswitch(2, TunnelType.GRE, Map.of("remote_ip", "198.18.0.1", "key", "77"));

        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");
        assertThat(TwoHypervisors.ping(hosts.vm2, "10.0.0.1")).contains("3 received");
        assertThat(hosts.hv1.ip("-d", "link", "show", "vmport1"))
                .as("a system port's interface is promiscuous while attached")
                .contains("promiscuity 1");
        long received = hv1.submit(
                        () -> hv1.datapath().findPort("vmport1").counters().rxPackets())
                .get(5, TimeUnit.SECONDS);
        assertThat(received).as("frames hv1 took from the veth").isGreaterThanOrEqualTo(6);
        took("system port (veth) over GRE, both ways");
    }

    @Test
    void vmsPingOverVxlan() throws Exception {
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.VXLAN, Map.of("remote_ip", "198.18.0.2", "key", "5000"));
        hosts.jvswitch(2, TunnelType.VXLAN, Map.of("remote_ip", "198.18.0.1", "key", "5000"));

        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");
        assertThat(TwoHypervisors.ping(hosts.vm2, "10.0.0.1")).contains("3 received");
        assertThat(hv1.submit(() -> drops(hv1.datapath())).get(5, TimeUnit.SECONDS))
                .as("nothing dropped for a reason of the I/O's")
                .doesNotContainKeys(names(IoDrop.values()));
        took("VXLAN ping both ways");
    }

    @Test
    void vmsPingOverGreOnAnIpv6Underlay() throws Exception {
        hosts.ipv6Underlay();
        hosts.jvswitch(1, TunnelType.GRE, Map.of("remote_ip", "2001:2::2", "key", "77"));
        hosts.jvswitch(2, TunnelType.GRE, Map.of("remote_ip", "2001:2::1", "key", "77"));

        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");
        assertThat(TwoHypervisors.ping(hosts.vm2, "10.0.0.1")).contains("3 received");
        took("GRE over IPv6 ping both ways");
    }

    @Test
    void vmsPingOverVxlanOnAnIpv6Underlay() throws Exception {
        hosts.ipv6Underlay();
        hosts.jvswitch(1, TunnelType.VXLAN, Map.of("remote_ip", "2001:2::2", "key", "5000"));
        hosts.jvswitch(2, TunnelType.VXLAN, Map.of("remote_ip", "2001:2::1", "key", "5000"));

        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");
        assertThat(TwoHypervisors.ping(hosts.vm2, "10.0.0.1")).contains("3 received");
        took("VXLAN over IPv6 ping both ways");
    }

    @Test
    void vmsPingOverGreInUdp() throws Exception {
        hosts.jvswitch(1, TunnelType.GRE_UDP, Map.of("remote_ip", "198.18.0.2", "key", "77"));
        hosts.jvswitch(2, TunnelType.GRE_UDP, Map.of("remote_ip", "198.18.0.1", "key", "77"));

        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");
        assertThat(TwoHypervisors.ping(hosts.vm2, "10.0.0.1")).contains("3 received");
        took("GRE-in-UDP ping both ways");
    }

    @Test
    void interoperatesWithTheKernelsVxlanDevice() throws Exception {
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.VXLAN, Map.of("remote_ip", "198.18.0.2", "key", "5000"));
        hosts.kernelVxlan(null);

        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");
        assertThat(TwoHypervisors.ping(hosts.vm2, "10.0.0.1")).contains("3 received");
        tcpBothWays();
        assertThat(hv1.submit(() -> hv1.underlay().offloadCounters())
                        .get(5, TimeUnit.SECONDS)
                        .gsoSends())
                .as("the kernel's VXLAN took jvswitch's UDP GSO packets")
                .isPositive();
        took("jvswitch <-> kernel vxlan, unicast");
    }

    @Test
    void interoperatesWithTheKernelsVxlanDeviceThroughAMulticastGroup() throws Exception {
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.VXLAN, Map.of("remote_ip", "239.1.1.1", "key", "5000"));
        hosts.kernelVxlan("239.1.1.1");

        assertThat(hosts.hv1.ip("maddress", "show", "dev", TwoHypervisors.UNDERLAY1))
                .as("jvswitch joined the group on the underlay interface")
                .contains("239.1.1.1");
        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");
        assertThat(TwoHypervisors.ping(hosts.vm2, "10.0.0.1")).contains("3 received");
        assertThat(hv1.underlay().groups()).extracting(a -> a.getHostAddress()).containsExactly("239.1.1.1");
        tcpBothWays();
        took("jvswitch <-> kernel vxlan, multicast group");
    }

    /** 16 MiB each way over TCP, checked by SHA-256: the kernel's VXLAN and jvswitch carry real traffic, not pings. */
    private void tcpBothWays() throws Exception {
        TcpTransfer there = TcpTransfer.send(hosts.vm1.name, hosts.vm2.name, "10.0.0.2", 5001, 16);
        TcpTransfer back = TcpTransfer.send(hosts.vm2.name, hosts.vm1.name, "10.0.0.1", 5002, 16);
        for (TcpTransfer transfer : new TcpTransfer[] {there, back}) {
            assertThat(transfer.bytes()).isEqualTo(16L << 20);
            assertThat(transfer.receivedSha256()).isEqualTo(transfer.sentSha256());
        }
    }

    @Test
    void malformedTunnelPacketsAreDroppedAndCountedAndPingStillWorks() throws Exception {
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.VXLAN, Map.of("remote_ip", "198.18.0.2", "key", "5000"));
        hosts.jvswitch(2, TunnelType.VXLAN, Map.of("remote_ip", "198.18.0.1", "key", "5000"));

        byte[] frame = innerFrame();
        List<byte[]> packets = List.of(
                // GRE with the routing bit set: RFC 2784 says discard.
                ipv4(47, gre(0x4000, 0x6558, frame)),
                // GRE carrying a protocol no tunnel carries.
                ipv4(47, gre(0, 0x1234, frame)),
                // GRE cut short inside its header.
                ipv4(47, new byte[] {0, 0}),
                // VXLAN with the I flag clear.
                ipv4(17, udp(4789, concat(new byte[] {0, 0, 0, 0, 0, 0x13, (byte) 0x88, 0}, frame))),
                // VXLAN cut short inside its header.
                ipv4(17, udp(4789, new byte[] {8, 0, 0, 0})),
                // Well formed, for a VNI no port has.
                ipv4(17, udp(4789, concat(new byte[] {8, 0, 0, 0, 0, 0, 99, 0}, frame))));
        NetNamespace.call(hosts.hv2.name, () -> {
            send(packets);
            return null;
        });

        Map<String, Long> expected = Map.of(
                "gre_reserved_bits", 1L,
                "gre_unknown_protocol", 1L,
                "gre_truncated", 1L,
                "vxlan_no_vni_flag", 1L,
                "vxlan_truncated", 1L,
                "tunnel_no_port", 1L);
        Map<String, Long> counted = Map.of();
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            counted = hv1.submit(() -> drops(hv1.datapath())).get(5, TimeUnit.SECONDS);
            if (counted.entrySet().containsAll(expected.entrySet())) {
                break;
            }
            Thread.sleep(20);
        }
        System.out.println("hv1 drop counters after the malformed packets: " + counted);
        assertThat(counted).containsAllEntriesOf(expected);

        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");
        took("malformed packets dropped and counted, then ping");
    }

    @Test
    void forwardingOffHoldsTrafficAndCountsIt() throws Exception {
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.GRE, Map.of("remote_ip", "198.18.0.2", "key", "77"));
        hosts.jvswitch(2, TunnelType.GRE, Map.of("remote_ip", "198.18.0.1", "key", "77"));

        hv1.forwarding(false);
        assertThatThrownBy(() -> hosts.vm1.exec("ping", "-c", "1", "-W", "1", "10.0.0.2"))
                .isInstanceOf(IOException.class);
        assertThat(hv1.submit(() -> drops(hv1.datapath())).get(5, TimeUnit.SECONDS))
                .containsKey("forwarding_disabled");
        long dropped = hv1.submit(
                        () -> hv1.datapath().findPort("tap1").counters().rxDropped())
                .get(5, TimeUnit.SECONDS);
        assertThat(dropped).isPositive();

        hv1.forwarding(true);
        assertThat(TwoHypervisors.ping(hosts.vm1, "10.0.0.2")).contains("3 received");
        took("forwarding off, then on");
    }

    @Test
    void removingATapPortRemovesItsInterface() throws Exception {
        EpollForwarder hv1 = hosts.jvswitch(1, TunnelType.GRE, Map.of("remote_ip", "198.18.0.2", "key", "77"));
        assertThat(hv1.submit(hv1::watchedPorts).get(5, TimeUnit.SECONDS)).containsExactly("tap1");

        hv1.submit(() -> hv1.datapath().bridge("br0").removePort("tap1")).get(5, TimeUnit.SECONDS);

        assertThat(hv1.submit(hv1::watchedPorts).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(hosts.vm1.ip("link", "show")).doesNotContain("tap1");
    }

    // ---- helpers ----

    private static Map<String, Long> drops(Datapath datapath) {
        return datapath.dropCounters();
    }

    private static String[] names(IoDrop[] reasons) {
        String[] names = new String[reasons.length];
        for (int i = 0; i < reasons.length; i++) {
            names[i] = reasons[i].counterName();
        }
        return names;
    }

    /** An ARP request from a MAC no VM has: what a tunnel would carry. */
    private static byte[] innerFrame() {
        ByteBuffer frame = ByteBuffer.allocate(42);
        frame.put(new byte[] {-1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, 0x77}).putShort((short) 0x0806);
        frame.putShort((short) 1)
                .putShort((short) 0x0800)
                .put((byte) 6)
                .put((byte) 4)
                .putShort((short) 1);
        frame.put(new byte[] {2, 0, 0, 0, 0, 0x77})
                .putInt(0x0a000063)
                .put(new byte[6])
                .putInt(0x0a000001);
        return frame.array();
    }

    private static byte[] gre(int flags, int protocol, byte[] payload) {
        return concat(
                ByteBuffer.allocate(4)
                        .putShort((short) flags)
                        .putShort((short) protocol)
                        .array(),
                payload);
    }

    private static byte[] udp(int destinationPort, byte[] payload) {
        return concat(
                ByteBuffer.allocate(8)
                        .putShort((short) 50000)
                        .putShort((short) destinationPort)
                        .putShort((short) (8 + payload.length))
                        .putShort((short) 0)
                        .array(),
                payload);
    }

    /** An IPv4 packet from hv2 to hv1, header checksum right. */
    private static byte[] ipv4(int protocol, byte[] payload) {
        ByteBuffer header = ByteBuffer.allocate(20);
        header.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length));
        header.putShort((short) 0)
                .putShort((short) 0x4000)
                .put((byte) 64)
                .put((byte) protocol)
                .putShort((short) 0);
        header.putInt(HV2).putInt(HV1);
        byte[] bytes = header.array();
        int checksum = Checksum.compute(MemorySegment.ofArray(bytes), 0, 20);
        bytes[10] = (byte) (checksum >>> 8);
        bytes[11] = (byte) checksum;
        return concat(bytes, payload);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** Sends whole IPv4 packets through a raw socket of the calling thread's namespace. */
    private static void send(List<byte[]> packets) throws Exception {
        try (Arena arena = Arena.ofConfined();
                RawIpSocket sender = RawIpSocket.openSender(IpFamily.IPV4);
                MessageBatch batch = new MessageBatch(packets.size())) {
            for (int i = 0; i < packets.size(); i++) {
                byte[] packet = packets.get(i);
                MemorySegment buffer = arena.allocate(packet.length);
                MemorySegment.copy(packet, 0, buffer, ValueLayout.JAVA_BYTE, 0, packet.length);
                batch.buffer(i, buffer, 0, packet.length);
                batch.data(i, 0, packet.length);
                batch.sendTo(i, HV1, 0);
            }
            int sent = sender.send(batch, packets.size());
            assertThat(sent).as("malformed packets the kernel took").isEqualTo(packets.size());
        }
    }
}
