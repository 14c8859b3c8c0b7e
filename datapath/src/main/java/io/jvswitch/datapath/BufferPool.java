package io.jvswitch.datapath;

import io.jvswitch.wire.PacketBuffer;
import java.lang.foreign.Arena;
import java.util.ArrayDeque;

/**
 * Packet buffers allocated once, off-heap, and reused: the datapath takes one for a copy it must make (a second
 * output, an encapsulation) and gives it back when done. Single-threaded, owned by one datapath thread; it grows when
 * empty rather than fail.
 */
public final class BufferPool {
    private final Arena arena;
    private final ArrayDeque<PacketBuffer> free = new ArrayDeque<>();
    private int allocated;

    public BufferPool(Arena arena, int initial) {
        this.arena = arena;
        for (int i = 0; i < initial; i++) {
            free.push(PacketBuffer.allocate(arena));
            allocated++;
        }
    }

    /** A buffer with the default headroom, empty. */
    public PacketBuffer take() {
        PacketBuffer buffer = free.poll();
        if (buffer == null) {
            allocated++;
            buffer = PacketBuffer.allocate(arena);
        }
        return buffer.reset(PacketBuffer.DEFAULT_HEADROOM);
    }

    /** A buffer holding a copy of {@code packet}'s bytes, with the default headroom in front. */
    public PacketBuffer copyOf(PacketBuffer packet) {
        PacketBuffer copy = take();
        java.lang.foreign.MemorySegment.copy(
                packet.memory(), packet.start(), copy.memory(), copy.start(), packet.length());
        copy.length(packet.length());
        return copy;
    }

    public void give(PacketBuffer buffer) {
        free.push(buffer);
    }

    /** Buffers made so far: a pool that keeps growing is leaking. */
    public int allocated() {
        return allocated;
    }
}
