package io.jvswitch.netio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** What a batch refuses before any native call, and how it lays out a send. No privileges needed. */
class MessageBatchTest {
    @Test
    void aHeapSegmentIsRefused() {
        MemorySegment heap = MemorySegment.ofArray(new byte[2048]);
        try (MessageBatch batch = new MessageBatch(4)) {
            assertThatThrownBy(() -> batch.buffer(0, heap, 0, 2048))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("packet I/O needs native memory (an off-heap MemorySegment), not " + heap);
        }
    }

    @Test
    void aReadOnlySegmentIsRefused() {
        try (Arena arena = Arena.ofConfined();
                MessageBatch batch = new MessageBatch(1)) {
            MemorySegment readOnly = arena.allocate(64).asReadOnly();
            assertThatThrownBy(() -> batch.buffer(0, readOnly, 0, 64))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a receive buffer must be writable, not " + readOnly);
        }
    }

    @Test
    void slotCountsAreTheKernels() {
        assertThatThrownBy(() -> new MessageBatch(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a batch has 1 to 1024 slots (the kernel's UIO_MAXIOV), not 0");
        assertThatThrownBy(() -> new MessageBatch(1025))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a batch has 1 to 1024 slots (the kernel's UIO_MAXIOV), not 1025");
        try (MessageBatch batch = new MessageBatch(32)) {
            assertThat(batch.slots()).isEqualTo(32);
        }
    }

    @Test
    void buffersAndDataStayInsideTheirSegment() {
        try (Arena arena = Arena.ofConfined();
                MessageBatch batch = new MessageBatch(2)) {
            MemorySegment buffer = arena.allocate(256);
            assertThatThrownBy(() -> batch.buffer(0, buffer, 200, 100)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> batch.data(0, 0, 10))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("slot 0 has no buffer: call buffer() first");
            batch.buffer(0, buffer, 16, 240);
            assertThat(batch.offset(0)).isEqualTo(16);
            assertThat(batch.length(0)).isZero();
            assertThat(batch.capacity(0)).isEqualTo(240);
            assertThatThrownBy(() -> batch.data(0, 100, 200)).isInstanceOf(IndexOutOfBoundsException.class);
            batch.data(0, 8, 100);
            assertThat(batch.offset(0)).isEqualTo(8);
            assertThat(batch.length(0)).isEqualTo(100);
        }
    }

    @Test
    void everySlotNeedsABufferBeforeAReceiveAndEachSentSlotBeforeASend() {
        try (Arena arena = Arena.ofConfined();
                MessageBatch batch = new MessageBatch(2)) {
            batch.buffer(0, arena.allocate(64), 0, 64);
            assertThatThrownBy(batch::prepareReceive)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("slot 1 has no buffer: call buffer() for every slot");
            batch.prepareSend(1);
            assertThatThrownBy(() -> batch.prepareSend(2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("slot 1 has no buffer: call buffer() and data() first");
            assertThatThrownBy(() -> batch.prepareSend(3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot send 3 messages from a batch of 2");
        }
    }

    @Test
    void destinationsAreNamedInSendErrors() {
        try (MessageBatch batch = new MessageBatch(3)) {
            batch.sendTo(0, 0xc6120002, 4789);
            batch.sendTo(1, 0x20010db800000000L, 2, 0);
            assertThat(batch.destinationText(0)).isEqualTo("198.18.0.2:4789");
            assertThat(batch.destinationText(1)).isEqualTo("2001:db8::2");
            assertThat(batch.destinationText(2)).isEqualTo("the bound interface");
            batch.sendTo(1, 0x20010db800000000L, 2, 4789);
            assertThat(batch.destinationText(1)).isEqualTo("[2001:db8::2]:4789");
            batch.sendToBound(0);
            assertThat(batch.destinationText(0)).isEqualTo("the bound interface");
        }
    }

    @Test
    void aSlotWithNoVlanTagHasNothingToReinsert() {
        try (Arena arena = Arena.ofConfined();
                MessageBatch batch = new MessageBatch(1)) {
            batch.buffer(0, arena.allocate(64), 0, 64);
            assertThat(batch.hasVlan(0)).isFalse();
            assertThatThrownBy(() -> batch.reinsertVlanTag(0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("slot 0 has no VLAN tag to reinsert");
        }
    }

    @Test
    void aBatchThatIsClosedCannotBeUsed() {
        MessageBatch batch = new MessageBatch(1);
        batch.close();
        assertThatThrownBy(() -> batch.sendTo(0, 1, 1)).isInstanceOf(IllegalStateException.class);
    }
}
