package io.jvswitch.netio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Up to {@link #MAX_SLOTS} messages for one {@code recvmmsg(2)} or {@code sendmmsg(2)}, laid out once in native
 * memory: the {@code struct mmsghdr} array, one {@code struct iovec} per slot, a socket address for the peer of a
 * received message and one for the destination of a sent one, and a control buffer for the ancillary data (cmsgs) the
 * socket was told to deliver.
 *
 * <p>Each slot points at a packet buffer of the caller's ({@link #buffer}): a native segment, an offset and a
 * capacity. A receive fills each slot it returns with the bytes at that offset, their {@link #length}, the peer
 * ({@link #peerAddress}, {@link #peerPort}, or for a packet socket {@link #interfaceIndex} and {@link #packetType}) and
 * what the cmsgs told: the destination address of the packet ({@code IP_PKTINFO}, {@code IPV6_PKTINFO}), its ToS or
 * traffic class ({@code IP_RECVTOS}, {@code IPV6_RECVTCLASS}), its TTL or hop limit ({@code IP_RECVTTL}, {@code
 * IPV6_RECVHOPLIMIT}), and for {@code AF_PACKET} the {@code PACKET_AUXDATA} status (checksum not ready, VLAN tag the
 * kernel took off). A send takes each slot's {@link #data} (by default what was received) to the slot's {@link
 * #sendTo destination}.
 *
 * <p>Nothing here allocates after construction: addresses come back as an {@code int} (IPv4, 198.18.0.1 being {@code
 * 0xc6120001}) or two {@code long}s (IPv6, the first and last 8 bytes, big-endian), absent values as -1. A batch is
 * used by one thread at a time. The buffers must stay alive while the batch refers to them: the kernel writes into
 * them.
 */
public final class MessageBatch implements AutoCloseable {
    /** {@code UIO_MAXIOV}: the kernel takes at most 1024 messages per call. */
    public static final int MAX_SLOTS = 1024;

    /**
     * Bytes of ancillary data each slot can take; what the sockets here enable needs at most 112 (IPv6's three and
     * {@code UDP_GRO}).
     */
    static final int CONTROL_SIZE = 128;

    // struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; } on LP64: 64 bytes.
    static final int MMSGHDR_SIZE = 64;
    static final long MSG_NAME = 0; // void *
    static final long MSG_NAMELEN = 8; // socklen_t
    static final long MSG_IOV = 16; // struct iovec *
    static final long MSG_IOVLEN = 24; // size_t
    static final long MSG_CONTROL = 32; // void *
    static final long MSG_CONTROLLEN = 40; // size_t
    static final long MSG_FLAGS = 48; // int
    private static final long MSG_LEN = 56; // unsigned int
    // struct iovec { void *iov_base; size_t iov_len; }
    static final int IOVEC_SIZE = 16;
    /** Room for a sockaddr_in (16), sockaddr_in6 (28) or sockaddr_ll (20). */
    static final int ADDRESS_SIZE = 32;

    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_TRUNC = 0x20;

    // Ancillary data: struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then the data, 8-aligned.
    static final int CMSG_HEADER = 16;
    static final int IP_TOS = 1;
    static final int IP_TTL = 2;
    private static final int IP_PKTINFO = 8;
    private static final int IPV6_PKTINFO = 50;
    private static final int IPV6_HOPLIMIT = 52;
    private static final int IPV6_TCLASS = 67;
    private static final int PACKET_AUXDATA = 8;
    static final int SOL_UDP = 17;
    static final int UDP_GRO = 104;

    /** {@code tpacket_auxdata.tp_status}: the sender left the TCP/UDP checksum partial (CHECKSUM_PARTIAL). */
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** {@code tp_status}: {@link #vlanTci} holds a VLAN tag the kernel took off the frame. */
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    /** {@code tp_status}: {@link #vlanTpid} is known (else the tag was 0x8100). */
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    /** {@code tp_status}: the checksum was verified (by hardware, or the sender was local and trusted). */
    public static final int TP_STATUS_CSUM_VALID = 1 << 7;

    /** {@code sll_pkttype} of a frame addressed to this host. */
    public static final int PACKET_HOST = 0;

    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    /** A frame for another host, seen because veths do not filter or the interface is promiscuous. */
    public static final int PACKET_OTHERHOST = 3;
    /** A frame this host sent (packet sockets here ignore these). */
    public static final int PACKET_OUTGOING = 4;

    private static final int HAS_PKTINFO = 1;
    private static final int HAS_AUXDATA = 2;

    static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong NET_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private final Arena arena = Arena.ofShared();
    private final int slots;
    /** All the native structures, in one segment: headers, iovecs, peers, destinations, control buffers. */
    private final MemorySegment memory;

    private final long base;
    private final long iovecs;
    private final long peers;
    private final long destinations;
    private final long controls;
    /** The header array from each slot on, for a sendmmsg that resumes after a refused message. */
    private final MemorySegment[] from;

    private final MemorySegment[] segments;
    private final long[] bufferAddress;
    private final long[] bufferOffset;
    private final int[] capacity;
    private final long[] offset;
    private final int[] length;
    private final int[] destinationLength;
    private final int[] messageFlags;
    private final int[] error;

    private final int[] reported;
    private final int[] destination4;
    private final long[] destinationHigh;
    private final long[] destinationLow;
    private final int[] interfaceIndex;
    private final int[] tos;
    private final int[] ttl;
    private final int[] status;
    private final int[] vlanTci;
    private final int[] vlanTpid;
    private final int[] originalLength;
    private final int[] networkOffset;
    private final int[] segmentSize;

    /** A batch of {@code slots} messages (1 to {@link #MAX_SLOTS}; the datapath uses 32). */
    public MessageBatch(int slots) {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException(
                    "a batch has 1 to " + MAX_SLOTS + " slots (the kernel's UIO_MAXIOV), not " + slots);
        }
        this.slots = slots;
        long headers = (long) slots * MMSGHDR_SIZE;
        this.iovecs = headers;
        this.peers = iovecs + (long) slots * IOVEC_SIZE;
        this.destinations = peers + (long) slots * ADDRESS_SIZE;
        this.controls = destinations + (long) slots * ADDRESS_SIZE;
        this.memory = arena.allocate(controls + (long) slots * CONTROL_SIZE, 8);
        this.base = memory.address();
        this.from = new MemorySegment[slots];
        for (int i = 0; i < slots; i++) {
            long header = (long) i * MMSGHDR_SIZE;
            memory.set(LONG, header + MSG_IOV, base + iovecs + (long) i * IOVEC_SIZE);
            memory.set(LONG, header + MSG_IOVLEN, 1L);
            from[i] = memory.asSlice(header, headers - header);
        }
        segments = new MemorySegment[slots];
        bufferAddress = new long[slots];
        bufferOffset = new long[slots];
        capacity = new int[slots];
        offset = new long[slots];
        length = new int[slots];
        destinationLength = new int[slots];
        messageFlags = new int[slots];
        error = new int[slots];
        reported = new int[slots];
        destination4 = new int[slots];
        destinationHigh = new long[slots];
        destinationLow = new long[slots];
        interfaceIndex = new int[slots];
        tos = new int[slots];
        ttl = new int[slots];
        status = new int[slots];
        vlanTci = new int[slots];
        vlanTpid = new int[slots];
        originalLength = new int[slots];
        networkOffset = new int[slots];
        segmentSize = new int[slots];
    }

    /** How many messages the batch holds. */
    public int slots() {
        return slots;
    }

    /**
     * Points {@code slot} at the packet buffer where a receive puts its message: {@code capacity} bytes of {@code
     * segment} from {@code offset}. Bytes before {@code offset} are headroom ({@link #reinsertVlanTag} uses 4 of them).
     * Also makes that the slot's {@link #data}, empty.
     *
     * @throws IllegalArgumentException if the segment is on the heap or read-only: the kernel reads and writes native
     *     memory only
     */
    public void buffer(int slot, MemorySegment segment, long offset, int capacity) {
        requireNative(segment);
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException("a receive buffer must be writable, not " + segment);
        }
        Objects.checkFromIndexSize(offset, capacity, segment.byteSize());
        segments[slot] = segment;
        bufferAddress[slot] = segment.address();
        bufferOffset[slot] = offset;
        this.capacity[slot] = capacity;
        this.offset[slot] = offset;
        this.length[slot] = 0;
    }

    /** The kernel reads and writes native memory only (the datapath's packet buffers are off-heap). */
    static void requireNative(MemorySegment buffer) {
        if (!buffer.isNative()) {
            throw new IllegalArgumentException(
                    "packet I/O needs native memory (an off-heap MemorySegment), not " + buffer);
        }
    }

    /** The slot's buffer segment, or null before {@link #buffer}. */
    public MemorySegment segment(int slot) {
        return segments[slot];
    }

    /** The slot's capacity for a receive. */
    public int capacity(int slot) {
        return capacity[slot];
    }

    /** Where the slot's message starts in its segment: the buffer offset after a receive. */
    public long offset(int slot) {
        return offset[slot];
    }

    /** The message's length: what a receive got (the part that fit, see {@link #truncated}), or what to send. */
    public int length(int slot) {
        return length[slot];
    }

    /** Sets what a send takes from the slot: {@code length} bytes of its buffer segment from {@code offset}. */
    public void data(int slot, long offset, int length) {
        MemorySegment segment = segments[slot];
        if (segment == null) {
            throw new IllegalStateException("slot " + slot + " has no buffer: call buffer() first");
        }
        Objects.checkFromIndexSize(offset, length, segment.byteSize());
        this.offset[slot] = offset;
        this.length[slot] = length;
    }

    /** Sends the slot's message to an IPv4 address and port (port 0 for a raw socket). */
    public void sendTo(int slot, int address, int port) {
        long at = destinations + (long) slot * ADDRESS_SIZE;
        memory.set(SHORT, at, (short) SocketCore.AF_INET);
        memory.set(NET_SHORT, at + 2, (short) port);
        memory.set(NET_INT, at + 4, address);
        memory.set(LONG, at + 8, 0L);
        destinationLength[slot] = 16;
    }

    /** Sends the slot's message to an IPv6 address and port (port 0 for a raw socket). */
    public void sendTo(int slot, long addressHigh, long addressLow, int port) {
        long at = destinations + (long) slot * ADDRESS_SIZE;
        memory.set(SHORT, at, (short) SocketCore.AF_INET6);
        memory.set(NET_SHORT, at + 2, (short) port);
        memory.set(INT, at + 4, 0); // flow info
        memory.set(NET_LONG, at + 8, addressHigh);
        memory.set(NET_LONG, at + 16, addressLow);
        memory.set(INT, at + 24, 0); // scope id
        destinationLength[slot] = 28;
    }

    /** Sends the slot's message with no address: a packet socket sends it out of the interface it is bound to. */
    public void sendToBound(int slot) {
        destinationLength[slot] = 0;
    }

    /** After a send, 0 if the kernel took the slot's message, else the errno that refused it. */
    public int error(int slot) {
        return error[slot];
    }

    /** The received message did not fit the slot's capacity: {@link #length} is what fit. */
    public boolean truncated(int slot) {
        return (messageFlags[slot] & MSG_TRUNC) != 0;
    }

    /** The ancillary data did not fit the control buffer: some of what the cmsgs tell may be missing. */
    public boolean controlTruncated(int slot) {
        return (messageFlags[slot] & MSG_CTRUNC) != 0;
    }

    // ---- the peer of a received message, read where the kernel wrote it ----

    /** {@code AF_INET} (2), {@code AF_INET6} (10) or {@code AF_PACKET} (17): which peer accessors apply. */
    public int peerFamily(int slot) {
        return Short.toUnsignedInt(memory.get(SHORT, peers + (long) slot * ADDRESS_SIZE));
    }

    /** The IPv4 source address. */
    public int peerAddress(int slot) {
        return memory.get(NET_INT, peers + (long) slot * ADDRESS_SIZE + 4);
    }

    /** The IPv6 source address, first 8 bytes. */
    public long peerAddressHigh(int slot) {
        return memory.get(NET_LONG, peers + (long) slot * ADDRESS_SIZE + 8);
    }

    /** The IPv6 source address, last 8 bytes. */
    public long peerAddressLow(int slot) {
        return memory.get(NET_LONG, peers + (long) slot * ADDRESS_SIZE + 16);
    }

    /** The UDP source port (0 for a raw socket). */
    public int peerPort(int slot) {
        return Short.toUnsignedInt(memory.get(NET_SHORT, peers + (long) slot * ADDRESS_SIZE + 2));
    }

    /**
     * The interface the message came in on: from {@code IP_PKTINFO}/{@code IPV6_PKTINFO} for IP sockets, from the
     * link-layer address for packet sockets; 0 when not told.
     */
    public int interfaceIndex(int slot) {
        return interfaceIndex[slot];
    }

    /** For a packet socket: {@link #PACKET_HOST}, {@link #PACKET_BROADCAST}, ... (sll_pkttype). */
    public int packetType(int slot) {
        return Byte.toUnsignedInt(memory.get(BYTE, peers + (long) slot * ADDRESS_SIZE + 10));
    }

    /** For a packet socket: the frame's EtherType as the kernel saw it, after any VLAN tag it removed. */
    public int linkProtocol(int slot) {
        return Short.toUnsignedInt(memory.get(NET_SHORT, peers + (long) slot * ADDRESS_SIZE + 2));
    }

    // ---- what the cmsgs told ----

    /** Whether {@code IP_PKTINFO} or {@code IPV6_PKTINFO} told the destination address. */
    public boolean hasDestination(int slot) {
        return (reported[slot] & HAS_PKTINFO) != 0;
    }

    /** The IPv4 destination of the packet (the group, for multicast), from {@code IP_PKTINFO}'s ipi_addr. */
    public int destinationAddress(int slot) {
        return destination4[slot];
    }

    /** The IPv6 destination of the packet, first 8 bytes, from {@code IPV6_PKTINFO}. */
    public long destinationAddressHigh(int slot) {
        return destinationHigh[slot];
    }

    /** The IPv6 destination of the packet, last 8 bytes. */
    public long destinationAddressLow(int slot) {
        return destinationLow[slot];
    }

    /** The IPv4 ToS or IPv6 traffic class byte (DSCP and ECN), or -1 when not told. */
    public int tos(int slot) {
        return tos[slot];
    }

    /** The IPv4 TTL or IPv6 hop limit, or -1 when not told. */
    public int ttl(int slot) {
        return ttl[slot];
    }

    /**
     * For a UDP socket receiving coalesced datagrams ({@link UdpSocket#receiveCoalesced}): the size of each datagram
     * the message holds back to back, all but the last, which may be shorter ({@code UDP_GRO}'s {@code gso_size}); 0
     * when the message is one datagram. The value is the kernel's, unchecked: it may be larger than the message.
     */
    public int segmentSize(int slot) {
        return segmentSize[slot];
    }

    /** Whether {@code PACKET_AUXDATA} came with the frame (packet sockets). */
    public boolean hasAuxdata(int slot) {
        return (reported[slot] & HAS_AUXDATA) != 0;
    }

    /**
     * {@code tpacket_auxdata.tp_status}: {@link #TP_STATUS_CSUMNOTREADY} and the other {@code TP_STATUS_} bits (bit 0,
     * {@code TP_STATUS_USER}, is always set on frames read this way).
     */
    public int packetStatus(int slot) {
        return status[slot];
    }

    /**
     * The sender left the TCP or UDP checksum partial (a kernel sending over a veth with checksum offload on): the
     * field holds only the pseudo-header sum. Finish it ({@link PartialChecksum}) before the frame leaves the host.
     */
    public boolean checksumNotReady(int slot) {
        return (status[slot] & TP_STATUS_CSUMNOTREADY) != 0;
    }

    /** Whether the kernel took a VLAN tag off the frame; {@link #vlanTci} and {@link #vlanTpid} tell it. */
    public boolean hasVlan(int slot) {
        return (status[slot] & TP_STATUS_VLAN_VALID) != 0;
    }

    /** The tag control information the kernel took off (priority, DEI, VLAN ID). */
    public int vlanTci(int slot) {
        return vlanTci[slot];
    }

    /** The tag's EtherType (0x8100, or 0x88a8 for 802.1ad). */
    public int vlanTpid(int slot) {
        return vlanTpid[slot];
    }

    /** The frame's length on the wire ({@code tp_len}): more than {@link #length} when truncated. */
    public int originalLength(int slot) {
        return originalLength[slot];
    }

    /** Where the network header starts, from the frame's start ({@code tp_net - tp_mac}), or -1 when not told. */
    public int networkOffset(int slot) {
        return networkOffset[slot];
    }

    /**
     * Puts back the VLAN tag the kernel took off a received frame ({@link #hasVlan}), as the frame was on the wire:
     * the two MAC addresses move 4 bytes back into the headroom, the tag goes after them, and the slot's {@link
     * #offset} and {@link #length} grow to include it. Allocates nothing.
     *
     * @throws IllegalStateException if there is no tag to reinsert, or fewer than 4 bytes of headroom
     */
    public void reinsertVlanTag(int slot) {
        if (!hasVlan(slot)) {
            throw new IllegalStateException("slot " + slot + " has no VLAN tag to reinsert");
        }
        long at = offset[slot];
        if (at < 4 || length[slot] < 12) {
            throw new IllegalStateException("slot " + slot
                    + " has no room for the VLAN tag: give receive buffers 4 bytes of headroom (offset >= 4)");
        }
        MemorySegment segment = segments[slot];
        MemorySegment.copy(segment, at, segment, at - 4, 12);
        segment.set(NET_SHORT, at + 8, (short) vlanTpid[slot]);
        segment.set(NET_SHORT, at + 10, (short) vlanTci[slot]);
        offset[slot] = at - 4;
        length[slot] += 4;
        status[slot] &= ~(TP_STATUS_VLAN_VALID | TP_STATUS_VLAN_TPID_VALID);
    }

    // ---- used by the sockets ----

    MemorySegment vector(int fromSlot) {
        return from[fromSlot];
    }

    /** Fills every header for a receive into the slots' buffers. */
    void prepareReceive() {
        for (int i = 0; i < slots; i++) {
            if (segments[i] == null) {
                throw new IllegalStateException("slot " + i + " has no buffer: call buffer() for every slot");
            }
            long header = (long) i * MMSGHDR_SIZE;
            memory.set(LONG, header + MSG_NAME, base + peers + (long) i * ADDRESS_SIZE);
            memory.set(INT, header + MSG_NAMELEN, ADDRESS_SIZE);
            memory.set(LONG, header + MSG_CONTROL, base + controls + (long) i * CONTROL_SIZE);
            memory.set(LONG, header + MSG_CONTROLLEN, CONTROL_SIZE);
            memory.set(INT, header + MSG_FLAGS, 0);
            long iovec = iovecs + (long) i * IOVEC_SIZE;
            memory.set(LONG, iovec, bufferAddress[i] + bufferOffset[i]);
            memory.set(LONG, iovec + 8, capacity[i]);
        }
    }

    /** Reads back what the kernel wrote for the first {@code count} slots. */
    void completeReceive(int count) {
        for (int i = 0; i < count; i++) {
            long header = (long) i * MMSGHDR_SIZE;
            offset[i] = bufferOffset[i];
            length[i] = memory.get(INT, header + MSG_LEN);
            messageFlags[i] = memory.get(INT, header + MSG_FLAGS);
            reported[i] = 0;
            tos[i] = -1;
            ttl[i] = -1;
            status[i] = 0;
            vlanTci[i] = 0;
            vlanTpid[i] = 0;
            originalLength[i] = length[i];
            networkOffset[i] = -1;
            segmentSize[i] = 0;
            long peer = peers + (long) i * ADDRESS_SIZE;
            interfaceIndex[i] = memory.get(SHORT, peer) == SocketCore.AF_PACKET ? memory.get(INT, peer + 4) : 0;
            long control = controls + (long) i * CONTROL_SIZE;
            long end = control + Math.min(memory.get(LONG, header + MSG_CONTROLLEN), CONTROL_SIZE);
            while (control + CMSG_HEADER <= end) {
                long cmsgLength = memory.get(LONG, control);
                if (cmsgLength < CMSG_HEADER || control + cmsgLength > end) {
                    break;
                }
                readCmsg(i, memory.get(INT, control + 8), memory.get(INT, control + 12), control + CMSG_HEADER);
                control += (cmsgLength + 7) & ~7L;
            }
        }
    }

    private void readCmsg(int i, int level, int type, long data) {
        if (level == SocketCore.IPPROTO_IP) {
            switch (type) {
                case IP_PKTINFO -> {
                    // struct in_pktinfo { int ipi_ifindex; struct in_addr ipi_spec_dst; struct in_addr ipi_addr; }
                    interfaceIndex[i] = memory.get(INT, data);
                    destination4[i] = memory.get(NET_INT, data + 8);
                    reported[i] |= HAS_PKTINFO;
                }
                case IP_TOS -> tos[i] = Byte.toUnsignedInt(memory.get(BYTE, data));
                case IP_TTL -> ttl[i] = memory.get(INT, data);
                default -> {}
            }
        } else if (level == SocketCore.IPPROTO_IPV6) {
            switch (type) {
                case IPV6_PKTINFO -> {
                    // struct in6_pktinfo { struct in6_addr ipi6_addr; int ipi6_ifindex; }
                    destinationHigh[i] = memory.get(NET_LONG, data);
                    destinationLow[i] = memory.get(NET_LONG, data + 8);
                    interfaceIndex[i] = memory.get(INT, data + 16);
                    reported[i] |= HAS_PKTINFO;
                }
                case IPV6_TCLASS -> tos[i] = memory.get(INT, data);
                case IPV6_HOPLIMIT -> ttl[i] = memory.get(INT, data);
                default -> {}
            }
        } else if (level == SOL_UDP && type == UDP_GRO) {
            segmentSize[i] = memory.get(INT, data);
        } else if (level == SocketCore.SOL_PACKET && type == PACKET_AUXDATA) {
            // struct tpacket_auxdata { u32 tp_status, tp_len, tp_snaplen; u16 tp_mac, tp_net, tp_vlan_tci,
            // tp_vlan_tpid; }
            int tpStatus = memory.get(INT, data);
            status[i] = tpStatus;
            originalLength[i] = memory.get(INT, data + 4);
            networkOffset[i] = Short.toUnsignedInt(memory.get(SHORT, data + 14))
                    - Short.toUnsignedInt(memory.get(SHORT, data + 12));
            if ((tpStatus & TP_STATUS_VLAN_VALID) != 0) {
                vlanTci[i] = Short.toUnsignedInt(memory.get(SHORT, data + 16));
                vlanTpid[i] = (tpStatus & TP_STATUS_VLAN_TPID_VALID) != 0
                        ? Short.toUnsignedInt(memory.get(SHORT, data + 18))
                        : 0x8100;
            }
            reported[i] |= HAS_AUXDATA;
        }
    }

    /** Fills the headers of slots {@code [0, count)} for a send of each slot's data to its destination. */
    void prepareSend(int count) {
        if (count < 0 || count > slots) {
            throw new IllegalArgumentException("cannot send " + count + " messages from a batch of " + slots);
        }
        prepareSend(0, count);
    }

    /** Fills the headers of slots {@code [from, to)} for a send of each slot's data to its destination. */
    void prepareSend(int from, int to) {
        if (from < 0 || to < from || to > slots) {
            throw new IllegalArgumentException(
                    "cannot send messages [" + from + ", " + to + ") from a batch of " + slots);
        }
        for (int i = from; i < to; i++) {
            if (segments[i] == null) {
                throw new IllegalStateException("slot " + i + " has no buffer: call buffer() and data() first");
            }
            long header = (long) i * MMSGHDR_SIZE;
            int nameLength = destinationLength[i];
            memory.set(LONG, header + MSG_NAME, nameLength == 0 ? 0L : base + destinations + (long) i * ADDRESS_SIZE);
            memory.set(INT, header + MSG_NAMELEN, nameLength);
            memory.set(LONG, header + MSG_CONTROL, 0L);
            memory.set(LONG, header + MSG_CONTROLLEN, 0L);
            memory.set(INT, header + MSG_FLAGS, 0);
            long iovec = iovecs + (long) i * IOVEC_SIZE;
            memory.set(LONG, iovec, bufferAddress[i] + offset[i]);
            memory.set(LONG, iovec + 8, length[i]);
            error[i] = 0;
        }
    }

    void error(int slot, int errno) {
        error[slot] = errno;
    }

    /** The destination of a slot, as text, for an error message (no port for raw sockets, which send to port 0). */
    String destinationText(int slot) {
        if (destinationLength[slot] == 0) {
            return "the bound interface";
        }
        long at = destinations + (long) slot * ADDRESS_SIZE;
        int port = Short.toUnsignedInt(memory.get(NET_SHORT, at + 2));
        if (memory.get(SHORT, at) == SocketCore.AF_INET) {
            int address = memory.get(NET_INT, at + 4);
            return port == 0 ? Addresses.ipv4(address) : Addresses.ipv4(address, port);
        }
        long high = memory.get(NET_LONG, at + 8);
        long low = memory.get(NET_LONG, at + 16);
        return port == 0 ? Addresses.ipv6(high, low) : Addresses.ipv6(high, low, port);
    }

    @Override
    public void close() {
        arena.close();
    }
}
