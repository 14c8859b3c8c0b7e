package io.jvswitch.datapath.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.netio.SegmentedMessage;
import io.jvswitch.wire.build.FrameBuilder;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which queued tunnel packets leave as one UDP GSO message, and the message's payload byte for byte: the VXLAN
 * payloads (VXLAN header and inner frame) back to back, without their IP and UDP headers. No socket is touched.
 */
class SendQueueGsoTest {
    private static final int LOCAL = 0xc6120001;
    private static final int REMOTE = 0xc6120002;
    private static final int SOURCE_PORT = 51234;
    private static final int VXLAN = 4789;
    private static final int SEGMENT = 1458; // VXLAN header and a 1450-byte frame, as a TAP's segments make them

    private final Arena arena = Arena.ofConfined();
    private final SegmentSenders senders = new SegmentSenders((address, port) -> {
        throw new AssertionError("no socket is opened here");
    });
    private final SendQueue queue = new SendQueue(null, 1500, senders);

    @AfterEach
    void close() {
        queue.close();
        arena.close();
    }

    private static byte[] payload(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7);
        }
        return bytes;
    }

    private static FrameBuilder datagram(int payloadLength, int seed) {
        return new FrameBuilder()
                .ipv4(LOCAL, REMOTE)
                .tos(0x02)
                .ttl(64)
                .dontFragment(true)
                .udp(SOURCE_PORT, VXLAN)
                .payload(payload(payloadLength, seed));
    }

    private void queue(byte[] packet) {
        MemorySegment memory = arena.allocate(packet.length + 16);
        MemorySegment.copy(MemorySegment.ofArray(packet), 0, memory, 16, packet.length);
        int destination = memory.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 16 + 16);
        assertThat(queue.add(memory, 16, packet.length, destination)).isZero();
    }

    private byte[] gathered() {
        SegmentedMessage message = queue.message();
        MemorySegment out = MemorySegment.ofArray(new byte[message.payloadLength()]);
        message.gather(out, 0);
        return out.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void aRunOfOneFlowsDatagramsBecomesTheirPayloadsBackToBackTheLastShorter() {
        queue(datagram(SEGMENT, 1).identification(1).buildL3());
        queue(datagram(SEGMENT, 2).identification(2).buildL3());
        queue(datagram(700, 3).identification(3).buildL3());
        queue(datagram(SEGMENT, 4).buildL3()); // after a shorter one: a new run

        assertThat(queue.runLength(0, 4)).isEqualTo(3);
        queue.prepare(0, 3);
        SegmentedMessage message = queue.message();
        assertThat(message.segments()).isEqualTo(3);
        assertThat(message.segmentSize()).isEqualTo(SEGMENT);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(payload(SEGMENT, 1));
        expected.writeBytes(payload(SEGMENT, 2));
        expected.writeBytes(payload(700, 3));
        assertThat(gathered()).isEqualTo(expected.toByteArray());
        assertThat(queue.runLength(3, 4)).as("a run of one").isEqualTo(1);
    }

    @Test
    void aRunEndsAtAnotherFlowToSTtlDfOrALongerDatagram() {
        queue(datagram(SEGMENT, 0).buildL3());
        queue(datagram(SEGMENT, 1).buildL3());
        queue(datagram(SEGMENT, 2).tos(0x03).buildL3()); // CE: another ToS
        queue(datagram(SEGMENT, 3).buildL3());
        queue(datagram(SEGMENT, 4).ttl(63).buildL3());
        queue(datagram(SEGMENT, 5).buildL3());
        queue(datagram(SEGMENT, 6).dontFragment(false).buildL3());
        queue(datagram(SEGMENT, 7).buildL3());
        queue(new FrameBuilder()
                .ipv4(LOCAL, REMOTE)
                .tos(0x02)
                .dontFragment(true)
                .udp(SOURCE_PORT + 1, VXLAN)
                .payload(payload(SEGMENT, 8))
                .buildL3()); // another flow
        queue(datagram(100, 9).buildL3());
        queue(datagram(SEGMENT, 10).buildL3()); // longer than the first of its run

        assertThat(queue.runLength(0, 11)).isEqualTo(2);
        assertThat(queue.runLength(2, 11)).isEqualTo(1);
        assertThat(queue.runLength(3, 11)).isEqualTo(1);
        assertThat(queue.runLength(5, 11)).isEqualTo(1);
        assertThat(queue.runLength(7, 11)).isEqualTo(1);
        assertThat(queue.runLength(9, 11)).isEqualTo(1);
    }

    @Test
    void notEverythingCanGoAsGso() {
        queue(new FrameBuilder()
                .ipv4(LOCAL, 0xef010101)
                .udp(SOURCE_PORT, VXLAN)
                .payload(payload(SEGMENT, 0))
                .buildL3()); // a multicast group
        queue(new FrameBuilder()
                .ipv4(LOCAL, 0xef010101)
                .udp(SOURCE_PORT, VXLAN)
                .payload(payload(SEGMENT, 1))
                .buildL3());
        byte[] gre = datagram(SEGMENT, 2).buildL3();
        gre[9] = 47; // GRE: no UDP to segment
        queue(gre);
        queue(gre);
        byte[] fragment = datagram(SEGMENT, 3).dontFragment(false).buildL3();
        fragment[6] = 0x20; // more fragments
        queue(fragment);
        queue(fragment);

        assertThat(queue.runLength(0, 6)).isZero();
        assertThat(queue.runLength(2, 6)).isZero();
        assertThat(queue.runLength(4, 6)).isZero();
    }

    @Test
    void aRunHoldsAtMost64DatagramsAnd65507BytesOfPayload() {
        for (int i = 0; i < 70; i++) {
            queue(datagram(100, i).buildL3());
        }
        assertThat(queue.runLength(0, 70)).isEqualTo(SegmentedMessage.MAX_SEGMENTS);

        SendQueue big = new SendQueue(null, 9000, senders);
        try {
            for (int i = 0; i < 10; i++) {
                byte[] packet = datagram(8000, i).buildL3();
                MemorySegment memory = arena.allocate(packet.length);
                MemorySegment.copy(MemorySegment.ofArray(packet), 0, memory, 0, packet.length);
                big.add(memory, 0, packet.length, REMOTE);
            }
            assertThat(big.runLength(0, 10))
                    .as("8 x 8000 bytes fit 65507, 9 do not")
                    .isEqualTo(8);
            big.prepare(0, 8);
            assertThat(big.message().payloadLength()).isEqualTo(64_000);
        } finally {
            big.close();
        }
        assertThat(Arrays.asList(senders.open(), (int) senders.bindFailures())).containsExactly(0, 0);
    }
}
