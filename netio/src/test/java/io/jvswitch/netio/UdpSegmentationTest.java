package io.jvswitch.netio;

import static io.jvswitch.netio.TwoNamespaces.IP1;
import static io.jvswitch.netio.TwoNamespaces.IP2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * UDP GSO and GRO between two namespaces joined by a veth pair (which passes GSO packets whole): one {@code sendmsg}
 * with {@code UDP_SEGMENT} from ns1 is one message with {@code UDP_GRO}'s segment size in ns2, or, without {@code
 * UDP_GRO}, the datagrams one by one, with the ToS, TTL and source port given.
 */
@Tag("privileged")
class UdpSegmentationTest {
    private static final int PORT = 4789;
    private static final int SOURCE_PORT = 50123;

    private final List<AutoCloseable> open = new ArrayList<>();
    private TwoNamespaces net;
    private Arena arena;

    @BeforeEach
    void setUp() throws Exception {
        TestNamespace.assumePrivileged();
        arena = Arena.ofShared();
        net = TwoNamespaces.create(false);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
        if (net != null) {
            String[] names = net.names();
            net.close();
            String left = TestNamespace.namespacesLeft();
            for (String name : names) {
                assertThat(left).doesNotContain(name);
            }
        }
        arena.close();
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** Three payloads of 1000, 1000 and 300 bytes in slots of a staging buffer, behind 28 bytes of room each. */
    private SegmentedMessage threeDatagrams(MemorySegment staging) {
        SegmentedMessage message = track(new SegmentedMessage());
        for (int i = 0; i < 3 * 1100; i++) {
            staging.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
        }
        message.destination(IP2, PORT);
        message.segmentSize(1000);
        message.tos(0xb9);
        message.ttl(17);
        message.add(staging, 28, 1000);
        message.add(staging, 1100 + 28, 1000);
        message.add(staging, 2200 + 28, 300);
        return message;
    }

    private static byte[] expectedPayload(MemorySegment staging, SegmentedMessage message) {
        MemorySegment gathered = MemorySegment.ofArray(new byte[message.payloadLength()]);
        message.gather(gathered, 0);
        return gathered.toArray(ValueLayout.JAVA_BYTE);
    }

    private MessageBatch bigBatch(int slots) {
        MessageBatch batch = track(new MessageBatch(slots));
        MemorySegment buffers = arena.allocate(slots * 65600L);
        for (int i = 0; i < slots; i++) {
            batch.buffer(i, buffers, i * 65600L + 64, 65536);
        }
        return batch;
    }

    @Test
    void oneSegmentedSendIsOneCoalescedMessageForAReceiverWithUdpGro() throws Exception {
        UdpSocket receiver = track(net.inNs2(() -> {
            UdpSocket socket = UdpSocket.open(IpFamily.IPV4);
            socket.receiveCoalesced(true);
            socket.bind(IP2, PORT);
            return socket;
        }));
        UdpSocket sender = track(net.inNs1(() -> UdpSocket.openSegmentSender(IP1, SOURCE_PORT)));
        sender.dontFragment(true);
        MemorySegment staging = arena.allocate(3300);
        SegmentedMessage message = threeDatagrams(staging);

        assertThat(sender.send(message)).as("errno").isZero();
        List<Received> received = Received.collect(receiver::receive, receiver.fd(), bigBatch(4), 1, 2000);

        assertThat(received).hasSize(1);
        Received coalesced = received.getFirst();
        assertThat(coalesced.bytes()).isEqualTo(expectedPayload(staging, message));
        assertThat(coalesced.segmentSize()).isEqualTo(1000);
        assertThat(coalesced.peerAddress()).isEqualTo(IP1);
        assertThat(coalesced.peerPort()).isEqualTo(SOURCE_PORT);
        assertThat(coalesced.tos()).isEqualTo(0xb9);
        assertThat(coalesced.ttl()).isEqualTo(17);
        assertThat(coalesced.truncated()).isFalse();
    }

    @Test
    void withoutUdpGroTheReceiverGetsEachDatagram() throws Exception {
        UdpSocket receiver = track(net.inNs2(() -> {
            UdpSocket socket = UdpSocket.open(IpFamily.IPV4);
            socket.bind(IP2, PORT);
            return socket;
        }));
        UdpSocket sender = track(net.inNs1(() -> UdpSocket.openSegmentSender(IP1, SOURCE_PORT)));
        MemorySegment staging = arena.allocate(3300);
        SegmentedMessage message = threeDatagrams(staging);
        byte[] all = expectedPayload(staging, message);

        assertThat(sender.send(message)).as("errno").isZero();
        List<Received> received = Received.collect(receiver::receive, receiver.fd(), bigBatch(4), 3, 2000);

        assertThat(received).extracting(r -> r.bytes().length).containsExactly(1000, 1000, 300);
        assertThat(received.get(0).bytes()).isEqualTo(java.util.Arrays.copyOfRange(all, 0, 1000));
        assertThat(received.get(1).bytes()).isEqualTo(java.util.Arrays.copyOfRange(all, 1000, 2000));
        assertThat(received.get(2).bytes()).isEqualTo(java.util.Arrays.copyOfRange(all, 2000, 2300));
        for (Received datagram : received) {
            assertThat(datagram.segmentSize()).isZero();
            assertThat(datagram.peerPort()).isEqualTo(SOURCE_PORT);
            assertThat(datagram.tos()).isEqualTo(0xb9);
            assertThat(datagram.ttl()).isEqualTo(17);
        }
    }

    @Test
    void aPortInUseCannotBeBoundAndTheErrorNamesTheCall() throws Exception {
        track(net.inNs1(() -> UdpSocket.openSegmentSender(IP1, SOURCE_PORT)));
        assertThatThrownBy(() -> net.inNs1(() -> UdpSocket.openSegmentSender(IP1, SOURCE_PORT)))
                .isInstanceOf(NativeException.class)
                .hasMessageContaining("bind 198.18.0.1:50123")
                .hasMessageContaining("EADDRINUSE");
    }
}
