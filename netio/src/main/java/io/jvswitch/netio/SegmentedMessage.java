package io.jvswitch.netio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * One {@code sendmsg(2)} of several IPv4 UDP datagrams at once, for a socket to cut apart ({@code UDP_SEGMENT}, the
 * kernel's UDP GSO): the datagrams' payloads are gathered back to back from the caller's buffers (one {@code iovec}
 * each), all {@link #segmentSize} bytes long but the last, which may be shorter; the kernel builds one skb, and the IP
 * and UDP headers of each datagram only where it is segmented (by a device without the offload, or never, when a
 * veth hands it to a socket with {@code UDP_GRO}). With it go the destination and the {@code IP_TOS} and {@code
 * IP_TTL} of every datagram, as cmsgs.
 *
 * <p>Laid out once in native memory; nothing allocates after construction. The buffers must stay alive until the send
 * returns. One thread at a time uses a message.
 */
public final class SegmentedMessage implements AutoCloseable {
    /** At most this many datagrams per message (the kernel's {@code UDP_MAX_SEGMENTS} is 64 or more). */
    public static final int MAX_SEGMENTS = 64;

    /** The most UDP payload one message carries: an IPv4 packet's 65535 bytes less its IP and UDP headers. */
    public static final int MAX_PAYLOAD = 65535 - 20 - 8;

    private static final int UDP_SEGMENT = 103;

    // A struct msghdr (MessageBatch's layout), then the sockaddr_in, the cmsgs and the iovecs.
    private static final long NAME = 64;
    private static final long CONTROL = 96;
    // Three cmsgs of CMSG_SPACE(2 or 4) = 24 bytes each: UDP_SEGMENT (u16), IP_TOS (int), IP_TTL (int).
    private static final int CMSG_SPACE = 24;
    private static final long CONTROL_LENGTH = 3 * CMSG_SPACE;
    private static final long IOVECS = CONTROL + CONTROL_LENGTH;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final MemorySegment[] segments = new MemorySegment[MAX_SEGMENTS];
    private final long[] offsets = new long[MAX_SEGMENTS];
    private final int[] lengths = new int[MAX_SEGMENTS];
    private int count;
    private int payload;
    private int segmentSize;
    private int destination;
    private int port;

    public SegmentedMessage() {
        memory = arena.allocate(IOVECS + (long) MAX_SEGMENTS * MessageBatch.IOVEC_SIZE, 8);
        long base = memory.address();
        memory.set(ValueLayout.JAVA_LONG, MessageBatch.MSG_NAME, base + NAME);
        memory.set(ValueLayout.JAVA_INT, MessageBatch.MSG_NAMELEN, 16);
        memory.set(ValueLayout.JAVA_LONG, MessageBatch.MSG_IOV, base + IOVECS);
        memory.set(ValueLayout.JAVA_LONG, MessageBatch.MSG_CONTROL, base + CONTROL);
        memory.set(ValueLayout.JAVA_LONG, MessageBatch.MSG_CONTROLLEN, CONTROL_LENGTH);
        cmsg(0, MessageBatch.SOL_UDP, UDP_SEGMENT, 2);
        cmsg(1, SocketCore.IPPROTO_IP, MessageBatch.IP_TOS, 4);
        cmsg(2, SocketCore.IPPROTO_IP, MessageBatch.IP_TTL, 4);
        ttl(64);
    }

    private void cmsg(int index, int level, int type, int dataLength) {
        long at = CONTROL + (long) index * CMSG_SPACE;
        memory.set(ValueLayout.JAVA_LONG, at, (long) MessageBatch.CMSG_HEADER + dataLength); // CMSG_LEN
        memory.set(ValueLayout.JAVA_INT, at + 8, level);
        memory.set(ValueLayout.JAVA_INT, at + 12, type);
    }

    /** Forgets the datagrams added so far (the destination and options stay). */
    public void clear() {
        for (int i = 0; i < count; i++) {
            segments[i] = null;
        }
        count = 0;
        payload = 0;
    }

    /** The destination of every datagram: an IPv4 address (198.18.0.2 is {@code 0xc6120002}) and UDP port. */
    public void destination(int address, int port) {
        Addresses.checkPort(port);
        this.destination = address;
        this.port = port;
        memory.set(ValueLayout.JAVA_SHORT, NAME, (short) SocketCore.AF_INET);
        memory.set(MessageBatch.NET_SHORT, NAME + 2, (short) port);
        memory.set(MessageBatch.NET_INT, NAME + 4, address);
        memory.set(ValueLayout.JAVA_LONG, NAME + 8, 0L);
    }

    /** The size of every datagram's payload but the last's ({@code UDP_SEGMENT}'s {@code gso_size}), 1 to 65507. */
    public void segmentSize(int size) {
        if (size < 1 || size > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a segment size is 1 to " + MAX_PAYLOAD + " bytes, not " + size);
        }
        segmentSize = size;
        memory.set(ValueLayout.JAVA_SHORT, CONTROL + MessageBatch.CMSG_HEADER, (short) size);
    }

    /** The IPv4 ToS byte (DSCP and ECN) of every datagram. */
    public void tos(int tos) {
        if (tos < 0 || tos > 255) {
            throw new IllegalArgumentException("a ToS byte is 0 to 255, not " + tos);
        }
        memory.set(ValueLayout.JAVA_INT, CONTROL + CMSG_SPACE + MessageBatch.CMSG_HEADER, tos);
    }

    /** The TTL of every datagram, 1 to 255. */
    public void ttl(int ttl) {
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("a TTL is 1 to 255, not " + ttl);
        }
        memory.set(ValueLayout.JAVA_INT, CONTROL + 2 * CMSG_SPACE + MessageBatch.CMSG_HEADER, ttl);
    }

    /**
     * Adds the next datagram's payload: {@code length} bytes of {@code segment} (native memory) from {@code offset}.
     * Every payload but the last must be {@link #segmentSize} long; the caller sees to it ({@link #fits} tells).
     *
     * @throws IllegalStateException when the message holds {@link #MAX_SEGMENTS} already or would pass {@link
     *     #MAX_PAYLOAD}
     */
    public void add(MemorySegment segment, long offset, int length) {
        MessageBatch.requireNative(segment);
        Objects.checkFromIndexSize(offset, length, segment.byteSize());
        if (!fits(length)) {
            throw new IllegalStateException("a segmented message holds " + MAX_SEGMENTS + " datagrams and "
                    + MAX_PAYLOAD + " bytes: " + count + " datagrams and " + payload + " bytes cannot take "
                    + length + " more");
        }
        long iovec = IOVECS + (long) count * MessageBatch.IOVEC_SIZE;
        memory.set(ValueLayout.JAVA_LONG, iovec, segment.address() + offset);
        memory.set(ValueLayout.JAVA_LONG, iovec + 8, length);
        segments[count] = segment;
        offsets[count] = offset;
        lengths[count] = length;
        count++;
        payload += length;
    }

    /** Whether one more payload of {@code length} bytes fits (datagram count and total size; not the sizes' rule). */
    public boolean fits(int length) {
        return count < MAX_SEGMENTS && length > 0 && payload + length <= MAX_PAYLOAD;
    }

    /** The number of datagrams added. */
    public int segments() {
        return count;
    }

    /** Their payloads' total length. */
    public int payloadLength() {
        return payload;
    }

    public int segmentSize() {
        return segmentSize;
    }

    /** Copies the payloads back to back, as the kernel will read them, to {@code to} at {@code at}. */
    public void gather(MemorySegment to, long at) {
        long position = at;
        for (int i = 0; i < count; i++) {
            MemorySegment.copy(segments[i], offsets[i], to, position, lengths[i]);
            position += lengths[i];
        }
    }

    /** The control data as the kernel will read it (three cmsgs), for tests. */
    byte[] control() {
        return memory.asSlice(CONTROL, CONTROL_LENGTH).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The {@code struct msghdr}, with the iovec count filled in. */
    MemorySegment header() {
        if (count == 0) {
            throw new IllegalStateException("a segmented message with no datagram");
        }
        if (segmentSize == 0) {
            throw new IllegalStateException("a segmented message needs a segment size");
        }
        memory.set(ValueLayout.JAVA_LONG, MessageBatch.MSG_IOVLEN, count);
        memory.set(ValueLayout.JAVA_INT, MessageBatch.MSG_FLAGS, 0);
        return memory;
    }

    String destinationText() {
        return Addresses.ipv4(destination, port);
    }

    @Override
    public void close() {
        arena.close();
    }
}
