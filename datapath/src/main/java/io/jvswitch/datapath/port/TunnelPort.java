package io.jvswitch.datapath.port;

import io.jvswitch.datapath.Underlay;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelKey;
import io.jvswitch.tunnel.TunnelMetadata;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.tunnel.encap.Encapsulator;
import io.jvswitch.tunnel.encap.HeaderTemplate;
import io.jvswitch.wire.DropReason;
import io.jvswitch.wire.PacketBuffer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A GRE, VXLAN or GRE-in-UDP tunnel interface with Open vSwitch's options ({@code remote_ip}, {@code local_ip},
 * {@code key}/{@code in_key}/{@code out_key}, {@code csum}, {@code tos}, {@code ttl}, {@code df_default}, {@code
 * dst_port}). Sending encapsulates from a header template built once per destination: the remote address, or — for
 * {@code remote_ip=flow}, and for a VXLAN group once the flows have learned where a MAC lives — the flow's {@code
 * tun_dst}.
 */
public final class TunnelPort extends Port {
    private final TunnelConfig config;
    private final AtomicInteger sequence = new AtomicInteger();
    /** Header templates are built once per destination, on the first packet there. */
    private Encapsulator remoteEncapsulator;

    private final Map<Integer, Encapsulator> flowEncapsulators = new HashMap<>();
    private int lastFlowDestination;
    private Encapsulator lastFlowEncapsulator;
    private final boolean remoteIsGroup;

    /** The addresses receive compares: null when any will do (no local_ip; remote_ip=flow or a group). */
    private final OuterAddress remote;

    private final OuterAddress local;

    public TunnelPort(String name, TunnelConfig config) {
        super(name, typeOf(config.type()), config.options());
        this.config = config;
        this.remoteIsGroup = config.remoteIp() != null && config.remoteIp().isMulticastAddress();
        InetAddress remoteIp = config.remoteIp();
        this.remote = remoteIp == null || remoteIsGroup ? null : OuterAddress.of(remoteIp);
        this.local = config.localIp() == null ? null : OuterAddress.of(config.localIp());
    }

    private static PortType typeOf(TunnelType type) {
        return switch (type) {
            case GRE -> PortType.GRE;
            case VXLAN -> PortType.VXLAN;
            case GRE_UDP -> PortType.GRE_UDP;
        };
    }

    public TunnelConfig config() {
        return config;
    }

    /**
     * True for a {@code packet_type=legacy_l3} port: it carries bare IPv4 and IPv6 packets (GRE protocol 0x0800 or
     * 0x86dd), not Ethernet frames. As in Open vSwitch, what it receives enters the bridge with an Ethernet header of
     * zeroes, what leaves by it loses its Ethernet header, and NORMAL does not flood to it.
     */
    public boolean carriesIp() {
        return config.payloadType() == TunnelConfig.PayloadType.LEGACY_L3;
    }

    /** True when the remote is a multicast group (a flood-and-learn VXLAN VTEP). */
    public boolean remoteIsGroup() {
        return remoteIsGroup;
    }

    /**
     * Encapsulates the frame in {@code packet} (in place) and sends it over the underlay. For a port that {@linkplain
     * #carriesIp carries IP}, {@code packet} is the bare IP packet.
     *
     * @param tunnelId the flow's tun_id: the key when {@code out_key=flow}
     * @param flowDestination the flow's tun_dst (IPv4, 0 for none): the destination for {@code remote_ip=flow}, and
     *     for a group tunnel once the destination is known
     * @param etherType for an IP-carrying port, the Ethertype of the Ethernet header the packet lost, which becomes
     *     the GRE protocol type (0: from the IP version)
     * @param flowHash the hash of the flow key the datapath computed for its flow cache: it picks the UDP source port
     *     and the IPv6 flow label, so the encapsulator does not hash the inner headers again
     * @return null when sent, else why not
     */
    public DropReason send(
            PacketBuffer packet, long tunnelId, int flowDestination, int etherType, int flowHash, Underlay underlay) {
        Encapsulator encapsulator;
        if (flowDestination != 0 && (config.remoteIp() == null || remoteIsGroup)) {
            encapsulator = flowEncapsulator(flowDestination, underlay);
        } else if (config.remoteIp() != null) {
            if (remoteEncapsulator == null) {
                remoteEncapsulator = newEncapsulator(config.remoteIp(), underlay);
            }
            encapsulator = remoteEncapsulator;
        } else {
            counters().transmitDropped();
            return io.jvswitch.datapath.DatapathDrop.TUNNEL_NO_DESTINATION;
        }
        if (encapsulator == null) {
            counters().transmitDropped();
            return io.jvswitch.datapath.DatapathDrop.TUNNEL_NO_ROUTE;
        }
        int innerLength = packet.length();
        // The outer IP packet: the inner frame plus every outer header but the outer Ethernet one.
        if (innerLength + encapsulator.template().overhead() > underlay.mtu()) {
            counters().transmitDropped();
            return io.jvswitch.datapath.DatapathDrop.TUNNEL_MTU_EXCEEDED;
        }
        DropReason problem = encapsulator.encapsulate(packet, tunnelId, etherType, flowHash);
        if (problem != null) {
            counters().transmitDropped();
            return problem;
        }
        counters().sent(innerLength);
        underlay.send(packet.memory(), packet.start(), packet.length());
        return null;
    }

    /**
     * True when a packet decapsulated with this metadata belongs to this port, as Open vSwitch demultiplexes: the
     * remote matches the outer source (or is {@code flow}, or a group), the local address matches the outer
     * destination (or is unset, or the packet went to a group), and the key is accepted ({@code in_key=flow} takes
     * any; a fixed key must be equal; no key means key 0). Compares numbers only: it runs for every tunnel packet.
     */
    public boolean accepts(TunnelMetadata outer) {
        if (remote != null && !remote.isSourceOf(outer)) {
            return false;
        }
        if (local != null && !OuterAddress.destinationIsMulticast(outer) && !local.isDestinationOf(outer)) {
            return false;
        }
        boolean keyPresent = outer.has(TunnelMetadata.FLAG_KEY);
        TunnelKey inKey = config.inKey();
        return switch (inKey.kind()) {
            case FLOW -> true;
            case FIXED -> keyPresent && outer.key() == inKey.value();
            case NONE -> !keyPresent || outer.key() == 0;
        };
    }

    /** How specific this port is for demultiplexing: an exact remote and key beat {@code flow}. */
    public int specificity() {
        int score = 0;
        if (config.remoteIp() != null && !remoteIsGroup()) {
            score += 2;
        }
        if (!config.inKey().isFlow()) {
            score += 1;
        }
        return score;
    }

    /**
     * The encapsulator towards a flow's tun_dst. The last one used is kept at hand, so a run of packets to one peer
     * neither builds an InetAddress nor hashes one; the map is for the other peers.
     */
    private Encapsulator flowEncapsulator(int destination, Underlay underlay) {
        if (destination == lastFlowDestination && lastFlowEncapsulator != null) {
            return lastFlowEncapsulator;
        }
        Encapsulator encapsulator = flowEncapsulators.get(destination);
        if (encapsulator == null) {
            encapsulator = newEncapsulator(ipv4(destination), underlay);
            if (encapsulator == null) {
                return null;
            }
            flowEncapsulators.put(destination, encapsulator);
        }
        lastFlowDestination = destination;
        lastFlowEncapsulator = encapsulator;
        return encapsulator;
    }

    /** A new encapsulator towards {@code destination}, or null when the underlay has no route there. */
    private Encapsulator newEncapsulator(InetAddress destination, Underlay underlay) {
        InetAddress source = config.localIp() != null ? config.localIp() : underlay.localAddress(destination);
        if (source == null) {
            return null;
        }
        HeaderTemplate template =
                new HeaderTemplate(config, source, destination, underlay.localMac(), underlay.nextHopMac(destination));
        return new Encapsulator(template, sequence);
    }

    private static InetAddress ipv4(int address) {
        try {
            return Inet4Address.getByAddress(
                    new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
                    });
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
