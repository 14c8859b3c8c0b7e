package io.jvswitch.netio;

/**
 * Raw IP sockets, the two ways jvswitch uses them.
 *
 * <p><b>Sending</b> ({@link #openSender}): {@code SOCK_RAW IPPROTO_RAW} with the IP header included ({@code
 * IP_HDRINCL}, {@code IPV6_HDRINCL}; Linux implies both for {@code IPPROTO_RAW}, and they are set anyway). jvswitch
 * builds each outer packet whole — source port hash, ToS, TTL, DF, ID, checksums — and every tunnel packet, GRE,
 * VXLAN and GRE-in-UDP alike, leaves through one of these, each message with a destination ({@link
 * MessageBatch#sendTo}, port 0) that picks the route and should be the header's destination. What the kernel changes
 * in a header-included send:
 *
 * <ul>
 *   <li>IPv4: it always writes the total length (the message's length) and the header checksum; it writes the source
 *       address only if it is 0 (the route's preferred source) and the identification only if it is 0 and DF is clear
 *       (with DF set an ID of 0 stays 0, as RFC 6864 allows). ToS, TTL, flags, options and payload go out as given.
 *       It never fragments: a packet longer than the route's MTU is refused (EMSGSIZE).
 *   <li>IPv6: nothing. Payload length, source address, traffic class, flow label and hop limit go out exactly as
 *       written; a wrong payload length makes the receiver drop the packet.
 * </ul>
 *
 * <p><b>Receiving</b> ({@link #openReceiver}), for GRE ({@link #PROTOCOL_GRE}): there is no GRE module in the kernels
 * jvswitch targets, jvswitch is the GRE implementation. An IPv4 socket receives each packet whole, from its IPv4
 * header (as received: the length field is not changed); an IPv6 socket receives from the GRE header on, with the
 * source in the peer address and the destination, traffic class and hop limit in cmsgs ({@code IPV6_RECVPKTINFO},
 * {@code IPV6_RECVTCLASS}, {@code IPV6_RECVHOPLIMIT}; an IPv4 one has {@code IP_PKTINFO}, {@code IP_RECVTOS} and
 * {@code IP_RECVTTL} on too, for the interface index). While such a socket is open the kernel no longer answers GRE
 * with ICMP "protocol unreachable".
 *
 * <p>Needs CAP_NET_RAW. Non-blocking; the errno capture is per socket: one thread at a time calls it.
 */
public final class RawIpSocket implements AutoCloseable {
    /** GRE, IP protocol 47. */
    public static final int PROTOCOL_GRE = 47;

    private static final int IPPROTO_RAW = 255;
    private static final int IP_HDRINCL = 3;
    private static final int IP_PKTINFO = 8;
    private static final int IP_RECVTTL = 12;
    private static final int IP_RECVTOS = 13;
    private static final int IP_MULTICAST_LOOP = 34;
    private static final int IPV6_MULTICAST_LOOP = 19;
    private static final int IPV6_HDRINCL = 36;
    private static final int IPV6_RECVPKTINFO = 49;
    private static final int IPV6_RECVHOPLIMIT = 51;
    private static final int IPV6_RECVTCLASS = 66;

    private final SocketCore core;
    private final IpFamily family;
    private final boolean sender;

    private RawIpSocket(SocketCore core, IpFamily family, boolean sender) {
        this.core = core;
        this.family = family;
        this.sender = sender;
    }

    /** A socket that sends whole IP packets, header included, built by the caller. */
    public static RawIpSocket openSender(IpFamily family) throws NativeException {
        SocketCore core = SocketCore.open(
                family.domain,
                SocketCore.SOCK_RAW,
                IPPROTO_RAW,
                "socket " + domainName(family) + " SOCK_RAW IPPROTO_RAW",
                "raw " + family + " sender");
        try {
            if (family == IpFamily.IPV4) {
                core.setInt(SocketCore.IPPROTO_IP, IP_HDRINCL, 1, "IP_HDRINCL");
            } else {
                core.setInt(SocketCore.IPPROTO_IPV6, IPV6_HDRINCL, 1, "IPV6_HDRINCL");
            }
            return new RawIpSocket(core, family, true);
        } catch (NativeException | RuntimeException e) {
            core.close();
            throw e;
        }
    }

    /** A socket that receives every packet of IP {@code protocol} (1 to 254) that reaches this network namespace. */
    public static RawIpSocket openReceiver(IpFamily family, int protocol) throws NativeException {
        if (protocol < 1 || protocol >= IPPROTO_RAW) {
            throw new IllegalArgumentException("a receiving raw socket takes an IP protocol from 1 to 254, not "
                    + protocol + " (IPPROTO_RAW sockets never receive)");
        }
        SocketCore core = SocketCore.open(
                family.domain,
                SocketCore.SOCK_RAW,
                protocol,
                "socket " + domainName(family) + " SOCK_RAW " + protocol,
                "raw " + family + " protocol " + protocol);
        try {
            if (family == IpFamily.IPV4) {
                core.setInt(SocketCore.IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO");
                core.setInt(SocketCore.IPPROTO_IP, IP_RECVTOS, 1, "IP_RECVTOS");
                core.setInt(SocketCore.IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL");
            } else {
                core.setInt(SocketCore.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
                core.setInt(SocketCore.IPPROTO_IPV6, IPV6_RECVTCLASS, 1, "IPV6_RECVTCLASS");
                core.setInt(SocketCore.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
            }
            return new RawIpSocket(core, family, false);
        } catch (NativeException | RuntimeException e) {
            core.close();
            throw e;
        }
    }

    private static String domainName(IpFamily family) {
        return family == IpFamily.IPV4 ? "AF_INET" : "AF_INET6";
    }

    public IpFamily family() {
        return family;
    }

    /**
     * Receives up to {@code batch.slots()} packets without waiting (IPv4: from the IP header; IPv6: from the header
     * after the IPv6 header and its extensions).
     *
     * @return how many, 0 when none is waiting
     * @throws IllegalStateException on a sending socket, which never receives
     */
    public int receive(MessageBatch batch) throws NativeException {
        if (sender) {
            throw new IllegalStateException("a sending raw socket (IPPROTO_RAW) never receives: open a receiver");
        }
        return core.receive(batch);
    }

    /**
     * Sends slots {@code [0, count)}, each a whole IP packet, to its {@link MessageBatch#sendTo destination} (port 0).
     * A packet the kernel refuses (EMSGSIZE, ENETUNREACH, ...) has its errno in {@link MessageBatch#error}.
     *
     * @return how many the kernel took
     */
    public int send(MessageBatch batch, int count) throws NativeException {
        return core.send(batch, count);
    }

    /** As {@link #send(MessageBatch, int)}, for slots {@code [from, from + count)}. */
    public int send(MessageBatch batch, int from, int count) throws NativeException {
        return core.send(batch, from, count);
    }

    /** The error a slot's send met, naming this socket and the slot's destination (for logs; allocates). */
    public NativeException sendFailure(MessageBatch batch, int slot) {
        return core.sendFailure(batch, slot, batch.error(slot));
    }

    /**
     * The interface multicast packets leave by ({@code IP_MULTICAST_IF} with an {@code ip_mreqn}, {@code
     * IPV6_MULTICAST_IF}); with it a group needs no route.
     */
    public void multicastInterface(int interfaceIndex) throws NativeException {
        core.multicastInterface(family, interfaceIndex);
    }

    /** Whether multicast packets sent here are also delivered to this host's own members (on by default). */
    public void multicastLoop(boolean on) throws NativeException {
        if (family == IpFamily.IPV4) {
            core.setInt(SocketCore.IPPROTO_IP, IP_MULTICAST_LOOP, on ? 1 : 0, "IP_MULTICAST_LOOP");
        } else {
            core.setInt(SocketCore.IPPROTO_IPV6, IPV6_MULTICAST_LOOP, on ? 1 : 0, "IPV6_MULTICAST_LOOP");
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
