package io.jvswitch.datapath.io;

import io.jvswitch.netio.MessageBatch;
import io.jvswitch.netio.NativeException;
import io.jvswitch.netio.RawIpSocket;
import io.jvswitch.netio.SegmentedMessage;
import io.jvswitch.netio.UdpSocket;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Ipv4Address;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Tunnel packets waiting to leave through one raw IP socket, sent together by one {@code sendmmsg}: a batch received
 * from TAP devices goes out in one system call instead of one each. Each packet is copied into a slot of staging
 * memory when queued, because the datapath reuses its buffer as soon as {@code send} returns; a copy of a frame costs
 * far less than the system call it saves.
 *
 * <p><b>UDP GSO.</b> With {@link SegmentSenders} (IPv4), consecutive queued packets that are UDP datagrams of one
 * tunnel flow — same source and destination address and port, ToS, TTL and DF, no IP options, not fragments, every
 * payload as long as the first but the last, which may be shorter — leave as one {@code sendmsg} with {@code
 * UDP_SEGMENT} on a UDP socket bound to their source (VXLAN, GRE-in-UDP: a TAP's TCP super-frame cut into segments
 * becomes such a run). The kernel then moves one 64 KB skb through the underlay instead of ~45, and builds each
 * datagram's IP and UDP header (checksum included) only where it is segmented. The payloads are gathered from the
 * slots where they wait; order is kept (what was queued before a run leaves before it). Whatever does not fit — a
 * single packet, a multicast destination, a source that cannot be bound, a send the kernel refuses — leaves by the raw
 * socket exactly as without GSO, so a packet is never lost to the fast path, and the raw path's counting of refused
 * packets applies to it unchanged.
 */
final class SendQueue implements AutoCloseable {
    /** At most this many packets wait: room for two TAP super-frames' segments, so that a run is rarely cut. */
    static final int SLOTS = 128;

    private static final int IPV4 = 20;
    private static final int UDP = 8;
    private static final int PROTOCOL_UDP = 17;

    private final RawIpSocket socket;
    /** The UDP GSO sockets, or null: raw sends only. */
    private final SegmentSenders senders;

    private final SegmentedMessage message;
    private final int slotSize;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment staging;
    private final MessageBatch batch = new MessageBatch(SLOTS);
    private int queued;
    private int lastErrno;
    private long gsoSends;
    private long gsoSegments;
    private long gsoFallbacks;
    private int lastGsoErrno;

    /** @param slotSize the largest IP packet a slot holds: the underlay's MTU */
    SendQueue(RawIpSocket socket, int slotSize) {
        this(socket, slotSize, null);
    }

    /**
     * @param slotSize the largest IP packet a slot holds: the underlay's MTU
     * @param senders UDP GSO sockets for runs of IPv4 UDP datagrams of one flow, or null for raw sends only
     */
    SendQueue(RawIpSocket socket, int slotSize, SegmentSenders senders) {
        this.socket = socket;
        this.slotSize = slotSize;
        this.senders = senders;
        this.message = senders == null ? null : new SegmentedMessage();
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
     * Sends what is queued: runs of one UDP flow's datagrams as one GSO message each (when there are {@link
     * SegmentSenders}), everything else, in order around them, by {@code sendmmsg} on the raw socket.
     *
     * @return how many packets the kernel refused ({@link #lastErrno} says why)
     */
    int flush() {
        int count = queued;
        if (count == 0) {
            return 0;
        }
        queued = 0;
        if (senders == null) {
            return sendRaw(0, count);
        }
        int refused = 0;
        int rawFrom = 0;
        int slot = 0;
        while (slot < count) {
            int run = runLength(slot, count);
            if (run < 2) {
                slot++;
                continue;
            }
            refused += sendRaw(rawFrom, slot);
            if (!sendSegmented(slot, run)) {
                gsoFallbacks++;
                refused += sendRaw(slot, slot + run);
            }
            slot += run;
            rawFrom = slot;
        }
        return refused + sendRaw(rawFrom, count);
    }

    /**
     * How many packets from {@code first} (before {@code end}) one GSO message can carry: 0 when the first is not a
     * UDP datagram that can go that way, else 1 and each following datagram of the same flow and ToS, TTL and DF,
     * while the sizes allow (each as long as the first, the last possibly shorter) and the message has room.
     */
    int runLength(int first, int end) {
        long at = slotOffset(first);
        int size = payload(first, at);
        if (size <= 0) {
            return 0;
        }
        int destination = Bytes.u32(staging, at + 16);
        if (Ipv4Address.isMulticast(destination) || destination == -1) {
            return 0; // multicast and broadcast keep the raw socket's interface and loop settings
        }
        int total = size;
        int run = 1;
        int last = size;
        while (first + run < end && run < SegmentedMessage.MAX_SEGMENTS && last == size) {
            int slot = first + run;
            long next = slotOffset(slot);
            int length = payload(slot, next);
            if (length <= 0 || length > size || total + length > SegmentedMessage.MAX_PAYLOAD || !sameFlow(at, next)) {
                break;
            }
            total += length;
            last = length;
            run++;
        }
        return run;
    }

    private long slotOffset(int slot) {
        return (long) slot * slotSize;
    }

    /** The UDP payload length of the queued packet at {@code at}, or -1 if it is not a plain IPv4 UDP datagram. */
    private int payload(int slot, long at) {
        int length = batch.length(slot);
        if (length < IPV4 + UDP
                || Bytes.u8(staging, at) != 0x45 // IPv4 without options
                || Bytes.u8(staging, at + 9) != PROTOCOL_UDP
                || (Bytes.u16(staging, at + 6) & 0x3fff) != 0 // a fragment
                || Bytes.u16(staging, at + 2) != length
                || Bytes.u16(staging, at + IPV4 + 4) != length - IPV4
                || Bytes.u8(staging, at + 8) == 0) {
            return -1;
        }
        return length - IPV4 - UDP;
    }

    /** Same ToS, DF, TTL, addresses and ports. */
    private boolean sameFlow(long a, long b) {
        return Bytes.u8(staging, a + 1) == Bytes.u8(staging, b + 1)
                && (Bytes.u16(staging, a + 6) & 0x4000) == (Bytes.u16(staging, b + 6) & 0x4000)
                && Bytes.u8(staging, a + 8) == Bytes.u8(staging, b + 8)
                && Bytes.u64(staging, a + 12) == Bytes.u64(staging, b + 12)
                && Bytes.u32(staging, a + IPV4) == Bytes.u32(staging, b + IPV4);
    }

    /** Sends slots {@code [first, first + run)} as one GSO message; false when it could not (nothing was sent). */
    private boolean sendSegmented(int first, int run) {
        long at = slotOffset(first);
        int source = Bytes.u32(staging, at + 12);
        int sourcePort = Bytes.u16(staging, at + IPV4);
        boolean df = (Bytes.u16(staging, at + 6) & 0x4000) != 0;
        UdpSocket sender = senders.socket(source, sourcePort, df);
        if (sender == null) {
            return false;
        }
        prepare(first, run);
        int errno;
        try {
            errno = sender.send(message);
        } catch (NativeException e) {
            senders.failed(sender);
            errno = e.errno();
        }
        if (errno != 0) {
            lastGsoErrno = errno;
            return false;
        }
        gsoSends++;
        gsoSegments += run;
        return true;
    }

    /** Fills the GSO message with slots {@code [first, first + run)}: their payloads, destination, ToS and TTL. */
    void prepare(int first, int run) {
        long at = slotOffset(first);
        message.clear();
        message.destination(Bytes.u32(staging, at + 16), Bytes.u16(staging, at + IPV4 + 2));
        message.segmentSize(batch.length(first) - IPV4 - UDP);
        message.tos(Bytes.u8(staging, at + 1));
        message.ttl(Bytes.u8(staging, at + 8));
        for (int slot = first; slot < first + run; slot++) {
            message.add(staging, slotOffset(slot) + IPV4 + UDP, batch.length(slot) - IPV4 - UDP);
        }
    }

    /** The GSO message as {@link #prepare} left it (for tests). */
    SegmentedMessage message() {
        return message;
    }

    /** Slots {@code [from, to)} by {@code sendmmsg} on the raw socket; returns how many the kernel refused. */
    private int sendRaw(int from, int to) {
        if (to <= from) {
            return 0;
        }
        try {
            socket.send(batch, from, to - from);
        } catch (NativeException e) {
            lastErrno = e.errno();
            return to - from;
        }
        int refused = 0;
        for (int slot = from; slot < to; slot++) {
            int errno = batch.error(slot);
            if (errno != 0) {
                refused++;
                lastErrno = errno;
            }
        }
        return refused;
    }

    /** GSO messages sent so far. */
    long gsoSends() {
        return gsoSends;
    }

    /** The datagrams they carried. */
    long gsoSegments() {
        return gsoSegments;
    }

    /** Runs that took the raw path after all (no socket for their source, or the kernel refused the GSO send). */
    long gsoFallbacks() {
        return gsoFallbacks;
    }

    /** The errno of the last refused GSO send, 0 if none. */
    int lastGsoErrno() {
        return lastGsoErrno;
    }

    /** The errno of the last refused packet, 0 if none. */
    int lastErrno() {
        return lastErrno;
    }

    @Override
    public void close() {
        if (message != null) {
            message.close();
        }
        batch.close();
        arena.close();
    }
}
