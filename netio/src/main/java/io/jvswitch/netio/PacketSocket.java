package io.jvswitch.netio;

import java.lang.foreign.ValueLayout;

/**
 * An {@code AF_PACKET SOCK_RAW} socket bound to one interface for {@code ETH_P_ALL}: how a "system" port (a veth end,
 * a NIC) is attached to the switch. Each received message is one whole Ethernet frame as the kernel saw it on the
 * interface, with {@code PACKET_AUXDATA}: whether its TCP/UDP checksum was left partial ({@link
 * MessageBatch#checksumNotReady} — a kernel sending over a veth with offload on does that, finish it with {@link
 * PartialChecksum}), and the VLAN tag the kernel took off it ({@link MessageBatch#hasVlan}: the receive path
 * strips 802.1Q tags before packet sockets see the frame; {@link MessageBatch#reinsertVlanTag} puts it back). Each
 * sent message is a whole frame that leaves by the interface.
 *
 * <p>Frames this host sends out of the interface, including the ones sent here, are not received ({@code
 * PACKET_IGNORE_OUTGOING}), as Open vSwitch filters them: the switch does not read back its own output. The socket is
 * bound with protocol 0 first and {@code ETH_P_ALL} at bind time, so it never queues frames of other interfaces.
 *
 * <p>Two things the kernel does that a datapath must expect:
 *
 * <ul>
 *   <li>Frames larger than the MTU. A veth passes GSO packets whole, so a TCP stream that the peer's kernel sends
 *       arrives as frames of tens of kilobytes (36 KB seen). A slot smaller than the frame gets what fits, with {@link
 *       MessageBatch#truncated} set and {@link MessageBatch#originalLength} telling the real length; size buffers for
 *       64 KB, or turn segmentation offload off on the sender's side ({@code ethtool -K IF tso off gso off}).
 *   <li>ENETDOWN once. When the interface goes down the socket gets a pending error: the next {@link #receive} throws
 *       a NativeException with {@link NativeException#errno()} ENETDOWN, later ones return 0, and once the interface
 *       is up again frames arrive on the same socket. Sends while it is down are refused with ENETDOWN.
 * </ul>
 *
 * <p>Needs CAP_NET_RAW. Non-blocking; the errno capture is per socket: one thread at a time calls it.
 */
public final class PacketSocket implements AutoCloseable {
    private static final int ETH_P_ALL = 0x0003;
    private static final int PACKET_ADD_MEMBERSHIP = 1;
    private static final int PACKET_DROP_MEMBERSHIP = 2;
    private static final int PACKET_AUXDATA = 8;
    private static final int PACKET_IGNORE_OUTGOING = 23;
    private static final int PACKET_MR_PROMISC = 1;

    private final SocketCore core;
    private final int interfaceIndex;

    private PacketSocket(SocketCore core, int interfaceIndex) {
        this.core = core;
        this.interfaceIndex = interfaceIndex;
    }

    /** Opens a packet socket on interface {@code name} in the calling thread's network namespace. */
    public static PacketSocket open(String name) throws NativeException {
        return open(Interfaces.index(name), name);
    }

    /** Opens a packet socket on the interface with this index. */
    public static PacketSocket open(int interfaceIndex) throws NativeException {
        return open(interfaceIndex, "ifindex " + interfaceIndex);
    }

    private static PacketSocket open(int interfaceIndex, String interfaceText) throws NativeException {
        // Protocol 0: no frame is queued before bind picks the interface.
        SocketCore core = SocketCore.open(
                SocketCore.AF_PACKET,
                SocketCore.SOCK_RAW,
                0,
                "socket AF_PACKET SOCK_RAW",
                "AF_PACKET " + interfaceText);
        try {
            core.setInt(SocketCore.SOL_PACKET, PACKET_AUXDATA, 1, "PACKET_AUXDATA");
            core.setInt(SocketCore.SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING");
            // struct sockaddr_ll { u16 sll_family; be16 sll_protocol; int sll_ifindex; u16 sll_hatype;
            // u8 sll_pkttype; u8 sll_halen; u8 sll_addr[8]; }
            core.scratch.fill((byte) 0);
            core.scratch.set(ValueLayout.JAVA_SHORT, 0, (short) SocketCore.AF_PACKET);
            core.scratch.set(MessageBatch.NET_SHORT, 2, (short) ETH_P_ALL);
            core.scratch.set(ValueLayout.JAVA_INT, 4, interfaceIndex);
            core.bind(20, "bind AF_PACKET " + interfaceText);
            return new PacketSocket(core, interfaceIndex);
        } catch (NativeException | RuntimeException e) {
            core.close();
            throw e;
        }
    }

    public int interfaceIndex() {
        return interfaceIndex;
    }

    /**
     * Receives up to {@code batch.slots()} frames without waiting: each from its Ethernet header (without the VLAN
     * tag the kernel took off), with its interface, packet type and auxdata.
     *
     * @return how many, 0 when none is waiting
     */
    public int receive(MessageBatch batch) throws NativeException {
        return core.receive(batch);
    }

    /**
     * Sends slots {@code [0, count)}, each a whole Ethernet frame, out of the interface (use {@link
     * MessageBatch#sendToBound}). A frame the kernel refuses (ENETDOWN, EMSGSIZE, ENOBUFS) has its errno in {@link
     * MessageBatch#error}.
     *
     * @return how many the kernel took
     */
    public int send(MessageBatch batch, int count) throws NativeException {
        return core.send(batch, count);
    }

    /** The error a slot's send met, naming this socket (for logs; allocates). */
    public NativeException sendFailure(MessageBatch batch, int slot) {
        return core.sendFailure(batch, slot, batch.error(slot));
    }

    /**
     * Makes the interface promiscuous for as long as this socket wants it ({@code PACKET_ADD_MEMBERSHIP} with {@code
     * PACKET_MR_PROMISC}): the kernel counts such requests ({@code ip -d link} shows {@code promiscuity N}) and drops
     * this one when the socket closes.
     */
    public void promiscuous(boolean on) throws NativeException {
        // struct packet_mreq { int mr_ifindex; unsigned short mr_type, mr_alen; unsigned char mr_address[8]; }
        core.scratch.fill((byte) 0);
        core.scratch.set(ValueLayout.JAVA_INT, 0, interfaceIndex);
        core.scratch.set(ValueLayout.JAVA_SHORT, 4, (short) PACKET_MR_PROMISC);
        core.setOption(
                SocketCore.SOL_PACKET,
                on ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP,
                16,
                "setsockopt " + (on ? "PACKET_ADD_MEMBERSHIP" : "PACKET_DROP_MEMBERSHIP") + " PACKET_MR_PROMISC on "
                        + core.description);
    }

    /** The file descriptor, for {@link Epoll}. */
    public int fd() {
        return core.fd;
    }

    @Override
    public String toString() {
        return core.description;
    }

    @Override
    public void close() {
        core.close();
    }
}
