package io.jvswitch.datapath.io;

import io.jvswitch.wire.PacketBuffer;
import java.lang.foreign.MemorySegment;

/**
 * Cuts a message a UDP socket received with {@code UDP_GRO} back into the datagrams it holds: the kernel put them back
 * to back, each {@code segmentSize} bytes long but the last, which may be shorter. Each is copied behind the default
 * headroom of a scratch packet buffer, where the underlay writes back the outer headers it needs in front, and handed
 * to the sink before the next is copied; the sink must be done with the buffer when it returns (the datapath is: what
 * it keeps, a TAP's coalescer or the send queue, it copies). Nothing is allocated.
 */
final class UdpGroSplitter {
    /** Where each datagram goes. */
    interface Sink {
        void accept(PacketBuffer datagram);
    }

    private UdpGroSplitter() {}

    /**
     * Hands each datagram of the {@code length} bytes at {@code offset} of {@code memory} to {@code sink}, in {@code
     * scratch}.
     *
     * @return how many datagrams were handed over; -1 when {@code segmentSize} cannot be right (0 or less, or larger
     *     than what {@code scratch} holds behind its headroom), in which case none was
     */
    static int split(MemorySegment memory, long offset, int length, int segmentSize, PacketBuffer scratch, Sink sink) {
        long room = scratch.memory().byteSize() - PacketBuffer.DEFAULT_HEADROOM;
        if (segmentSize <= 0 || segmentSize > room || length < 0) {
            return -1;
        }
        int count = 0;
        for (int at = 0; at < length; at += segmentSize) {
            int size = Math.min(segmentSize, length - at);
            PacketBuffer datagram = scratch.reset(PacketBuffer.DEFAULT_HEADROOM);
            MemorySegment.copy(memory, offset + at, datagram.memory(), datagram.start(), size);
            datagram.length(size);
            sink.accept(datagram);
            count++;
        }
        return count;
    }
}
