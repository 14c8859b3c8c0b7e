package io.jvswitch.wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One packet in an off-heap buffer, with headroom in front so that a tunnel header can be prepended in place and
 * stripped by moving the start. The packet is the bytes {@code [start, start + length)} of {@link #memory()}.
 *
 * <pre>
 *   0            start                      start+length          capacity
 *   |  headroom  |  packet bytes             |  tailroom            |
 * </pre>
 *
 * <p>Buffers are pooled and reused by the datapath; this class allocates only when it is created.
 */
public final class PacketBuffer {
    /** Room for Ethernet + 802.1Q + IPv6 + UDP + GRE with every option (14 + 4 + 40 + 8 + 16), rounded up. */
    public static final int DEFAULT_HEADROOM = 128;

    /** Headroom plus the largest frame a 9000-byte MTU carries, rounded up. */
    public static final int DEFAULT_CAPACITY = 9216 + DEFAULT_HEADROOM;

    private final MemorySegment memory;
    private int start;
    private int length;

    public PacketBuffer(MemorySegment memory, int headroom) {
        if (headroom < 0 || headroom > memory.byteSize()) {
            throw new IllegalArgumentException("headroom " + headroom + " does not fit " + memory.byteSize());
        }
        this.memory = memory;
        this.start = headroom;
    }

    /** A buffer of {@link #DEFAULT_CAPACITY} bytes from {@code arena}, with the default headroom. */
    public static PacketBuffer allocate(Arena arena) {
        return new PacketBuffer(arena.allocate(DEFAULT_CAPACITY, 64), DEFAULT_HEADROOM);
    }

    /** A buffer holding a copy of {@code frame} behind the default headroom (for tests and the control path). */
    public static PacketBuffer of(Arena arena, byte[] frame) {
        PacketBuffer buffer =
                new PacketBuffer(arena.allocate(DEFAULT_HEADROOM + frame.length + 64L, 64), DEFAULT_HEADROOM);
        buffer.append(frame);
        return buffer;
    }

    public MemorySegment memory() {
        return memory;
    }

    /** Offset of the first packet byte in {@link #memory()}. */
    public int start() {
        return start;
    }

    public int length() {
        return length;
    }

    /** Offset just past the last packet byte. */
    public int end() {
        return start + length;
    }

    public int headroom() {
        return start;
    }

    public int tailroom() {
        return (int) memory.byteSize() - start - length;
    }

    /** Empties the buffer and leaves {@code headroom} bytes in front. */
    public PacketBuffer reset(int headroom) {
        if (headroom < 0 || headroom > memory.byteSize()) {
            throw new IllegalArgumentException("headroom " + headroom + " does not fit " + memory.byteSize());
        }
        this.start = headroom;
        this.length = 0;
        return this;
    }

    /** Sets the packet's length (bytes already written at {@link #start()}). */
    public void length(int length) {
        if (length < 0 || start + length > memory.byteSize()) {
            throw new IllegalArgumentException("length " + length + " does not fit behind start " + start);
        }
        this.length = length;
    }

    /** Grows the packet at the front by {@code n} bytes and returns the new start offset. */
    public int prepend(int n) {
        if (n > start) {
            throw new IllegalStateException("needs " + n + " bytes of headroom, has " + start);
        }
        start -= n;
        length += n;
        return start;
    }

    /** Removes {@code n} bytes from the front (decapsulation). */
    public void stripFront(int n) {
        if (n > length) {
            throw new IllegalStateException("cannot strip " + n + " bytes from a " + length + "-byte packet");
        }
        start += n;
        length -= n;
    }

    /** Appends bytes at the end (for tests and the control path). */
    public void append(byte[] bytes) {
        if (bytes.length > tailroom()) {
            throw new IllegalStateException("needs " + bytes.length + " bytes of tailroom, has " + tailroom());
        }
        MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, end(), bytes.length);
        length += bytes.length;
    }

    /** Copies the packet's bytes out (for tests, captures and the control path). */
    public byte[] toByteArray() {
        return memory.asSlice(start, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
