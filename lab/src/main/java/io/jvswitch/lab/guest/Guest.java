package io.jvswitch.lab.guest;

import io.jvswitch.datapath.port.FrameSink;
import io.jvswitch.lab.IpPrefix;
import io.jvswitch.lab.time.Scheduler;
import io.jvswitch.lab.time.VirtualClock;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.PacketParser;
import io.jvswitch.wire.ParsedPacket;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l2.Ethernet;
import io.jvswitch.wire.l3.Icmpv4;
import io.jvswitch.wire.l3.Icmpv6;
import io.jvswitch.wire.l3.IpProtocol;
import io.jvswitch.wire.l3.Ipv4;
import io.jvswitch.wire.l3.Ipv6;
import io.jvswitch.wire.l4.Udp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A guest VM with one network card and a small stack: ARP with a cache whose entries expire, ICMP echo (it answers
 * pings and {@link #ping sends them}), UDP ({@link #sendUdp}, services bound with {@link #bindUdp}, an {@link
 * #udpEcho echo service}), and, when it has an IPv6 address, neighbor discovery and ICMPv6 echo.
 *
 * <p>Wiring: frames the guest sends go to the {@link FrameSink} given to {@link #connect} (a switch port's receive);
 * frames for the guest arrive through {@link #deliver}, so the guest itself is the sink of the switch port it sits
 * on. Frames leave from an off-heap buffer with headroom (a switch may encapsulate in place) and must be consumed
 * before {@code deliver} returns, as {@link FrameSink} says.
 *
 * <p>Everything happens on the lab's {@link Scheduler}: {@link #deliver} copies the frame and handles it in a task at
 * the same virtual time, after the tasks already due. So a guest never answers from inside the switch's call (the
 * switch is never re-entered), and every run of a scenario is the same.
 *
 * <p>What a Linux guest would do, in small: ARP requests are broadcast and retried ({@link
 * GuestConfig#neighborAttempts} times, {@link GuestConfig#neighborRetransmit} apart) while up to three packets wait;
 * requests for the guest's address are answered and teach it the asker's MAC; entries expire {@link
 * GuestConfig#neighborTimeout} after they were learned. Frames bigger than the MTU are refused on send (counted, and
 * logged: "message too long") and dropped on receive; frames are never padded to 60 bytes (as on a TAP device). No
 * fragments, no IPv6 router discovery, no duplicate address detection, no TCP.
 */
public final class Guest implements FrameSink {
    /** Linux's unres_qlen of old: packets kept per unresolved address. */
    public static final int NEIGHBOR_QUEUE_LIMIT = 3;

    private static final int TTL = 64;
    private static final int ND_HOP_LIMIT = 255;

    private final Scheduler scheduler;
    private GuestConfig config;
    private final int ipv4;
    private final InetAddress ipv4Address;
    private PacketBuffer transmitBuffer;
    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();
    private final Map<InetAddress, Neighbor> neighbors = new LinkedHashMap<>();
    private final Map<InetAddress, Resolution> resolving = new LinkedHashMap<>();
    private final Map<Integer, UdpHandler> udpHandlers = new HashMap<>();
    private final List<UdpDatagram> udpInbox = new ArrayList<>();
    private final Map<Integer, Ping> pings = new HashMap<>();
    private final EnumMap<GuestDrop, Long> drops = new EnumMap<>(GuestDrop.class);
    private final List<String> log = new ArrayList<>();
    private FrameSink nic;
    private long framesSent;
    private long framesReceived;
    private int nextIdentification = 1;
    private int nextPingIdentifier = 1;

    private record Neighbor(long mac, long expiresAt) {}

    private static final class Resolution {
        final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        int attempts;
        Scheduler.Task retry;
    }

    public Guest(Scheduler scheduler, GuestConfig config) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.config = Objects.requireNonNull(config, "config");
        this.ipv4Address = config.ipv4().address();
        this.ipv4 = IpPrefix.ipv4(ipv4Address);
        this.transmitBuffer = transmitBuffer(config.mtu());
    }

    private static PacketBuffer transmitBuffer(int mtu) {
        return new PacketBuffer(
                Arena.ofAuto().allocate(PacketBuffer.DEFAULT_HEADROOM + mtu + 18L, 64), PacketBuffer.DEFAULT_HEADROOM);
    }

    /**
     * Sets the card's MTU, as a guest does when DHCP's interface-MTU option (RFC 2132, 26) tells it its network's, the
     * way Neutron advertises a tunnel network's MTU.
     *
     * @throws IllegalArgumentException for an MTU outside 68 to 65535
     */
    public void mtu(int newMtu) {
        GuestConfig changed = config.withMtu(newMtu);
        if (newMtu > config.mtu()) {
            transmitBuffer = transmitBuffer(newMtu);
        }
        config = changed;
    }

    public String name() {
        return config.name();
    }

    public GuestConfig config() {
        return config;
    }

    public long mac() {
        return config.mac();
    }

    public InetAddress ipv4() {
        return ipv4Address;
    }

    /** Where the guest's frames go from now on: a switch port's receive, another guest, a cable. */
    public void connect(FrameSink sink) {
        this.nic = sink;
    }

    /** Frames the guest handed to its sink. */
    public long framesSent() {
        return framesSent;
    }

    /** Frames given to {@link #deliver}, taken or dropped. */
    public long framesReceived() {
        return framesReceived;
    }

    /** How many frames were dropped for {@code reason}. */
    public long drops(GuestDrop reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** Every non-zero drop counter. */
    public Map<GuestDrop, Long> drops() {
        return Collections.unmodifiableMap(new EnumMap<>(drops));
    }

    /** What the guest's kernel would have said: refused sends, failed resolutions, malformed frames. */
    public List<String> log() {
        return List.copyOf(log);
    }

    /** The MAC the guest has for {@code address}, if it has a live entry. */
    public OptionalLong neighbor(String address) {
        Neighbor entry = neighbors.get(IpPrefix.parseAddress(address));
        return entry != null && entry.expiresAt > scheduler.now() ? OptionalLong.of(entry.mac) : OptionalLong.empty();
    }

    /** The live ARP and neighbor entries, address text to MAC, in the order they were learned. */
    public Map<String, Long> neighbors() {
        Map<String, Long> live = new LinkedHashMap<>();
        neighbors.forEach((address, entry) -> {
            if (entry.expiresAt > scheduler.now()) {
                live.put(IpPrefix.format(address), entry.mac);
            }
        });
        return live;
    }

    /** Datagrams received, for any port, in arrival order. */
    public List<UdpDatagram> udpInbox() {
        return List.copyOf(udpInbox);
    }

    /** Runs {@code handler} for every datagram to {@code port} (replacing any service bound there). */
    public void bindUdp(int port, UdpHandler handler) {
        checkPort(port);
        udpHandlers.put(port, Objects.requireNonNull(handler, "handler"));
    }

    /** An echo service on {@code port}: every datagram goes back to its sender, ports swapped. */
    public void udpEcho(int port) {
        bindUdp(
                port,
                (guest, datagram) -> guest.sendUdp(
                        datagram.source(), datagram.destinationPort(), datagram.sourcePort(), datagram.payload()));
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends a UDP datagram (resolving the next hop first when needed).
     *
     * @return null when the stack took it, else why not ({@link GuestDrop#TX_TOO_BIG}, {@link
     *     GuestDrop#TX_UNREACHABLE})
     */
    public GuestDrop sendUdp(String destination, int sourcePort, int destinationPort, byte[] payload) {
        return sendUdp(IpPrefix.parseAddress(destination), sourcePort, destinationPort, payload);
    }

    public GuestDrop sendUdp(InetAddress destination, int sourcePort, int destinationPort, byte[] payload) {
        checkPort(sourcePort);
        checkPort(destinationPort);
        FrameBuilder frame = ip(destination).udp(sourcePort, destinationPort).payload(payload);
        return sendIp(destination, frame.build(), "udp to " + IpPrefix.format(destination) + ":" + destinationPort);
    }

    /** Starts pinging {@code destination} (IPv4, or IPv6 when the guest has an IPv6 address) with the defaults. */
    public Ping ping(String destination) {
        return ping(destination, PingOptions.DEFAULT);
    }

    /** Starts pinging {@code destination}; the first request goes out now, in a task. */
    public Ping ping(String destination, PingOptions options) {
        InetAddress address = IpPrefix.parseAddress(destination);
        if (address instanceof Inet6Address && config.ipv6() == null) {
            throw new IllegalArgumentException(name() + " has no IPv6 address to ping " + destination + " from");
        }
        int identifier = nextPingIdentifier++ & 0xffff;
        Ping ping = new Ping(scheduler, address, options, identifier);
        pings.put(identifier, ping);
        byte[] data = new byte[options.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (0x10 + i);
        }
        for (int i = 0; i < options.count(); i++) {
            int sequence = i + 1;
            long at = scheduler.now() + options.interval().toNanos() * i;
            scheduler.at(at, () -> {
                byte[] frame = ip(address)
                        .icmpEcho(true, identifier, sequence)
                        .payload(data)
                        .build();
                GuestDrop refused = sendIp(address, frame, "ping " + IpPrefix.format(address));
                if (refused == null) {
                    ping.sent(sequence);
                } else {
                    ping.refused(sequence, refusal(refused, frame));
                }
            });
        }
        return ping;
    }

    private String refusal(GuestDrop reason, byte[] frame) {
        return switch (reason) {
            case TX_TOO_BIG -> "message too long, mtu=" + config.mtu();
            case TX_UNREACHABLE -> "network is unreachable";
            default -> reason.counterName() + " (" + frame.length + "-byte frame)";
        };
    }

    /** A builder with this guest's Ethernet header (destination filled in later) and IP header towards {@code to}. */
    private FrameBuilder ip(InetAddress to) {
        FrameBuilder builder = ethernet(0);
        if (to instanceof Inet6Address) {
            if (config.ipv6() == null) {
                throw new IllegalArgumentException(name() + " has no IPv6 address to send to " + IpPrefix.format(to));
            }
            return builder.ipv6(config.ipv6().address().getAddress(), to.getAddress())
                    .ttl(TTL);
        }
        return builder.ipv4(ipv4, IpPrefix.ipv4(to)).ttl(TTL).identification(nextIdentification++ & 0xffff);
    }

    private FrameBuilder ethernet(long destination) {
        FrameBuilder builder = new FrameBuilder().ethernet(config.mac(), destination);
        return config.vlan() == 0 ? builder : builder.vlan(config.vlan());
    }

    private int maxFrame(boolean tagged) {
        return config.mtu() + Ethernet.HEADER_LENGTH + (tagged ? 4 : 0);
    }

    /**
     * Hands an IP frame (destination MAC still to be written) to the link layer: refused when too big or off-link
     * with no gateway; sent when the next hop's MAC is known; else queued while it is resolved.
     */
    private GuestDrop sendIp(InetAddress destination, byte[] frame, String what) {
        if (frame.length > maxFrame(config.vlan() != 0)) {
            count(GuestDrop.TX_TOO_BIG);
            int packet = frame.length - (maxFrame(config.vlan() != 0) - config.mtu());
            note(what + ": message too long: " + packet + "-byte packet, mtu " + config.mtu());
            return GuestDrop.TX_TOO_BIG;
        }
        long mac = groupMac(destination);
        if (mac != 0) {
            transmit(withDestination(frame, mac));
            return null;
        }
        InetAddress nextHop = nextHop(destination);
        if (nextHop == null) {
            count(GuestDrop.TX_UNREACHABLE);
            note(what + ": network is unreachable (no gateway)");
            return GuestDrop.TX_UNREACHABLE;
        }
        Neighbor neighbor = neighbors.get(nextHop);
        if (neighbor != null && neighbor.expiresAt > scheduler.now()) {
            transmit(withDestination(frame, neighbor.mac));
            return null;
        }
        neighbors.remove(nextHop);
        Resolution resolution = resolving.get(nextHop);
        if (resolution == null) {
            resolution = new Resolution();
            resolving.put(nextHop, resolution);
            resolution.queue.add(frame);
            solicit(nextHop, resolution);
        } else {
            if (resolution.queue.size() == NEIGHBOR_QUEUE_LIMIT) {
                resolution.queue.poll();
                count(GuestDrop.NEIGHBOR_QUEUE_FULL);
            }
            resolution.queue.add(frame);
        }
        return null;
    }

    /** The multicast or broadcast MAC for a group destination, else 0. */
    private long groupMac(InetAddress destination) {
        if (destination instanceof Inet6Address) {
            byte[] b = destination.getAddress();
            if ((b[0] & 0xff) == 0xff) {
                return 0x3333_0000_0000L
                        | Integer.toUnsignedLong(((b[12] & 0xff) << 24)
                                | ((b[13] & 0xff) << 16)
                                | ((b[14] & 0xff) << 8)
                                | (b[15] & 0xff));
            }
            return 0;
        }
        int address = IpPrefix.ipv4(destination);
        if (address == -1 || address == subnetBroadcast()) {
            return MacAddress.BROADCAST;
        }
        if ((address >>> 28) == 0xe) {
            return 0x0100_5e00_0000L | (address & 0x7fffff);
        }
        return 0;
    }

    private int subnetBroadcast() {
        int length = config.ipv4().length();
        return length == 32 ? ipv4 : ipv4 | (-1 >>> length);
    }

    private InetAddress nextHop(InetAddress destination) {
        if (destination instanceof Inet6Address) {
            return config.ipv6() != null && config.ipv6().contains(destination) ? destination : null;
        }
        return config.ipv4().contains(destination) ? destination : config.gateway();
    }

    private static byte[] withDestination(byte[] frame, long mac) {
        Bytes.mac(MemorySegment.ofArray(frame), 0, mac);
        return frame;
    }

    private void solicit(InetAddress address, Resolution resolution) {
        resolution.attempts++;
        if (address instanceof Inet6Address) {
            transmit(neighborSolicitation(address));
        } else {
            transmit(ethernet(MacAddress.BROADCAST)
                    .arp(Arp.OP_REQUEST, config.mac(), ipv4, 0, IpPrefix.ipv4(address))
                    .build());
        }
        resolution.retry = scheduler.after(config.neighborRetransmit(), () -> {
            if (resolution.attempts < config.neighborAttempts()) {
                solicit(address, resolution);
                return;
            }
            resolving.remove(address);
            int dropped = resolution.queue.size();
            drops.merge(GuestDrop.NEIGHBOR_FAILED, (long) dropped, Long::sum);
            note("no reply for " + IpPrefix.format(address) + " after " + resolution.attempts + " "
                    + (address instanceof Inet6Address ? "neighbor solicitations" : "ARP requests") + ": dropped "
                    + dropped + " queued packet" + (dropped == 1 ? "" : "s"));
        });
    }

    private void transmit(byte[] frame) {
        FrameSink sink = nic;
        if (sink == null) {
            count(GuestDrop.TX_NO_LINK);
            return;
        }
        framesSent++;
        transmitBuffer.reset(PacketBuffer.DEFAULT_HEADROOM);
        transmitBuffer.append(frame);
        sink.deliver(transmitBuffer.memory(), transmitBuffer.start(), transmitBuffer.length());
    }

    private void learn(InetAddress address, long mac) {
        neighbors.put(
                address,
                new Neighbor(mac, scheduler.now() + config.neighborTimeout().toNanos()));
        Resolution resolution = resolving.remove(address);
        if (resolution != null) {
            resolution.retry.cancel();
            for (byte[] frame : resolution.queue) {
                transmit(withDestination(frame, mac));
            }
        }
    }

    // ---------------------------------------------------------------- receiving

    /** A frame for the guest: copied now, handled in a task at the current virtual time. */
    @Override
    public void deliver(MemorySegment segment, long offset, int length) {
        framesReceived++;
        byte[] frame = segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        scheduler.soon(() -> receive(frame));
    }

    private void receive(byte[] frame) {
        MemorySegment segment = MemorySegment.ofArray(frame);
        boolean tagged = frame.length >= Ethernet.HEADER_LENGTH && Bytes.u16(segment, 12) == Ethernet.TYPE_VLAN;
        if (frame.length > maxFrame(tagged)) {
            count(GuestDrop.RX_TOO_BIG);
            return;
        }
        Malformed problem = parser.parse(segment, 0, frame.length, parsed);
        if (problem != null) {
            count(GuestDrop.RX_MALFORMED);
            note("dropped a malformed " + frame.length + "-byte frame: " + problem.counterName());
            return;
        }
        if (config.vlan() == 0
                ? parsed.vlanCount() != 0
                : parsed.vlanCount() != 1 || (parsed.vlanTci(0) & 0xfff) != config.vlan()) {
            count(GuestDrop.RX_WRONG_VLAN);
            return;
        }
        long destination = Bytes.mac(segment, 0);
        boolean ipv6Multicast = (destination >>> 32) == 0x3333 && config.ipv6() != null;
        if (destination != config.mac() && destination != MacAddress.BROADCAST && !ipv6Multicast) {
            count(GuestDrop.RX_NOT_FOR_US);
            return;
        }
        long source = Bytes.mac(segment, 6);
        switch (parsed.etherType()) {
            case Ethernet.TYPE_ARP -> receiveArp(segment);
            case Ethernet.TYPE_IPV4 -> receiveIpv4(segment);
            case Ethernet.TYPE_IPV6 -> receiveIpv6(segment, source);
            default -> count(GuestDrop.RX_UNSUPPORTED);
        }
    }

    private void receiveArp(MemorySegment segment) {
        Arp arp = new Arp().wrap(segment, parsed.l3Offset());
        int operation = arp.operation();
        if (operation != Arp.OP_REQUEST && operation != Arp.OP_REPLY) {
            count(GuestDrop.RX_UNSUPPORTED);
            return;
        }
        int senderIp = arp.senderIp();
        long senderMac = arp.senderMac();
        boolean forUs = arp.targetIp() == ipv4;
        InetAddress sender = IpPrefix.ipv4(senderIp);
        // RFC 826: update an entry we have; add one when the packet is for us.
        if (senderIp != 0 && (forUs || neighbors.containsKey(sender) || resolving.containsKey(sender))) {
            learn(sender, senderMac);
        }
        if (!forUs) {
            count(GuestDrop.RX_NOT_FOR_US);
            return;
        }
        if (operation == Arp.OP_REQUEST) {
            transmit(ethernet(senderMac)
                    .arp(Arp.OP_REPLY, config.mac(), ipv4, senderMac, senderIp)
                    .build());
        }
    }

    private void receiveIpv4(MemorySegment segment) {
        Ipv4 ip = new Ipv4().wrap(segment, parsed.l3Offset());
        int destination = ip.destination();
        boolean broadcast = destination == -1 || destination == subnetBroadcast();
        if (destination != ipv4 && !broadcast) {
            count(GuestDrop.RX_NOT_FOR_US);
            return;
        }
        if (parsed.isFragment()) {
            count(GuestDrop.RX_UNSUPPORTED);
            return;
        }
        InetAddress source = IpPrefix.ipv4(ip.source());
        long l4 = parsed.l4Offset();
        int l4Length = parsed.l4Length();
        switch (parsed.ipProtocol()) {
            case IpProtocol.ICMP -> {
                Icmpv4 icmp = new Icmpv4().wrap(segment, l4);
                if (!icmp.checksumValid(l4Length)) {
                    count(GuestDrop.RX_BAD_CHECKSUM);
                    return;
                }
                if (icmp.type() == Icmpv4.ECHO_REQUEST && !broadcast) {
                    byte[] data = bytes(segment, icmp.dataOffset(), parsed.ipEnd());
                    byte[] reply = ip(source)
                            .icmpEcho(false, icmp.identifier(), icmp.sequence())
                            .payload(data)
                            .build();
                    sendIp(source, reply, "echo reply to " + IpPrefix.format(source));
                } else if (icmp.type() == Icmpv4.ECHO_REPLY) {
                    echoReply(icmp.identifier(), icmp.sequence(), ip.ttl());
                }
            }
            case IpProtocol.UDP -> {
                long pseudo = Checksum.ipv4PseudoHeader(ip.source(), destination, IpProtocol.UDP, l4Length);
                receiveUdp(segment, pseudo, source, IpPrefix.ipv4(destination));
            }
            default -> count(GuestDrop.RX_UNSUPPORTED);
        }
    }

    private void receiveIpv6(MemorySegment segment, long ethernetSource) {
        if (config.ipv6() == null) {
            count(GuestDrop.RX_UNSUPPORTED);
            return;
        }
        Ipv6 ip = new Ipv6().wrap(segment, parsed.l3Offset());
        InetAddress destination = address6(segment, ip.destinationOffset());
        InetAddress mine = config.ipv6().address();
        if (!destination.equals(mine) && !destination.equals(ALL_NODES) && !destination.equals(solicitedNode(mine))) {
            count(GuestDrop.RX_NOT_FOR_US);
            return;
        }
        if (parsed.isFragment() || parsed.l4Offset() < 0) {
            count(GuestDrop.RX_UNSUPPORTED);
            return;
        }
        InetAddress source = address6(segment, ip.sourceOffset());
        long l4 = parsed.l4Offset();
        int l4Length = parsed.l4Length();
        long pseudo = Checksum.ipv6PseudoHeader(
                segment, ip.sourceOffset(), ip.destinationOffset(), parsed.ipProtocol(), l4Length);
        switch (parsed.ipProtocol()) {
            case IpProtocol.ICMPV6 -> {
                Icmpv6 icmp = new Icmpv6().wrap(segment, l4);
                if (!icmp.checksumValid(pseudo, l4Length)) {
                    count(GuestDrop.RX_BAD_CHECKSUM);
                    return;
                }
                switch (icmp.type()) {
                    case Icmpv6.ECHO_REQUEST -> {
                        if (destination.equals(mine)) {
                            byte[] data = bytes(segment, l4 + Icmpv6.HEADER_LENGTH, parsed.ipEnd());
                            byte[] reply = ip(source)
                                    .icmpEcho(false, icmp.identifier(), icmp.sequence())
                                    .payload(data)
                                    .build();
                            sendIp(source, reply, "echo reply to " + IpPrefix.format(source));
                        }
                    }
                    case Icmpv6.ECHO_REPLY -> echoReply(icmp.identifier(), icmp.sequence(), ip.hopLimit());
                    case Icmpv6.NEIGHBOR_SOLICITATION -> {
                        if (l4Length < 24) {
                            count(GuestDrop.RX_MALFORMED);
                            return;
                        }
                        InetAddress target = address6(segment, l4 + 8);
                        if (!target.equals(mine)) {
                            count(GuestDrop.RX_NOT_FOR_US);
                            return;
                        }
                        long askerMac = linkLayerOption(segment, l4 + 24, parsed.ipEnd(), 1, ethernetSource);
                        if (!source.isAnyLocalAddress()) {
                            learn(source, askerMac);
                            transmit(neighborAdvertisement(source, askerMac));
                        }
                    }
                    case Icmpv6.NEIGHBOR_ADVERTISEMENT -> {
                        if (l4Length < 24) {
                            count(GuestDrop.RX_MALFORMED);
                            return;
                        }
                        InetAddress target = address6(segment, l4 + 8);
                        long targetMac = linkLayerOption(segment, l4 + 24, parsed.ipEnd(), 2, ethernetSource);
                        if (neighbors.containsKey(target) || resolving.containsKey(target)) {
                            learn(target, targetMac);
                        }
                    }
                    default -> count(GuestDrop.RX_UNSUPPORTED);
                }
            }
            case IpProtocol.UDP -> receiveUdp(segment, pseudo, source, destination);
            default -> count(GuestDrop.RX_UNSUPPORTED);
        }
    }

    private void receiveUdp(MemorySegment segment, long pseudo, InetAddress source, InetAddress destination) {
        Udp udp = new Udp().wrap(segment, parsed.l4Offset());
        boolean ipv6 = source instanceof Inet6Address;
        if ((udp.checksum() != 0 || ipv6) && !udp.checksumValid(pseudo, udp.length())) {
            count(GuestDrop.RX_BAD_CHECKSUM);
            return;
        }
        long data = parsed.l4Offset() + Udp.HEADER_LENGTH;
        UdpDatagram datagram = new UdpDatagram(
                scheduler.now(),
                source,
                udp.sourcePort(),
                destination,
                udp.destinationPort(),
                bytes(segment, data, parsed.l4Offset() + udp.length()));
        udpInbox.add(datagram);
        UdpHandler handler = udpHandlers.get(datagram.destinationPort());
        if (handler != null) {
            handler.receive(this, datagram);
        }
    }

    private void echoReply(int identifier, int sequence, int ttl) {
        Ping ping = pings.get(identifier);
        if (ping != null) {
            ping.replied(sequence, ttl);
        }
    }

    // ---------------------------------------------------------------- IPv6 neighbor discovery

    private static final InetAddress ALL_NODES = IpPrefix.parseAddress("ff02::1");

    private static InetAddress solicitedNode(InetAddress address) {
        byte[] b = address.getAddress();
        byte[] group = IpPrefix.parseAddress("ff02::1:ff00:0").getAddress();
        group[13] = b[13];
        group[14] = b[14];
        group[15] = b[15];
        return address6(group);
    }

    private byte[] neighborSolicitation(InetAddress target) {
        InetAddress group = solicitedNode(target);
        byte[] body = new byte[32];
        MemorySegment icmp = MemorySegment.ofArray(body);
        Bytes.u8(icmp, 0, Icmpv6.NEIGHBOR_SOLICITATION);
        MemorySegment.copy(target.getAddress(), 0, icmp, ValueLayout.JAVA_BYTE, 8, 16);
        Bytes.u8(icmp, 24, 1); // source link-layer address option
        Bytes.u8(icmp, 25, 1); // length, in units of 8 bytes
        Bytes.mac(icmp, 26, config.mac());
        return icmpv6Frame(groupMac(group), group, body);
    }

    private byte[] neighborAdvertisement(InetAddress asker, long askerMac) {
        byte[] body = new byte[32];
        MemorySegment icmp = MemorySegment.ofArray(body);
        Bytes.u8(icmp, 0, Icmpv6.NEIGHBOR_ADVERTISEMENT);
        Bytes.u8(icmp, 4, 0x60); // solicited, override
        MemorySegment.copy(config.ipv6().address().getAddress(), 0, icmp, ValueLayout.JAVA_BYTE, 8, 16);
        Bytes.u8(icmp, 24, 2); // target link-layer address option
        Bytes.u8(icmp, 25, 1);
        Bytes.mac(icmp, 26, config.mac());
        return icmpv6Frame(askerMac, asker, body);
    }

    /** An ICMPv6 message in an IPv6 packet with hop limit 255, checksum computed, in an Ethernet frame. */
    private byte[] icmpv6Frame(long destinationMac, InetAddress destination, byte[] body) {
        byte[] packet = new byte[Ipv6.HEADER_LENGTH + body.length];
        MemorySegment segment = MemorySegment.ofArray(packet);
        Ipv6 ip = new Ipv6().wrap(segment, 0);
        ip.writeHeader(0, 0, body.length, IpProtocol.ICMPV6, ND_HOP_LIMIT);
        ip.source(config.ipv6().address().getAddress()).destination(destination.getAddress());
        MemorySegment.copy(body, 0, segment, ValueLayout.JAVA_BYTE, Ipv6.HEADER_LENGTH, body.length);
        long pseudo = Checksum.ipv6PseudoHeader(segment, 8, 24, IpProtocol.ICMPV6, body.length);
        new Icmpv6().wrap(segment, Ipv6.HEADER_LENGTH).updateChecksum(pseudo, body.length);
        return ethernet(destinationMac)
                .etherType(Ethernet.TYPE_IPV6)
                .payload(packet)
                .build();
    }

    /** The MAC in the first option of {@code type} between {@code at} and {@code end}, else {@code fallback}. */
    private static long linkLayerOption(MemorySegment segment, long at, long end, int type, long fallback) {
        while (at + 2 <= end) {
            int optionType = Bytes.u8(segment, at);
            int length = Bytes.u8(segment, at + 1) * 8;
            if (length == 0 || at + length > end) {
                break;
            }
            if (optionType == type && length >= 8) {
                return Bytes.mac(segment, at + 2);
            }
            at += length;
        }
        return fallback;
    }

    private static InetAddress address6(MemorySegment segment, long offset) {
        return address6(bytes(segment, offset, offset + 16));
    }

    private static InetAddress address6(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // sixteen bytes are always an address
        }
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] bytes(MemorySegment segment, long from, long to) {
        return segment.asSlice(from, to - from).toArray(ValueLayout.JAVA_BYTE);
    }

    private void count(GuestDrop reason) {
        drops.merge(reason, 1L, Long::sum);
    }

    private void note(String message) {
        log.add(VirtualClock.formatSeconds(scheduler.now()) + " " + name() + ": " + message);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("UDP port " + port + " is not 0 to 65535");
        }
    }

    @Override
    public String toString() {
        return name() + " (" + MacAddress.format(config.mac()) + ", " + config.ipv4() + ")";
    }
}
