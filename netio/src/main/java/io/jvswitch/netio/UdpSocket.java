package io.jvswitch.netio;

import java.lang.foreign.ValueLayout;

/**
 * A UDP socket, IPv4 or IPv6, for receiving tunnel packets: bound to 4789 it gets VXLAN, to 4754 GRE-in-UDP, each
 * message's payload starting at the VXLAN or GRE header. Each received message also tells its destination address,
 * ToS or traffic class and TTL or hop limit (the cmsgs {@code IP_PKTINFO}, {@code IP_RECVTOS}, {@code IP_RECVTTL} or
 * {@code IPV6_RECVPKTINFO}, {@code IPV6_RECVTCLASS}, {@code IPV6_RECVHOPLIMIT}, all enabled when it opens), which
 * decapsulation needs for ECN and the tunnel metadata. jvswitch sends its tunnel packets through a {@link RawIpSocket}
 * (it builds the outer headers itself); {@link #send} is here for the rest.
 *
 * <p>Non-blocking: {@link #receive} returns 0 when nothing waits; watch {@link #fd} with {@link Epoll}. An IPv6 socket
 * is IPv6-only ({@code IPV6_V6ONLY}), so an IPv4 and an IPv6 socket can share a port. A socket receives multicast only
 * for the groups it joined itself ({@code IP_MULTICAST_ALL} off), not for every group some socket of the host joined.
 * The errno capture is per socket: one thread at a time calls it.
 */
public final class UdpSocket implements AutoCloseable {
    private static final int SO_REUSEADDR = 2;
    private static final int IP_RECVTTL = 12;
    private static final int IP_RECVTOS = 13;
    private static final int IP_PKTINFO = 8;
    private static final int IP_ADD_MEMBERSHIP = 35;
    private static final int IP_DROP_MEMBERSHIP = 36;
    private static final int IP_MULTICAST_ALL = 49;
    private static final int IPV6_V6ONLY = 26;
    private static final int IPV6_JOIN_GROUP = 20;
    private static final int IPV6_LEAVE_GROUP = 21;
    private static final int IPV6_MULTICAST_ALL = 29;
    private static final int IPV6_RECVPKTINFO = 49;
    private static final int IPV6_RECVHOPLIMIT = 51;
    private static final int IPV6_RECVTCLASS = 66;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int IP_MTU_DISCOVER = 10;
    private static final int IP_PMTUDISC_DONT = 0;
    private static final int IP_PMTUDISC_DO = 2;

    private final SocketCore core;
    private final IpFamily family;

    private UdpSocket(SocketCore core, IpFamily family) {
        this.core = core;
        this.family = family;
    }

    /** Opens an unbound UDP socket in the calling thread's network namespace, with the receive cmsgs enabled. */
    public static UdpSocket open(IpFamily family) throws NativeException {
        String name = family == IpFamily.IPV4 ? "AF_INET" : "AF_INET6";
        SocketCore core = SocketCore.open(
                family.domain, SocketCore.SOCK_DGRAM, 0, "socket " + name + " SOCK_DGRAM", "UDP " + family);
        try {
            if (family == IpFamily.IPV4) {
                core.setInt(SocketCore.IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO");
                core.setInt(SocketCore.IPPROTO_IP, IP_RECVTOS, 1, "IP_RECVTOS");
                core.setInt(SocketCore.IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL");
                core.setInt(SocketCore.IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL");
            } else {
                core.setInt(SocketCore.IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
                core.setInt(SocketCore.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
                core.setInt(SocketCore.IPPROTO_IPV6, IPV6_RECVTCLASS, 1, "IPV6_RECVTCLASS");
                core.setInt(SocketCore.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
                core.setInt(SocketCore.IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0, "IPV6_MULTICAST_ALL");
            }
            return new UdpSocket(core, family);
        } catch (NativeException | RuntimeException e) {
            core.close();
            throw e;
        }
    }

    /**
     * Opens an IPv4 socket for {@linkplain #send(SegmentedMessage) segmented sends} from {@code address}:{@code port}
     * (the datagrams' source): bound there, with the smallest receive buffer the kernel allows, since it is not read
     * (a tunnel's peer answers on the tunnel's port, not on this one). UDP checksums stay on: the kernel refuses
     * {@code UDP_SEGMENT} on a socket with {@code SO_NO_CHECK}, and a device with checksum offload fills them in.
     *
     * @throws NativeException when the socket cannot be opened or bound (EADDRINUSE: the port is someone's)
     */
    public static UdpSocket openSegmentSender(int address, int port) throws NativeException {
        SocketCore core = SocketCore.open(
                SocketCore.AF_INET, SocketCore.SOCK_DGRAM, 0, "socket AF_INET SOCK_DGRAM", "UDP IPv4 sender");
        try {
            core.setInt(SocketCore.SOL_SOCKET, SO_RCVBUF, 1, "SO_RCVBUF");
            UdpSocket socket = new UdpSocket(core, IpFamily.IPV4);
            socket.bind(address, port);
            return socket;
        } catch (NativeException | RuntimeException e) {
            core.close();
            throw e;
        }
    }

    /**
     * Whether IPv4 datagrams leave with DF set and are never fragmented ({@code IP_MTU_DISCOVER} {@code
     * IP_PMTUDISC_DO}) or with DF clear ({@code IP_PMTUDISC_DONT}).
     */
    public void dontFragment(boolean on) throws NativeException {
        requireFamily(IpFamily.IPV4);
        core.setInt(
                SocketCore.IPPROTO_IP,
                IP_MTU_DISCOVER,
                on ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT,
                on ? "IP_MTU_DISCOVER IP_PMTUDISC_DO" : "IP_MTU_DISCOVER IP_PMTUDISC_DONT");
    }

    /**
     * {@code UDP_GRO}: the kernel may hand over several datagrams of one flow in one message, back to back, with
     * their size in {@link MessageBatch#segmentSize}; receive buffers must then hold 64 KB or the message is cut
     * ({@link MessageBatch#truncated}).
     */
    public void receiveCoalesced(boolean on) throws NativeException {
        core.setInt(MessageBatch.SOL_UDP, MessageBatch.UDP_GRO, on ? 1 : 0, "UDP_GRO");
    }

    /**
     * Asks for a receive buffer of {@code bytes} ({@code SO_RCVBUFFORCE}, past {@code net.core.rmem_max}, with
     * CAP_NET_ADMIN; else {@code SO_RCVBUF}, which the kernel caps there). Coalesced messages are charged 64 KB and
     * more each: the default buffer holds only a few.
     */
    public void receiveBuffer(int bytes) throws NativeException {
        try {
            core.setInt(SocketCore.SOL_SOCKET, SO_RCVBUFFORCE, bytes, "SO_RCVBUFFORCE");
        } catch (NativeException e) {
            if (e.errno() != Errno.EPERM) {
                throw e;
            }
            core.setInt(SocketCore.SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF");
        }
    }

    /**
     * Sends {@code message}'s datagrams in one {@code sendmsg} with {@code UDP_SEGMENT}, without waiting.
     *
     * @return 0 when the kernel took them all, else the errno that refused them all (EAGAIN: buffer full; EINVAL or
     *     EMSGSIZE: a datagram larger than the route's MTU with DF set, or a message the kernel cannot segment)
     * @throws NativeException when the socket itself is unusable (EBADF, ENOTSOCK, EFAULT)
     */
    public int send(SegmentedMessage message) throws NativeException {
        requireFamily(IpFamily.IPV4);
        return core.send(message);
    }

    public IpFamily family() {
        return family;
    }

    /**
     * {@code SO_REUSEADDR}, before {@link #bind}. Off by default, and best left off for a unicast tunnel port: on Linux
     * it lets two UDP sockets bind the same address and port, and unicast datagrams then reach only one of them, so a
     * second switch would silently steal traffic instead of failing with EADDRINUSE. Turn it on when several
     * listeners share a multicast group's port.
     */
    public void reuseAddress(boolean on) throws NativeException {
        core.setInt(SocketCore.SOL_SOCKET, SO_REUSEADDR, on ? 1 : 0, "SO_REUSEADDR");
    }

    /** Binds to an IPv4 address and port (port 0: the kernel picks one, see {@link #localPort}). */
    public void bind(int address, int port) throws NativeException {
        requireFamily(IpFamily.IPV4);
        Addresses.checkPort(port);
        core.writeSockaddr4(address, port);
        String text = Addresses.ipv4(address, port);
        core.bind(16, "bind " + text);
        core.description = "UDP " + text;
    }

    /** Binds to an IPv6 address (first and last 8 bytes) and port. */
    public void bind(long addressHigh, long addressLow, int port) throws NativeException {
        requireFamily(IpFamily.IPV6);
        Addresses.checkPort(port);
        core.writeSockaddr6(addressHigh, addressLow, port);
        String text = Addresses.ipv6(addressHigh, addressLow, port);
        core.bind(28, "bind " + text);
        core.description = "UDP " + text;
    }

    /** Binds to every address of the family ({@code 0.0.0.0} or {@code ::}) and {@code port}. */
    public void bindAny(int port) throws NativeException {
        if (family == IpFamily.IPV4) {
            bind(0, port);
        } else {
            bind(0L, 0L, port);
        }
    }

    /**
     * Connects to an IPv4 address and port: no packet is sent, but the kernel picks the route, and with it the source
     * address {@link #localAddress} then tells. A UDP socket can be connected again to another address; this is how
     * a switch asks the routing table which of its addresses faces a peer, as {@code ip route get} does.
     */
    public void connect(int address, int port) throws NativeException {
        requireFamily(IpFamily.IPV4);
        Addresses.checkPort(port);
        core.writeSockaddr4(address, port);
        core.connect(16, "connect " + core.description + " to " + Addresses.ipv4(address, port));
    }

    /** Connects to an IPv6 address (first and last 8 bytes) and port; see {@link #connect(int, int)}. */
    public void connect(long addressHigh, long addressLow, int port) throws NativeException {
        requireFamily(IpFamily.IPV6);
        Addresses.checkPort(port);
        core.writeSockaddr6(addressHigh, addressLow, port);
        core.connect(28, "connect " + core.description + " to " + Addresses.ipv6(addressHigh, addressLow, port));
    }

    /**
     * The interface multicast leaves by ({@code IP_MULTICAST_IF} with an {@code ip_mreqn}, {@code IPV6_MULTICAST_IF}):
     * with it a group needs no route, for sending and for {@link #connect}.
     */
    public void multicastInterface(int interfaceIndex) throws NativeException {
        core.multicastInterface(family, interfaceIndex);
    }

    /** The IPv4 address the socket is bound to, or that the route to its connected peer gave it (0: none yet). */
    public int localAddress() throws NativeException {
        requireFamily(IpFamily.IPV4);
        core.localName();
        return core.scratch.get(MessageBatch.NET_INT, 4);
    }

    /** The IPv6 address the socket is bound to or got from its route, as 16 bytes (all zero: none yet). */
    public byte[] localAddress6() throws NativeException {
        requireFamily(IpFamily.IPV6);
        core.localName();
        return core.scratch.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The port the socket is bound to. */
    public int localPort() throws NativeException {
        return core.localPort();
    }

    /**
     * Receives up to {@code batch.slots()} datagrams, without waiting, one per slot: payload, length, peer address
     * and port, and what the cmsgs told (destination address, ToS or traffic class, TTL or hop limit).
     *
     * @return how many were received, 0 when none is waiting
     */
    public int receive(MessageBatch batch) throws NativeException {
        return core.receive(batch);
    }

    /**
     * Sends slots {@code [0, count)} of {@code batch}, each to its {@link MessageBatch#sendTo destination}. A datagram
     * the kernel refuses has its errno in {@link MessageBatch#error}; see {@link #sendFailure}.
     *
     * @return how many the kernel took
     */
    public int send(MessageBatch batch, int count) throws NativeException {
        return core.send(batch, count);
    }

    /** The error a slot's send met, naming this socket and the slot's destination (for logs; allocates). */
    public NativeException sendFailure(MessageBatch batch, int slot) {
        return core.sendFailure(batch, slot, batch.error(slot));
    }

    /**
     * Joins an IPv4 multicast group on an interface ({@code IP_ADD_MEMBERSHIP} with an {@code ip_mreqn}); the kernel
     * sends the IGMP reports.
     */
    public void joinGroup(int group, int interfaceIndex) throws NativeException {
        membership4(IP_ADD_MEMBERSHIP, "IP_ADD_MEMBERSHIP", group, interfaceIndex);
    }

    public void leaveGroup(int group, int interfaceIndex) throws NativeException {
        membership4(IP_DROP_MEMBERSHIP, "IP_DROP_MEMBERSHIP", group, interfaceIndex);
    }

    /** Joins an IPv6 multicast group on an interface ({@code IPV6_JOIN_GROUP}); the kernel does MLD. */
    public void joinGroup(long groupHigh, long groupLow, int interfaceIndex) throws NativeException {
        membership6(IPV6_JOIN_GROUP, "IPV6_JOIN_GROUP", groupHigh, groupLow, interfaceIndex);
    }

    public void leaveGroup(long groupHigh, long groupLow, int interfaceIndex) throws NativeException {
        membership6(IPV6_LEAVE_GROUP, "IPV6_LEAVE_GROUP", groupHigh, groupLow, interfaceIndex);
    }

    private void membership4(int option, String name, int group, int interfaceIndex) throws NativeException {
        requireFamily(IpFamily.IPV4);
        // struct ip_mreqn { struct in_addr imr_multiaddr, imr_address; int imr_ifindex; }
        core.scratch.set(MessageBatch.NET_INT, 0, group);
        core.scratch.set(ValueLayout.JAVA_INT, 4, 0);
        core.scratch.set(ValueLayout.JAVA_INT, 8, interfaceIndex);
        core.setOption(
                SocketCore.IPPROTO_IP,
                option,
                12,
                "setsockopt " + name + " " + Addresses.ipv4(group) + " ifindex " + interfaceIndex + " on "
                        + core.description);
    }

    private void membership6(int option, String name, long high, long low, int interfaceIndex) throws NativeException {
        requireFamily(IpFamily.IPV6);
        // struct ipv6_mreq { struct in6_addr ipv6mr_multiaddr; int ipv6mr_interface; }
        core.scratch.set(MessageBatch.NET_LONG, 0, high);
        core.scratch.set(MessageBatch.NET_LONG, 8, low);
        core.scratch.set(ValueLayout.JAVA_INT, 16, interfaceIndex);
        core.setOption(
                SocketCore.IPPROTO_IPV6,
                option,
                20,
                "setsockopt " + name + " " + Addresses.ipv6(high, low) + " ifindex " + interfaceIndex + " on "
                        + core.description);
    }

    private void requireFamily(IpFamily expected) {
        if (family != expected) {
            throw new IllegalArgumentException(
                    "an " + family + " socket takes " + family + " addresses, not " + expected + " ones");
        }
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
