package io.jvswitch.datapath.io;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.Underlay;
import io.jvswitch.netio.Interfaces;
import io.jvswitch.netio.IpFamily;
import io.jvswitch.netio.MessageBatch;
import io.jvswitch.netio.NativeException;
import io.jvswitch.netio.RawIpSocket;
import io.jvswitch.netio.UdpSocket;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.PacketBuffer;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The real underlay: tunnel packets go out and come in through the kernel's sockets, in the network namespace of the
 * thread that {@linkplain #open opens} it (the {@link EpollForwarder} does, on its own thread).
 *
 * <p><b>Sending.</b> The datapath hands over a whole outer frame (Ethernet, IP, then UDP or GRE) built from its header
 * template, IPv4 header checksum and UDP checksum (or zero) included. The Ethernet header is dropped and the IP packet
 * goes out of a raw socket with the header included ({@code IP_HDRINCL}): the kernel routes it and resolves the next
 * hop's MAC, so {@link #localMac} and {@link #nextHopMac} are placeholders. Multicast (a VXLAN group) leaves by the
 * configured device, and is not looped back to this host.
 *
 * <p><b>Receiving.</b> A UDP socket per tunnel port number (VXLAN 4789 and GRE-in-UDP 4754 by default) and a raw
 * socket for IP protocol 47: this kernel has no GRE module, jvswitch is the GRE implementation, and a raw socket gets
 * every GRE packet that reaches the namespace. The datapath decapsulates whole outer frames, so the headers the kernel
 * consumed are written back in front of the payload, in the packet buffer's headroom — Ethernet, then IP (from the
 * peer address, the destination, ToS and TTL the socket reported) and UDP (checksum 0: the kernel checked it) — and
 * the payload is never copied. An IPv4 raw socket delivers the IP header itself, so GRE gets only an Ethernet header.
 *
 * <p><b>UDP offloads</b> (on unless {@link #udpOffloads(boolean) turned off} before opening). Sending: runs of one
 * IPv4 UDP tunnel flow's packets — a TAP's TCP super-frame cut into segments, encapsulated — leave as one UDP GSO
 * message from a UDP socket bound to their source address and port ({@link SendQueue}, {@link SegmentSenders});
 * everything else, and anything that cannot go that way, leaves by the raw socket as above. Those datagrams carry a
 * UDP checksum, which the kernel (or the device's offload) computes even for a tunnel with {@code csum=false}: the
 * kernel refuses GSO on a socket without checksums, and RFC 7348 and RFC 8086 have receivers accept either. Receiving:
 * the UDP sockets have {@code UDP_GRO} on, so a GSO packet from the peer (or datagrams the kernel coalesced) arrives
 * as one message of up to 64 KB, which the forwarder cuts back into datagrams, each copied into a pool buffer with
 * headroom for the headers above ({@link UdpGroSplitter}). {@link
 * #offloadCounters} counts both ways.
 *
 * <p>Everything but construction and {@link #close} runs on the datapath's thread.
 */
public final class SocketUnderlay implements Underlay {
    private static final System.Logger LOG = System.getLogger(SocketUnderlay.class.getName());

    private static final int ETHERNET = 14;
    private static final int IPV4 = 20;
    private static final int IPV6 = 40;
    private static final int UDP = 8;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int PROTOCOL_UDP = 17;
    private static final int PROTOCOL_GRE = 47;
    private static final int DEFAULT_TTL = 64;
    /** A UDP receive socket's buffer with UDP GRO: a few dozen coalesced messages of up to 64 KB. */
    private static final int RECEIVE_BUFFER = 4 << 20;

    /**
     * How the underlay is set up.
     *
     * @param device the underlay interface (for multicast joins and multicast sends), or null for none
     * @param localIp the tunnels' source when a port has no {@code local_ip}, or null to ask the routing table; it also
     *     becomes the destination of received packets when the kernel does not tell it
     * @param mtu the largest IP packet the underlay carries
     * @param udpPorts the UDP ports to receive tunnel packets on (VXLAN, GRE-in-UDP)
     * @param ipv6 whether to send and receive IPv6 tunnel packets too
     */
    public record Settings(String device, InetAddress localIp, int mtu, List<Integer> udpPorts, boolean ipv6) {
        public Settings {
            if (mtu < 576 || mtu > 65535) {
                throw new IllegalArgumentException("underlay MTU " + mtu + " is not between 576 and 65535");
            }
            udpPorts = List.copyOf(udpPorts);
            for (int port : udpPorts) {
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("UDP port " + port + " is not between 1 and 65535");
                }
            }
            if (device != null) {
                Interfaces.checkName(device);
            }
        }

        /**
         * IPv4 on {@code device} (may be null), MTU 1500, receiving VXLAN on 4789 and GRE-in-UDP on 4754, sources by
         * route.
         */
        public static Settings ipv4(String device) {
            return new Settings(
                    device,
                    null,
                    1500,
                    List.of(TunnelType.VXLAN.defaultPort(), TunnelType.GRE_UDP.defaultPort()),
                    false);
        }

        public Settings withLocalIp(InetAddress address) {
            return new Settings(device, address, mtu, udpPorts, ipv6);
        }

        public Settings withMtu(int newMtu) {
            return new Settings(device, localIp, newMtu, udpPorts, ipv6);
        }

        public Settings withUdpPorts(List<Integer> ports) {
            return new Settings(device, localIp, mtu, ports, ipv6);
        }

        public Settings withIpv6(boolean on) {
            return new Settings(device, localIp, mtu, udpPorts, on);
        }
    }

    /** One socket tunnel packets arrive on, as the datapath thread watches and reads it. */
    abstract static sealed class Receiver permits UdpReceiver, GreReceiver {
        abstract int fd();

        /** Receives up to a batch without waiting. */
        abstract int receive(MessageBatch batch) throws NativeException;

        /**
         * Makes slot {@code slot}'s payload, received at {@code packet}'s start, a whole outer frame: the headers the
         * kernel consumed are written in front of it, in the headroom.
         */
        abstract void restoreHeaders(MessageBatch batch, int slot, PacketBuffer packet);

        abstract void close();
    }

    private final Settings settings;
    private final Set<InetAddress> groups = new LinkedHashSet<>();
    private final Map<InetAddress, InetAddress> sources = new HashMap<>();
    private final Map<InetAddress, Long> noRouteUntil = new HashMap<>();
    private static final long NO_ROUTE_RETRY_NANOS = 1_000_000_000L;
    private final List<Receiver> receivers = new ArrayList<>();
    private final List<UdpSocket> udpSockets = new ArrayList<>();

    private Datapath datapath;
    private boolean open;
    private int deviceIndex;
    private RawIpSocket sender4;
    private RawIpSocket sender6;
    private UdpSocket route4;
    private UdpSocket route6;
    private MessageBatch send;
    private SendQueue queue4;
    private SendQueue queue6;
    private long sendFailures;
    private int lastSendErrno;
    private boolean udpOffloads = true;
    private SegmentSenders segmentSenders;
    private long groMessages;
    private long groSegments;
    /** The counters as they were when the underlay closed (its queue goes with it). */
    private OffloadCounters closedCounters;

    public SocketUnderlay(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.localIp() != null && settings.localIp() instanceof Inet6Address && !settings.ipv6()) {
            throw new IllegalArgumentException("local address "
                    + settings.localIp().getHostAddress() + " is IPv6 but the underlay is IPv4 only: enable IPv6");
        }
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Turns UDP GSO on send and UDP GRO on receive on (the default) or off; takes effect at {@link #open}.
     *
     * @return this underlay
     */
    public SocketUnderlay udpOffloads(boolean on) {
        if (open) {
            throw new IllegalStateException("UDP offloads are chosen before the underlay opens");
        }
        this.udpOffloads = on;
        return this;
    }

    /** Whether UDP GSO and GRO are used (see {@link #udpOffloads(boolean)}). */
    public boolean udpOffloads() {
        return udpOffloads;
    }

    /**
     * Opens the sockets in the calling thread's network namespace and joins the groups asked for so far. Drops are
     * counted in {@code countsIn}. Called by the {@link EpollForwarder} on its thread.
     */
    void open(Datapath countsIn) throws NativeException {
        if (open) {
            throw new IllegalStateException("the underlay is open already");
        }
        this.datapath = countsIn;
        try {
            deviceIndex = settings.device() == null ? 0 : Interfaces.index(settings.device());
            send = new MessageBatch(1);
            sender4 = RawIpSocket.openSender(IpFamily.IPV4);
            segmentSenders = udpOffloads ? new SegmentSenders() : null;
            queue4 = new SendQueue(sender4, settings.mtu(), segmentSenders);
            route4 = UdpSocket.open(IpFamily.IPV4);
            configureMulticast(sender4, route4);
            openReceivers(IpFamily.IPV4);
            if (settings.ipv6()) {
                sender6 = RawIpSocket.openSender(IpFamily.IPV6);
                queue6 = new SendQueue(sender6, settings.mtu());
                route6 = UdpSocket.open(IpFamily.IPV6);
                configureMulticast(sender6, route6);
                openReceivers(IpFamily.IPV6);
            }
            open = true;
            for (InetAddress group : groups) {
                membership(group, true);
            }
        } catch (NativeException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void configureMulticast(RawIpSocket sender, UdpSocket route) throws NativeException {
        // Our own group packets must not come back to our receive sockets: we would learn our VMs' MACs on the tunnel.
        sender.multicastLoop(false);
        if (deviceIndex != 0) {
            sender.multicastInterface(deviceIndex);
            route.multicastInterface(deviceIndex); // so that a source lookup towards a group needs no route
        }
    }

    private void openReceivers(IpFamily family) throws NativeException {
        for (int port : settings.udpPorts()) {
            UdpSocket socket = UdpSocket.open(family);
            udpSockets.add(socket);
            if (udpOffloads) {
                socket.receiveCoalesced(true);
                socket.receiveBuffer(RECEIVE_BUFFER);
            }
            // Bound to every address: packets to a multicast group must reach it too.
            socket.bindAny(port);
            receivers.add(new UdpReceiver(socket, port, family));
        }
        receivers.add(new GreReceiver(RawIpSocket.openReceiver(family, PROTOCOL_GRE), family));
    }

    /** The sockets to watch, once open. */
    List<Receiver> receivers() {
        return List.copyOf(receivers);
    }

    public boolean isOpen() {
        return open;
    }

    // ---- sending ----

    @Override
    public void send(MemorySegment segment, long offset, int length) {
        if (!open) {
            datapath.countDrop(IoDrop.UNDERLAY_NOT_OPEN);
            return;
        }
        if (length < ETHERNET + IPV4) {
            datapath.countDrop(IoDrop.UNDERLAY_NOT_IP);
            return;
        }
        long ip = offset + ETHERNET;
        int ipLength = length - ETHERNET;
        switch (Bytes.u16(segment, offset + 12)) {
            case ETHERTYPE_IPV4 -> {
                int destination = Bytes.u32(segment, ip + 16);
                if (queue4.fits(ipLength)) {
                    refused(queue4.add(segment, ip, ipLength, destination), queue4.lastErrno());
                } else {
                    refused(queue4.flush(), queue4.lastErrno()); // what waits leaves first: no overtaking
                    send.buffer(0, segment, ip, ipLength);
                    send.sendTo(0, destination, 0);
                    sendAlone(sender4, ip, ipLength);
                }
            }
            case ETHERTYPE_IPV6 -> {
                if (sender6 == null) {
                    datapath.countDrop(IoDrop.UNDERLAY_NO_IPV6);
                    return;
                }
                if (ipLength < IPV6) {
                    datapath.countDrop(IoDrop.UNDERLAY_NOT_IP);
                    return;
                }
                long high = Bytes.u64(segment, ip + 24);
                long low = Bytes.u64(segment, ip + 32);
                if (queue6.fits(ipLength)) {
                    refused(queue6.add(segment, ip, ipLength, high, low), queue6.lastErrno());
                } else {
                    refused(queue6.flush(), queue6.lastErrno()); // what waits leaves first: no overtaking
                    send.buffer(0, segment, ip, ipLength);
                    send.sendTo(0, high, low, 0);
                    sendAlone(sender6, ip, ipLength);
                }
            }
            default -> datapath.countDrop(IoDrop.UNDERLAY_NOT_IP);
        }
    }

    /** Sends the tunnel packets {@link #send} queued: the forwarder calls it after each batch it received. */
    @Override
    public void flush() {
        if (queue4 != null) {
            refused(queue4.flush(), queue4.lastErrno());
        }
        if (queue6 != null) {
            refused(queue6.flush(), queue6.lastErrno());
        }
    }

    /** A packet too large for a queue slot (an underlay MTU raised past the settings'): sent by itself, now. */
    private void sendAlone(RawIpSocket sender, long ip, int ipLength) {
        send.data(0, ip, ipLength);
        int errno;
        try {
            sender.send(send, 1);
            errno = send.error(0);
        } catch (NativeException e) {
            errno = e.errno();
        }
        if (errno != 0) {
            refused(1, errno);
        }
    }

    private void refused(int packets, int errno) {
        if (packets == 0) {
            return;
        }
        sendFailures += packets;
        lastSendErrno = errno;
        datapath.countDrops(IoDrop.UNDERLAY_SEND_FAILED, packets);
    }

    /** Tunnel packets the kernel refused so far. */
    public long sendFailures() {
        return sendFailures;
    }

    /** The errno of the last refused tunnel packet, 0 if none. */
    public int lastSendErrno() {
        return lastSendErrno;
    }

    /**
     * What the UDP offloads did so far.
     *
     * @param gsoSends UDP GSO messages sent
     * @param gsoSegments the datagrams they carried
     * @param gsoFallbacks runs of datagrams that could have gone as one GSO message but took the raw path (no socket
     *     for their source, or the kernel refused the send; {@code lastGsoErrno} says why)
     * @param lastGsoErrno the errno of the last refused GSO send, 0 if none
     * @param gsoSockets UDP GSO sockets open now
     * @param gsoBindFailures sources no GSO socket could be bound to
     * @param groMessages received messages that held several datagrams ({@code UDP_GRO})
     * @param groSegments the datagrams they held
     */
    public record OffloadCounters(
            long gsoSends,
            long gsoSegments,
            long gsoFallbacks,
            int lastGsoErrno,
            int gsoSockets,
            long gsoBindFailures,
            long groMessages,
            long groSegments) {}

    /** What the UDP offloads did so far (call on the datapath's thread, or after it stopped). */
    public OffloadCounters offloadCounters() {
        if (!open && closedCounters != null) {
            return closedCounters;
        }
        SendQueue queue = queue4;
        SegmentSenders senders = segmentSenders;
        return new OffloadCounters(
                queue == null ? 0 : queue.gsoSends(),
                queue == null ? 0 : queue.gsoSegments(),
                queue == null ? 0 : queue.gsoFallbacks(),
                queue == null ? 0 : queue.lastGsoErrno(),
                senders == null ? 0 : senders.open(),
                senders == null ? 0 : senders.bindFailures(),
                groMessages,
                groSegments);
    }

    @Override
    public Map<String, Long> offloadStatistics() {
        OffloadCounters counters = offloadCounters();
        Map<String, Long> statistics = new LinkedHashMap<>();
        statistics.put("gso_sends", counters.gsoSends());
        statistics.put("gso_segments", counters.gsoSegments());
        statistics.put("gso_fallbacks", counters.gsoFallbacks());
        statistics.put("gso_sockets", (long) counters.gsoSockets());
        statistics.put("gro_messages", counters.groMessages());
        statistics.put("gro_segments", counters.groSegments());
        return statistics;
    }

    /** A received message held {@code segments} datagrams coalesced by the kernel (the forwarder tells). */
    void coalescedReceived(int segments) {
        groMessages++;
        groSegments += segments;
    }

    /** A placeholder: the kernel writes the outer Ethernet header. */
    @Override
    public long localMac() {
        return 0;
    }

    /** A placeholder: the kernel resolves the next hop. */
    @Override
    public long nextHopMac(InetAddress destination) {
        return 0;
    }

    /**
     * The configured local address when it is of {@code remote}'s family, else the one the routing table gives for
     * {@code remote} (a connected UDP socket's name, as {@code ip route get} tells it), looked up once per remote.
     *
     * @return null when there is no route (the packet that asked is dropped as {@code tunnel_no_route}); the lookup
     *     is tried again once {@code NO_ROUTE_RETRY_NANOS} have passed, not per packet
     */
    @Override
    public InetAddress localAddress(InetAddress remote) {
        InetAddress configured = settings.localIp();
        if (configured != null && configured.getClass() == remote.getClass()) {
            return configured;
        }
        InetAddress known = sources.get(remote);
        if (known != null) {
            return known;
        }
        if (!open) {
            throw new IllegalStateException("the underlay is not open: no route lookup for " + remote.getHostAddress());
        }
        Long retryAt = noRouteUntil.get(remote);
        if (retryAt != null && System.nanoTime() - retryAt < 0) {
            return null; // looked up less than a second ago and found no route: not a system call per packet
        }
        InetAddress found;
        try {
            if (remote instanceof Inet4Address) {
                route4.connect(Bytes.u32(MemorySegment.ofArray(remote.getAddress()), 0), 9);
                found = InetAddress.getByAddress(
                        ByteBuffer.allocate(4).putInt(route4.localAddress()).array());
            } else {
                if (route6 == null) {
                    return noRoute(remote, "the underlay is IPv4 only");
                }
                MemorySegment address = MemorySegment.ofArray(remote.getAddress());
                route6.connect(Bytes.u64(address, 0), Bytes.u64(address, 8), 9);
                found = InetAddress.getByAddress(route6.localAddress6());
            }
        } catch (NativeException e) {
            return noRoute(remote, e.getMessage());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes are always an address
        }
        if (found.isAnyLocalAddress()) {
            return noRoute(remote, "the route gives no source address");
        }
        sources.put(remote, found);
        noRouteUntil.remove(remote);
        return found;
    }

    /** No route towards {@code remote}: said once in the log, asked again in a second (a route may come). */
    private InetAddress noRoute(InetAddress remote, String why) {
        if (noRouteUntil.put(remote, System.nanoTime() + NO_ROUTE_RETRY_NANOS) == null) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "no route towards tunnel remote " + remote.getHostAddress() + ": " + why);
        }
        return null;
    }

    @Override
    public int mtu() {
        return settings.mtu();
    }

    // ---- multicast ----

    @Override
    public void join(InetAddress group) {
        if (groups.add(group) && open) {
            membership(group, true);
        }
    }

    @Override
    public void leave(InetAddress group) {
        if (groups.remove(group) && open) {
            membership(group, false);
        }
    }

    /** The groups this underlay is a member of (or will be, once open). */
    public Set<InetAddress> groups() {
        return Set.copyOf(groups);
    }

    private void membership(InetAddress group, boolean join) {
        MemorySegment address = MemorySegment.ofArray(group.getAddress());
        try {
            for (UdpSocket socket : udpSockets) {
                boolean v4 = socket.family() == IpFamily.IPV4;
                if (v4 != group instanceof Inet4Address) {
                    continue;
                }
                if (v4 && join) {
                    socket.joinGroup(Bytes.u32(address, 0), deviceIndex);
                } else if (v4) {
                    socket.leaveGroup(Bytes.u32(address, 0), deviceIndex);
                } else if (join) {
                    socket.joinGroup(Bytes.u64(address, 0), Bytes.u64(address, 8), deviceIndex);
                } else {
                    socket.leaveGroup(Bytes.u64(address, 0), Bytes.u64(address, 8), deviceIndex);
                }
            }
        } catch (NativeException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- receiving ----

    /** VXLAN or GRE-in-UDP: the kernel consumed Ethernet, IP and UDP, and told the addresses, ToS and TTL. */
    private final class UdpReceiver extends Receiver {
        private final UdpSocket socket;
        private final int port;
        private final boolean v4;
        private final int configured4;
        private final long configuredHigh;
        private final long configuredLow;

        UdpReceiver(UdpSocket socket, int port, IpFamily family) {
            this.socket = socket;
            this.port = port;
            this.v4 = family == IpFamily.IPV4;
            InetAddress local = settings.localIp();
            MemorySegment bytes = local == null ? null : MemorySegment.ofArray(local.getAddress());
            this.configured4 = local instanceof Inet4Address ? Bytes.u32(bytes, 0) : 0;
            this.configuredHigh = local instanceof Inet6Address ? Bytes.u64(bytes, 0) : 0;
            this.configuredLow = local instanceof Inet6Address ? Bytes.u64(bytes, 8) : 0;
        }

        @Override
        int fd() {
            return socket.fd();
        }

        @Override
        int receive(MessageBatch batch) throws NativeException {
            return socket.receive(batch);
        }

        @Override
        void restoreHeaders(MessageBatch batch, int slot, PacketBuffer packet) {
            int payload = packet.length();
            MemorySegment memory = packet.memory();
            int tos = Math.max(batch.tos(slot), 0);
            int ttl = batch.ttl(slot) < 0 ? DEFAULT_TTL : batch.ttl(slot);
            int udp;
            if (v4) {
                int start = packet.prepend(ETHERNET + IPV4 + UDP);
                int destination = batch.hasDestination(slot) ? batch.destinationAddress(slot) : configured4;
                ipv4Header(memory, start, tos, ttl, PROTOCOL_UDP, IPV4 + UDP + payload, batch.peerAddress(slot));
                Bytes.u32(memory, start + ETHERNET + 16, destination);
                finishIpv4Checksum(memory, start + ETHERNET);
                udp = start + ETHERNET + IPV4;
            } else {
                int start = packet.prepend(ETHERNET + IPV6 + UDP);
                ipv6Header(memory, start, tos, ttl, PROTOCOL_UDP, UDP + payload, batch, slot);
                if (!batch.hasDestination(slot)) {
                    Bytes.u64(memory, start + ETHERNET + 24, configuredHigh);
                    Bytes.u64(memory, start + ETHERNET + 32, configuredLow);
                }
                udp = start + ETHERNET + IPV6;
            }
            Bytes.u16(memory, udp, batch.peerPort(slot));
            Bytes.u16(memory, udp + 2, port);
            Bytes.u16(memory, udp + 4, UDP + payload);
            Bytes.u16(memory, udp + 6, 0); // the kernel verified it; 0 tells the decapsulator there is none to check
        }

        @Override
        void close() {
            socket.close();
        }

        @Override
        public String toString() {
            return socket.toString();
        }
    }

    /** GRE: an IPv4 raw socket delivers the IP header too; an IPv6 one starts at the GRE header. */
    private final class GreReceiver extends Receiver {
        private final RawIpSocket socket;
        private final boolean v4;

        GreReceiver(RawIpSocket socket, IpFamily family) {
            this.socket = socket;
            this.v4 = family == IpFamily.IPV4;
        }

        @Override
        int fd() {
            return socket.fd();
        }

        @Override
        int receive(MessageBatch batch) throws NativeException {
            return socket.receive(batch);
        }

        @Override
        void restoreHeaders(MessageBatch batch, int slot, PacketBuffer packet) {
            MemorySegment memory = packet.memory();
            if (v4) {
                int start = packet.prepend(ETHERNET);
                ethernet(memory, start, ETHERTYPE_IPV4);
                return;
            }
            int payload = packet.length();
            int start = packet.prepend(ETHERNET + IPV6);
            int tos = Math.max(batch.tos(slot), 0);
            int ttl = batch.ttl(slot) < 0 ? DEFAULT_TTL : batch.ttl(slot);
            ipv6Header(memory, start, tos, ttl, PROTOCOL_GRE, payload, batch, slot);
        }

        @Override
        void close() {
            socket.close();
        }

        @Override
        public String toString() {
            return socket.toString();
        }
    }

    private static void ethernet(MemorySegment memory, int start, int etherType) {
        Bytes.mac(memory, start, 0);
        Bytes.mac(memory, start + 6, 0);
        Bytes.u16(memory, start + 12, etherType);
    }

    /** Ethernet and an IPv4 header without options, DF clear, ID 0; the destination and checksum come after. */
    private static void ipv4Header(
            MemorySegment memory, int start, int tos, int ttl, int protocol, int totalLength, int source) {
        ethernet(memory, start, ETHERTYPE_IPV4);
        int ip = start + ETHERNET;
        Bytes.u32(memory, ip, (0x45 << 24) | (tos << 16) | totalLength);
        Bytes.u32(memory, ip + 4, 0);
        Bytes.u32(memory, ip + 8, (ttl << 24) | (protocol << 16));
        Bytes.u32(memory, ip + 12, source);
    }

    private static void finishIpv4Checksum(MemorySegment memory, int ip) {
        Bytes.u16(memory, ip + 10, Checksum.compute(memory, ip, IPV4));
    }

    private static void ipv6Header(
            MemorySegment memory,
            int start,
            int trafficClass,
            int hopLimit,
            int nextHeader,
            int payloadLength,
            MessageBatch batch,
            int slot) {
        ethernet(memory, start, ETHERTYPE_IPV6);
        int ip = start + ETHERNET;
        Bytes.u32(memory, ip, (6 << 28) | (trafficClass << 20));
        Bytes.u32(memory, ip + 4, (payloadLength << 16) | (nextHeader << 8) | hopLimit);
        Bytes.u64(memory, ip + 8, batch.peerAddressHigh(slot));
        Bytes.u64(memory, ip + 16, batch.peerAddressLow(slot));
        Bytes.u64(memory, ip + 24, batch.destinationAddressHigh(slot));
        Bytes.u64(memory, ip + 32, batch.destinationAddressLow(slot));
    }

    /** Closes every socket (the datapath thread does, when it stops). */
    public void close() {
        if (open) {
            flush();
            closedCounters = offloadCounters();
        }
        open = false;
        for (Receiver receiver : receivers) {
            receiver.close();
        }
        receivers.clear();
        udpSockets.clear();
        for (AutoCloseable closeable :
                new AutoCloseable[] {queue4, queue6, segmentSenders, sender4, sender6, route4, route6, send}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "closing " + closeable + " failed", e);
                }
            }
        }
        sender4 = null;
        sender6 = null;
        route4 = null;
        route6 = null;
        send = null;
        queue4 = null;
        queue6 = null;
        segmentSenders = null;
    }
}
