package io.jvswitch.datapath.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.PacketBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A message of coalesced datagrams (UDP_GRO) cut back into datagrams, byte for byte, each behind the headroom. */
class UdpGroSplitterTest {
    private final Arena arena = Arena.ofConfined();
    private final PacketBuffer scratch = PacketBuffer.allocate(arena);
    private final List<byte[]> datagrams = new ArrayList<>();
    private final List<Integer> starts = new ArrayList<>();

    @AfterEach
    void close() {
        arena.close();
    }

    private void accept(PacketBuffer datagram) {
        starts.add(datagram.start());
        datagrams.add(
                datagram.memory().asSlice(datagram.start(), datagram.length()).toArray(ValueLayout.JAVA_BYTE));
    }

    private MemorySegment message(byte[] bytes, int offset) {
        MemorySegment memory = arena.allocate(offset + bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, memory, offset, bytes.length);
        return memory;
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 13 + i / 256);
        }
        return bytes;
    }

    @Test
    void equalDatagramsAndAShortLastOneComeOutExactlyEachBehindTheHeadroom() {
        byte[] all = bytes(3 * 1458 + 611);
        int count = UdpGroSplitter.split(message(all, 128), 128, all.length, 1458, scratch, this::accept);

        assertThat(count).isEqualTo(4);
        assertThat(datagrams).hasSize(4);
        for (int i = 0; i < 3; i++) {
            assertThat(datagrams.get(i)).isEqualTo(Arrays.copyOfRange(all, i * 1458, (i + 1) * 1458));
        }
        assertThat(datagrams.get(3)).isEqualTo(Arrays.copyOfRange(all, 3 * 1458, all.length));
        assertThat(starts).containsOnly(PacketBuffer.DEFAULT_HEADROOM);
    }

    @Test
    void aMessageOfWholeSegmentsHasNoShortOne() {
        byte[] all = bytes(4 * 100);
        assertThat(UdpGroSplitter.split(message(all, 0), 0, all.length, 100, scratch, this::accept))
                .isEqualTo(4);
        assertThat(datagrams).extracting(d -> d.length).containsExactly(100, 100, 100, 100);
        assertThat(datagrams.get(3)).isEqualTo(Arrays.copyOfRange(all, 300, 400));
    }

    @Test
    void aSegmentSizeAsLongAsTheMessageOrLongerIsOneDatagram() {
        byte[] all = bytes(500);
        assertThat(UdpGroSplitter.split(message(all, 0), 0, all.length, 1458, scratch, this::accept))
                .isEqualTo(1);
        assertThat(datagrams.getFirst()).isEqualTo(all);
    }

    @Test
    void aSegmentSizeThatCannotBeRightHandsOverNothing() {
        byte[] all = bytes(3000);
        MemorySegment memory = message(all, 0);
        int room = (int) scratch.memory().byteSize() - PacketBuffer.DEFAULT_HEADROOM;
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE, room + 1, 65536}) {
            assertThat(UdpGroSplitter.split(memory, 0, all.length, bad, scratch, this::accept))
                    .as("segment size %d", bad)
                    .isEqualTo(-1);
        }
        assertThat(datagrams).isEmpty();
        assertThat(UdpGroSplitter.split(memory, 0, all.length, room, scratch, this::accept))
                .as("as large as a buffer holds")
                .isEqualTo(1);
    }
}
