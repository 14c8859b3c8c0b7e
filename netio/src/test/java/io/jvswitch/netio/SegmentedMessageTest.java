package io.jvswitch.netio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The native layout of a UDP GSO send, byte for byte: payloads gathered back to back, and the three cmsgs. */
class SegmentedMessageTest {
    @Test
    void payloadsAreGatheredBackToBackFromTheirBuffersTheLastMayBeShorter() {
        try (Arena arena = Arena.ofConfined();
                SegmentedMessage message = new SegmentedMessage()) {
            MemorySegment buffers = arena.allocate(3 * 100);
            for (int i = 0; i < 300; i++) {
                buffers.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            message.segmentSize(40);
            // Each datagram's payload sits behind 20 bytes of headers in its own slot; the headers are left out.
            message.add(buffers, 20, 40);
            message.add(buffers, 120, 40);
            message.add(buffers, 220, 7);

            assertThat(message.segments()).isEqualTo(3);
            assertThat(message.payloadLength()).isEqualTo(87);
            MemorySegment gathered = arena.allocate(87);
            message.gather(gathered, 0);
            byte[] expected = new byte[87];
            for (int i = 0; i < 40; i++) {
                expected[i] = (byte) (20 + i);
                expected[40 + i] = (byte) (120 + i);
            }
            for (int i = 0; i < 7; i++) {
                expected[80 + i] = (byte) (220 + i);
            }
            assertThat(gathered.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(expected);
        }
    }

    @Test
    void theCmsgsAreUdpSegmentThenIpTosThenIpTtl() {
        try (SegmentedMessage message = new SegmentedMessage()) {
            message.segmentSize(1458);
            message.tos(0xb9);
            message.ttl(17);

            ByteBuffer expected = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
            // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then the data, each 8-aligned
            expected.putLong(0, 18).putInt(8, 17).putInt(12, 103).putShort(16, (short) 1458); // SOL_UDP UDP_SEGMENT
            expected.putLong(24, 20).putInt(32, 0).putInt(36, 1).putInt(40, 0xb9); // IPPROTO_IP IP_TOS
            expected.putLong(48, 20).putInt(56, 0).putInt(60, 2).putInt(64, 17); // IPPROTO_IP IP_TTL
            assertThat(message.control()).isEqualTo(expected.array());
            assertThat(message.segmentSize()).isEqualTo(1458);
        }
    }

    @Test
    void aMessageHoldsAtMost64DatagramsAnd65507Bytes() {
        try (Arena arena = Arena.ofConfined();
                SegmentedMessage message = new SegmentedMessage()) {
            MemorySegment buffer = arena.allocate(2000);
            message.segmentSize(1000);
            for (int i = 0; i < 64; i++) {
                message.add(buffer, 0, 1000);
            }
            assertThat(message.fits(1000)).isFalse();
            message.clear();
            message.add(buffer, 0, 1000);
            assertThat(message.fits(65507 - 1000)).isTrue();
            assertThat(message.fits(65507 - 999)).isFalse();
            for (int i = 1; i < 64; i++) {
                message.add(buffer, 0, 1000);
            }
            assertThatThrownBy(() -> message.add(buffer, 0, 1000))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("a segmented message holds 64 datagrams and 65507 bytes: 64 datagrams and 64000 bytes"
                            + " cannot take 1000 more");
        }
    }

    @Test
    void badValuesAreRefusedWithWhatIsWrong() {
        try (Arena arena = Arena.ofConfined();
                SegmentedMessage message = new SegmentedMessage()) {
            assertThatThrownBy(() -> message.segmentSize(0)).hasMessage("a segment size is 1 to 65507 bytes, not 0");
            assertThatThrownBy(() -> message.ttl(0)).hasMessage("a TTL is 1 to 255, not 0");
            assertThatThrownBy(() -> message.tos(256)).hasMessage("a ToS byte is 0 to 255, not 256");
            assertThatThrownBy(message::header).hasMessage("a segmented message with no datagram");
            assertThatThrownBy(() -> message.add(MemorySegment.ofArray(new byte[8]), 0, 8))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> message.add(arena.allocate(8), 4, 8))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }
}
