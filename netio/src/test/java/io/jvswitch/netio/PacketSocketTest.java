package io.jvswitch.netio;

import static io.jvswitch.netio.TwoNamespaces.IP1;
import static io.jvswitch.netio.TwoNamespaces.IP2;
import static io.jvswitch.netio.TwoNamespaces.MAC1;
import static io.jvswitch.netio.TwoNamespaces.MAC2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l4.Udp;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A packet socket on ns2's veth end: what ns1's kernel sends, what auxdata tells, frames sent out whole. */
@Tag("privileged")
class PacketSocketTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private TwoNamespaces net;
    private Arena arena;

    @BeforeEach
    void createNetwork() throws Exception {
        TestNamespace.assumePrivileged();
        arena = Arena.ofShared();
        net = TwoNamespaces.create(false);
    }

    @AfterEach
    void cleanUp() throws Exception {
        Exception failure = null;
        for (AutoCloseable closeable : open.reversed()) {
            try {
                closeable.close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        if (net != null) {
            String[] names = net.names();
            net.close();
            String left = TestNamespace.namespacesLeft();
            for (String name : names) {
                assertThat(left).doesNotContain(name);
            }
        }
        if (arena != null) {
            arena.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Test
    void seesThePingNs1SendsButNotTheReplyNs2Sends() throws Exception {
        PacketSocket socket = track(net.inNs2(() -> PacketSocket.open(TwoNamespaces.VETH2)));
        int veth2 = net.inNs2(() -> Interfaces.index(TwoNamespaces.VETH2));
        MessageBatch in = track(Received.batch(arena, 8));

        String ping = net.ns1.exec("ping", "-c1", "-W1", "198.18.0.2");
        List<Received> frames = Received.collect(socket::receive, socket.fd(), in, 8, 300);

        assertThat(ping).contains("1 received");
        List<Received> icmp = frames.stream().filter(PacketSocketTest::isIcmp).toList();
        assertThat(icmp).as("the echo request only: the reply is outgoing").hasSize(1);
        Received request = icmp.getFirst();
        byte[] bytes = request.bytes();
        MemorySegment frame = MemorySegment.ofArray(bytes);
        assertThat(Bytes.mac(frame, 0)).isEqualTo(MAC2);
        assertThat(Bytes.mac(frame, 6)).isEqualTo(MAC1);
        assertThat(Bytes.u32(frame, 14 + 12)).isEqualTo(IP1);
        assertThat(Bytes.u32(frame, 14 + 16)).isEqualTo(IP2);
        assertThat(Bytes.u8(frame, 34)).as("ICMP type: echo request").isEqualTo(8);
        assertThat(request.packetType()).isEqualTo(MessageBatch.PACKET_HOST);
        assertThat(request.interfaceIndex()).isEqualTo(veth2);
        assertThat(request.linkProtocol()).isEqualTo(0x0800);
        assertThat(request.hasAuxdata()).isTrue();
        assertThat(request.networkOffset()).isEqualTo(14);
        assertThat(request.originalLength()).isEqualTo(bytes.length);
        assertThat(request.hasVlan()).isFalse();
    }

    private static boolean isIcmp(Received frame) {
        return frame.linkProtocol() == 0x0800 && frame.bytes().length > 34 && frame.bytes()[14 + 9] == 1;
    }

    @Test
    void aUdpDatagramFromNs1sKernelHasItsChecksumPartialAndCompletionMakesItRight() throws Exception {
        PacketSocket socket = track(net.inNs2(() -> PacketSocket.open(TwoNamespaces.VETH2)));
        UdpSocket kernelSender = track(net.inNs1(() -> {
            UdpSocket udp = UdpSocket.open(IpFamily.IPV4);
            udp.bind(IP1, 5555);
            return udp;
        }));
        MessageBatch out = track(Received.batch(arena, 1));
        MessageBatch in = track(new MessageBatch(1));
        MemorySegment buffer = arena.allocate(2048);
        in.buffer(0, buffer, 64, 1984);
        byte[] payload = "checksum left to the hardware there is not".getBytes(StandardCharsets.US_ASCII);
        Received.put(out, 0, payload);
        out.sendTo(0, IP2, 9999);

        assertThat(kernelSender.send(out, 1)).isEqualTo(1);
        List<Received> frames = Received.collect(
                socket::receive,
                socket.fd(),
                in,
                1,
                2000,
                frame -> frame.bytes().length > 36 && frame.linkProtocol() == 0x0800 && frame.bytes()[14 + 9] == 17);

        assertThat(frames).hasSize(1);
        assertThat(frames.getFirst().checksumNotReady()).isTrue();
        assertThat(in.checksumNotReady(0)).isTrue();
        int length = in.length(0);
        long udp = 64 + 34;
        int udpLength = 8 + payload.length;
        long pseudo = Checksum.ipv4PseudoHeader(IP1, IP2, 17, udpLength);
        assertThat(Bytes.u16(buffer, udp + 6))
                .as("a partial checksum: the pseudo-header sum, not complemented")
                .isEqualTo(Checksum.fold(pseudo));
        byte[] expected = new FrameBuilder()
                .ethernet(MAC1, MAC2)
                .ipv4(IP1, IP2)
                .udp(5555, 9999)
                .payload(payload)
                .build();
        int expectedChecksum = Bytes.u16(MemorySegment.ofArray(expected), 34 + 6);

        assertThat(PartialChecksum.completeFrame(buffer, 64, length)).isTrue();
        assertThat(Bytes.u16(buffer, udp + 6)).isEqualTo(expectedChecksum);
        assertThat(new Udp().wrap(buffer, udp).checksumValid(pseudo, udpLength)).isTrue();

        // The same from csum_start and csum_offset, as a virtio header would give them.
        Bytes.u16(buffer, udp + 6, Checksum.fold(pseudo));
        PartialChecksum.complete(buffer, 64, length, 34, 6);
        assertThat(Bytes.u16(buffer, udp + 6)).isEqualTo(expectedChecksum);
    }

    @Test
    void aFrameSentThroughThePacketSocketReachesThePeerKernelAndIsNotReadBack() throws Exception {
        PacketSocket socket = track(net.inNs2(() -> PacketSocket.open(TwoNamespaces.VETH2)));
        UdpSocket peer = track(net.inNs1(() -> {
            UdpSocket udp = UdpSocket.open(IpFamily.IPV4);
            udp.bind(IP1, 7777);
            return udp;
        }));
        MessageBatch out = track(Received.batch(arena, 1));
        MessageBatch in = track(Received.batch(arena, 4));
        byte[] payload = "a whole frame".getBytes(StandardCharsets.US_ASCII);
        Received.put(
                out,
                0,
                new FrameBuilder()
                        .ethernet(MAC2, MAC1)
                        .ipv4(IP2, IP1)
                        .ttl(3)
                        .udp(5555, 7777)
                        .payload(payload)
                        .build());
        out.sendToBound(0);

        assertThat(socket.send(out, 1)).isEqualTo(1);
        assertThat(out.error(0)).isZero();
        List<Received> datagrams = Received.collect(peer::receive, peer.fd(), in, 1, 2000);

        assertThat(datagrams).hasSize(1);
        assertThat(datagrams.getFirst().bytes()).isEqualTo(payload);
        assertThat(datagrams.getFirst().peerAddress()).isEqualTo(IP2);
        assertThat(datagrams.getFirst().peerPort()).isEqualTo(5555);
        assertThat(datagrams.getFirst().ttl()).isEqualTo(3);
        assertThat(Received.collect(socket::receive, socket.fd(), in, 1, 200))
                .as("PACKET_IGNORE_OUTGOING: the socket does not read back what it sent")
                .isEmpty();
    }

    @Test
    void aVlanTagTheKernelTookOffIsReportedAndCanBeReinserted() throws Exception {
        PacketSocket receiver = track(net.inNs2(() -> PacketSocket.open(TwoNamespaces.VETH2)));
        PacketSocket sender = track(net.inNs1(() -> PacketSocket.open(TwoNamespaces.VETH1)));
        MessageBatch out = track(Received.batch(arena, 2));
        MessageBatch in = track(Received.batch(arena, 4));
        byte[] dot1q = tagged(0x8100, 0xa064); // priority 5, VLAN 100
        byte[] dot1ad = tagged(0x88a8, 0x0123); // an 802.1ad service tag, VLAN 291
        Received.put(out, 0, dot1q);
        Received.put(out, 1, dot1ad);
        out.sendToBound(0);
        out.sendToBound(1);

        assertThat(sender.send(out, 2)).isEqualTo(2);
        int seen = 0;
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (seen < 2 && System.nanoTime() < deadline) {
            int count = receiver.receive(in);
            if (count == 0) {
                Thread.sleep(5);
            }
            for (int i = 0; i < count; i++, seen++) {
                assertThat(in.hasVlan(i)).isTrue();
                boolean q = in.vlanTpid(i) == 0x8100;
                assertThat(in.vlanTpid(i)).isEqualTo(q ? 0x8100 : 0x88a8);
                assertThat(in.vlanTci(i)).isEqualTo(q ? 0xa064 : 0x0123);
                byte[] original = q ? dot1q : dot1ad;
                byte[] untagged = new byte[original.length - 4];
                System.arraycopy(original, 0, untagged, 0, 12);
                System.arraycopy(original, 16, untagged, 12, original.length - 16);
                assertThat(Received.from(in, i).bytes()).as("received untagged").isEqualTo(untagged);
                assertThat(in.linkProtocol(i)).isEqualTo(0x0800);
                long offset = in.offset(i);

                in.reinsertVlanTag(i);

                assertThat(Received.from(in, i).bytes()).as("with its tag back").isEqualTo(original);
                assertThat(in.offset(i)).isEqualTo(offset - 4);
                assertThat(in.hasVlan(i)).isFalse();
            }
        }
        assertThat(seen).isEqualTo(2);
    }

    private static byte[] tagged(int tpid, int tci) {
        byte[] frame = new FrameBuilder()
                .ethernet(MAC1, MAC2)
                .vlan(1)
                .ipv4(IP1, IP2)
                .udp(1000, 2000)
                .payload(new byte[20])
                .build();
        MemorySegment segment = MemorySegment.ofArray(frame);
        Bytes.u16(segment, 12, tpid);
        Bytes.u16(segment, 14, tci);
        return frame;
    }

    @Test
    void promiscuousMembershipIsCountedByTheKernelAndDroppedOnClose() throws Exception {
        PacketSocket socket = net.inNs2(() -> PacketSocket.open(TwoNamespaces.VETH2));
        try {
            assertThat(link()).contains("promiscuity 0");
            socket.promiscuous(true);
            assertThat(link()).contains("promiscuity 1");
            socket.promiscuous(false);
            assertThat(link()).contains("promiscuity 0");
            socket.promiscuous(true);
        } finally {
            socket.close();
        }
        assertThat(link()).contains("promiscuity 0");
    }

    private String link() throws Exception {
        return net.ns2.ip("-d", "link", "show", TwoNamespaces.VETH2);
    }

    @Test
    void anUnknownInterfaceIsNamedInTheError() {
        assertThatThrownBy(() -> net.inNs2(() -> PacketSocket.open("jvs-nosuch0")))
                .isInstanceOf(NativeException.class)
                .hasMessage("if_nametoindex jvs-nosuch0: ENODEV (No such device)"
                        + " — no such network interface: check its name (ip link)");
        assertThatThrownBy(() -> net.inNs2(() -> PacketSocket.open(9999)))
                .isInstanceOf(NativeException.class)
                .hasMessage("bind AF_PACKET ifindex 9999: ENODEV (No such device)"
                        + " — no such network interface: check its name (ip link)");
    }

    @Test
    void whileTheInterfaceIsDownSendsAreRefusedAndReceiveReportsEnetdownOnce() throws Exception {
        PacketSocket socket = track(net.inNs2(() -> PacketSocket.open(TwoNamespaces.VETH2)));
        PacketSocket peer = track(net.inNs1(() -> PacketSocket.open(TwoNamespaces.VETH1)));
        MessageBatch out = track(Received.batch(arena, 1));
        MessageBatch in = track(Received.batch(arena, 4));
        Received.put(
                out, 0, Arrays.copyOf(new FrameBuilder().ethernet(MAC2, MAC1).build(), 60));
        out.sendToBound(0);

        net.ns2.ip("link", "set", TwoNamespaces.VETH2, "down");

        assertThat(socket.send(out, 1)).isZero();
        assertThat(out.error(0)).isEqualTo(Errno.ENETDOWN);
        assertThat(socket.sendFailure(out, 0))
                .hasMessage("sendmmsg AF_PACKET jvs-veth2 to the bound interface: ENETDOWN (Network is down)"
                        + " — the interface is down: bring it up (ip link set IF up)");
        assertThatThrownBy(() -> socket.receive(in))
                .isInstanceOf(NativeException.class)
                .hasMessage("recvmmsg AF_PACKET jvs-veth2: ENETDOWN (Network is down)"
                        + " — the interface is down: bring it up (ip link set IF up)");
        assertThat(socket.receive(in)).as("the error is reported once").isZero();

        net.ns2.ip("link", "set", TwoNamespaces.VETH2, "up");
        Received.put(
                out, 0, Arrays.copyOf(new FrameBuilder().ethernet(MAC1, MAC2).build(), 60));
        assertThat(peer.send(out, 1)).isEqualTo(1);
        assertThat(Received.collect(socket::receive, socket.fd(), in, 1, 2000, frame -> frame.linkProtocol() == 0x88b5))
                .as("the same socket receives again once the interface is back up")
                .hasSize(1);
    }

    @Test
    void aTcpStreamFromNs1sKernelArrivesInGsoFramesLargerThanTheMtuAndTruncationIsReported() throws Exception {
        PacketSocket socket = track(net.inNs2(() -> PacketSocket.open(TwoNamespaces.VETH2)));
        ServerSocket server = track(net.inNs2(() -> {
            ServerSocket listening = new ServerSocket();
            listening.bind(new InetSocketAddress("198.18.0.2", 8000));
            return listening;
        }));
        Thread reader = Thread.ofPlatform().start(() -> {
            try (Socket accepted = server.accept()) {
                accepted.getInputStream().readAllBytes();
            } catch (IOException e) {
                // the test fails on what the packet socket saw
            }
        });
        MessageBatch in = track(Received.batch(arena, 32));
        try (Socket client = net.inNs1(() -> {
            Socket connecting = new Socket();
            connecting.connect(new InetSocketAddress("198.18.0.2", 8000), 2000);
            return connecting;
        })) {
            client.getOutputStream().write(new byte[256 * 1024]);
        }
        reader.join(5000);

        List<Received> large =
                Received.collect(socket::receive, socket.fd(), in, 1, 2000, frame -> frame.originalLength() > 1514);

        assertThat(large)
                .as("a TCP segment larger than the MTU (GSO: veths pass them whole)")
                .isNotEmpty();
        Received frame = large.getFirst();
        assertThat(frame.truncated()).isTrue();
        assertThat(frame.bytes()).hasSize(2048 - 64);
    }
}
