package io.jvswitch.lab.underlay;

import io.jvswitch.lab.IpPrefix;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.l2.Ethernet;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A machine of the underlay: a {@link UnderlayHost host} (where a switch runs) or a {@link Router router}. It has
 * interfaces on segments and a routing table: a connected route for each interface address's subnet, plus static
 * {@link Route routes}; the longest prefix wins, a connected route wins a tie.
 */
public abstract sealed class Node permits UnderlayHost, Router {
    final UnderlayNetwork network;
    private final String name;
    private final List<Nic> nics = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    final Counters counters = new Counters();
    long received;

    /** Where a packet goes next: out of {@code nic}, to the neighbor with address {@code nextHop}. */
    public record Hop(Nic nic, InetAddress nextHop) {}

    Node(UnderlayNetwork network, String name) {
        this.network = network;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The interfaces, in the order they were connected; the first is the primary one. */
    public List<Nic> nics() {
        return List.copyOf(nics);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Frames this node put on a wire (sent or forwarded), and its drops. */
    public Counters counters() {
        return counters;
    }

    /** Frames that reached this node from a segment. */
    public long received() {
        return received;
    }

    /**
     * Connects the node to {@code segment} with these addresses ({@code 192.168.1.100/24}, {@code 2001:db8::1/64})
     * and the MAC 02:00 followed by the first IPv4 address (or the last four bytes of the first IPv6 address), as
     * {@code 02:00:c0:a8:01:64} for 192.168.1.100.
     */
    public Nic connect(String segment, String... addresses) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException(name + ": an interface needs at least one address");
        }
        List<IpPrefix> prefixes = Arrays.stream(addresses).map(IpPrefix::parse).toList();
        return connect(network.segment(segment), defaultMac(prefixes), prefixes);
    }

    /** Connects the node to {@code segment} with this MAC and these addresses. */
    public Nic connect(Segment segment, long mac, List<IpPrefix> addresses) {
        Objects.requireNonNull(segment, "segment");
        for (IpPrefix prefix : addresses) {
            if (network.ownerOf(prefix.address()) != null) {
                throw new IllegalArgumentException(
                        name + ": address " + IpPrefix.format(prefix.address()) + " already belongs to "
                                + network.ownerOf(prefix.address()).name());
            }
        }
        Nic nic = new Nic(this, segment, mac, addresses, network.seedFor(name + "/" + segment.name()));
        segment.attach(nic);
        nics.add(nic);
        return nic;
    }

    /** The MAC {@link #connect(String, String...)} gives an interface with these addresses. */
    public static long defaultMac(List<IpPrefix> addresses) {
        for (IpPrefix prefix : addresses) {
            if (prefix.isIpv4()) {
                return 0x0200_0000_0000L | Integer.toUnsignedLong(IpPrefix.ipv4(prefix.address()));
            }
        }
        byte[] b = addresses.getFirst().address().getAddress();
        return 0x0200_0000_0000L
                | Integer.toUnsignedLong(
                        ((b[12] & 0xff) << 24) | ((b[13] & 0xff) << 16) | ((b[14] & 0xff) << 8) | (b[15] & 0xff));
    }

    /** Adds a static route: {@code destination} (a prefix, {@code 0.0.0.0/0} for a default) through {@code via}. */
    public Node route(String destination, String via) {
        return route(new Route(IpPrefix.parse(destination), IpPrefix.parseAddress(via)));
    }

    public Node route(Route route) {
        routes.add(Objects.requireNonNull(route, "route"));
        return this;
    }

    /** True when {@code address} is one of this node's. */
    public boolean owns(InetAddress address) {
        for (Nic nic : nics) {
            if (nic.owns(address)) {
                return true;
            }
        }
        return false;
    }

    /** The route to {@code destination}, or null when there is none (or its next hop is on no connected subnet). */
    public Hop lookup(InetAddress destination) {
        Hop best = null;
        int bestLength = -1;
        for (Nic nic : nics) {
            for (IpPrefix prefix : nic.addresses()) {
                if (prefix.length() > bestLength && prefix.contains(destination)) {
                    best = new Hop(nic, destination);
                    bestLength = prefix.length();
                }
            }
        }
        for (Route route : routes) {
            if (route.destination().length() > bestLength && route.destination().contains(destination)) {
                Nic nic = connectedNic(route.via());
                if (nic != null) {
                    best = new Hop(nic, route.via());
                    bestLength = route.destination().length();
                }
            }
        }
        return best;
    }

    private Nic connectedNic(InetAddress neighbor) {
        for (Nic nic : nics) {
            for (IpPrefix prefix : nic.addresses()) {
                if (prefix.contains(neighbor)) {
                    return nic;
                }
            }
        }
        return null;
    }

    /** A frame arrives from a segment (the frame may be shared with other receivers: copy before changing it). */
    abstract void receive(Nic nic, byte[] frame);

    /** Puts a frame on {@code nic}'s segment. */
    void transmit(Nic nic, byte[] frame) {
        counters.passed(frame.length);
        nic.segment().transmit(nic, frame);
    }

    /** The IP destination of an Ethernet frame carrying IPv4 or IPv6, or null when it carries neither whole. */
    static InetAddress ipDestination(byte[] frame) {
        if (frame.length < Ethernet.HEADER_LENGTH) {
            return null;
        }
        MemorySegment segment = MemorySegment.ofArray(frame);
        int type = Bytes.u16(segment, 12);
        if (type == Ethernet.TYPE_IPV4 && frame.length >= Ethernet.HEADER_LENGTH + 20) {
            return IpPrefix.ipv4(Bytes.u32(segment, Ethernet.HEADER_LENGTH + 16));
        }
        if (type == Ethernet.TYPE_IPV6 && frame.length >= Ethernet.HEADER_LENGTH + 40) {
            return address(frame, Ethernet.HEADER_LENGTH + 24);
        }
        return null;
    }

    /** The IP source, as {@link #ipDestination}. */
    static InetAddress ipSource(byte[] frame) {
        MemorySegment segment = MemorySegment.ofArray(frame);
        int type = Bytes.u16(segment, 12);
        return type == Ethernet.TYPE_IPV4
                ? IpPrefix.ipv4(Bytes.u32(segment, Ethernet.HEADER_LENGTH + 12))
                : address(frame, Ethernet.HEADER_LENGTH + 8);
    }

    private static InetAddress address(byte[] frame, int offset) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(frame, offset, offset + 16));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Decrements the TTL (IPv4, with the header checksum updated as RFC 1624 says) or hop limit (IPv6) of the packet in
     * {@code frame}; false when it would reach 0 (the packet must be dropped).
     */
    static boolean decrementTtl(byte[] frame) {
        MemorySegment segment = MemorySegment.ofArray(frame);
        int l3 = Ethernet.HEADER_LENGTH;
        if (Bytes.u16(segment, 12) == Ethernet.TYPE_IPV6) {
            int hopLimit = Bytes.u8(segment, l3 + 7);
            if (hopLimit <= 1) {
                return false;
            }
            Bytes.u8(segment, l3 + 7, hopLimit - 1);
            return true;
        }
        int ttl = Bytes.u8(segment, l3 + 8);
        if (ttl <= 1) {
            return false;
        }
        int oldWord = Bytes.u16(segment, l3 + 8);
        Bytes.u8(segment, l3 + 8, ttl - 1);
        int newWord = Bytes.u16(segment, l3 + 8);
        Bytes.u16(segment, l3 + 10, Checksum.update16(Bytes.u16(segment, l3 + 10), oldWord, newWord));
        return true;
    }

    @Override
    public String toString() {
        return name;
    }
}
