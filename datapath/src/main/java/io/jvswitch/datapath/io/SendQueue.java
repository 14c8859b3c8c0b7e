package io.jvswitch.datapath.io;

import io.jvswitch.netio.MessageBatch;
import io.jvswitch.netio.NativeException;
import io.jvswitch.netio.RawIpSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Tunnel packets waiting to leave through one raw IP socket, sent together by one {@code sendmmsg}: a batch received
 * from TAP devices goes out in one system call instead of one each. Each packet is copied into a slot of staging
 * memory when queued, because the datapath reuses its buffer as soon as {@code send} returns; a copy of a frame costs
 * far less than the system call it saves.
 */
final class SendQueue implements AutoCloseable {
    /** At most this many packets wait: the forwarder's batch size. */
    static final int SLOTS = 32;

    private final RawIpSocket socket;
    private final int slotSize;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment staging;
    private final MessageBatch batch = new MessageBatch(SLOTS);
    private int queued;
    private int lastErrno;

    /** @param slotSize the largest IP packet a slot holds: the underlay's MTU */
    SendQueue(RawIpSocket socket, int slotSize) {
        this.socket = socket;
        this.slotSize = slotSize;
        this.staging = arena.allocate((long) SLOTS * slotSize, 64);
        for (int slot = 0; slot < SLOTS; slot++) {
            batch.buffer(slot, staging, (long) slot * slotSize, slotSize);
        }
    }

    /** True when a packet of {@code length} bytes fits a slot; a larger one must be sent on its own. */
    boolean fits(int length) {
        return length <= slotSize;
    }

    /**
     * Queues an IPv4 packet for {@code destination}; when the queue is full, sends it.
     *
     * @return how many packets the kernel refused, if this sent the queue
     */
    int add(MemorySegment segment, long offset, int length, int destination) {
        int slot = copyIn(segment, offset, length);
        batch.sendTo(slot, destination, 0);
        return queued == SLOTS ? flush() : 0;
    }

    /** Queues an IPv6 packet; as {@link #add(MemorySegment, long, int, int)}. */
    int add(MemorySegment segment, long offset, int length, long destinationHigh, long destinationLow) {
        int slot = copyIn(segment, offset, length);
        batch.sendTo(slot, destinationHigh, destinationLow, 0);
        return queued == SLOTS ? flush() : 0;
    }

    private int copyIn(MemorySegment segment, long offset, int length) {
        int slot = queued++;
        long at = (long) slot * slotSize;
        MemorySegment.copy(segment, offset, staging, at, length);
        batch.data(slot, at, length);
        return slot;
    }

    /**
     * Sends what is queued.
     *
     * @return how many packets the kernel refused ({@link #lastErrno} says why)
     */
    int flush() {
        int count = queued;
        if (count == 0) {
            return 0;
        }
        queued = 0;
        try {
            socket.send(batch, count);
        } catch (NativeException e) {
            lastErrno = e.errno();
            return count;
        }
        int refused = 0;
        for (int slot = 0; slot < count; slot++) {
            int errno = batch.error(slot);
            if (errno != 0) {
                refused++;
                lastErrno = errno;
            }
        }
        return refused;
    }

    /** The errno of the last refused packet, 0 if none. */
    int lastErrno() {
        return lastErrno;
    }

    @Override
    public void close() {
        batch.close();
        arena.close();
    }
}
