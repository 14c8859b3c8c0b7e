package io.jvswitch.netio;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** One received message copied out of a {@link MessageBatch} slot, for assertions (tests may allocate). */
record Received(
        byte[] bytes,
        int peerFamily,
        int peerAddress,
        long peerAddressHigh,
        long peerAddressLow,
        int peerPort,
        boolean hasDestination,
        int destinationAddress,
        long destinationAddressHigh,
        long destinationAddressLow,
        int tos,
        int ttl,
        int interfaceIndex,
        int packetType,
        int linkProtocol,
        boolean hasAuxdata,
        boolean checksumNotReady,
        boolean hasVlan,
        int vlanTci,
        int vlanTpid,
        int networkOffset,
        int originalLength,
        boolean truncated,
        int segmentSize) {

    /** What a socket's receive is, for {@link #collect}. */
    interface Receiver {
        int receive(MessageBatch batch) throws NativeException;
    }

    static Received from(MessageBatch batch, int slot) {
        byte[] bytes = new byte[batch.length(slot)];
        MemorySegment.copy(batch.segment(slot), batch.offset(slot), MemorySegment.ofArray(bytes), 0, bytes.length);
        return new Received(
                bytes,
                batch.peerFamily(slot),
                batch.peerAddress(slot),
                batch.peerAddressHigh(slot),
                batch.peerAddressLow(slot),
                batch.peerPort(slot),
                batch.hasDestination(slot),
                batch.destinationAddress(slot),
                batch.destinationAddressHigh(slot),
                batch.destinationAddressLow(slot),
                batch.tos(slot),
                batch.ttl(slot),
                batch.interfaceIndex(slot),
                batch.packetType(slot),
                batch.linkProtocol(slot),
                batch.hasAuxdata(slot),
                batch.checksumNotReady(slot),
                batch.hasVlan(slot),
                batch.vlanTci(slot),
                batch.vlanTpid(slot),
                batch.networkOffset(slot),
                batch.originalLength(slot),
                batch.truncated(slot),
                batch.segmentSize(slot));
    }

    /**
     * Receives through {@code receiver} (whose descriptor is {@code fd}), waiting with an {@link Epoll}, until {@code
     * wanted} messages that {@code keep} accepts have come or {@code timeoutMillis} have passed; returns those.
     */
    static List<Received> collect(
            Receiver receiver, int fd, MessageBatch batch, int wanted, long timeoutMillis, Predicate<Received> keep)
            throws NativeException {
        List<Received> kept = new ArrayList<>();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try (Epoll epoll = Epoll.open(1)) {
            epoll.add(fd, 1);
            while (kept.size() < wanted) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                if (epoll.await((int) left) == 0) {
                    continue;
                }
                int count = receiver.receive(batch);
                for (int i = 0; i < count; i++) {
                    Received received = from(batch, i);
                    if (keep.test(received)) {
                        kept.add(received);
                    }
                }
            }
        }
        return kept;
    }

    static List<Received> collect(Receiver receiver, int fd, MessageBatch batch, int wanted, long timeoutMillis)
            throws NativeException {
        return collect(receiver, fd, batch, wanted, timeoutMillis, received -> true);
    }

    /** A batch of {@code slots} slots of 2048 bytes each, with 64 bytes of headroom, in {@code arena}. */
    static MessageBatch batch(java.lang.foreign.Arena arena, int slots) {
        MessageBatch batch = new MessageBatch(slots);
        MemorySegment buffers = arena.allocate((long) slots * 2048);
        for (int i = 0; i < slots; i++) {
            batch.buffer(i, buffers, i * 2048L + 64, 2048 - 64);
        }
        return batch;
    }

    /** Puts {@code bytes} in the slot's buffer and makes them the slot's data. */
    static void put(MessageBatch batch, int slot, byte[] bytes) {
        long offset = batch.offset(slot);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, batch.segment(slot), offset, bytes.length);
        batch.data(slot, offset, bytes.length);
    }
}
