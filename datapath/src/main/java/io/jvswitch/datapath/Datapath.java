package io.jvswitch.datapath;

import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.cache.MegaflowEntry;
import io.jvswitch.datapath.exec.PacketEditor;
import io.jvswitch.datapath.port.CaptureSink;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowExtractor;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.xlate.DatapathAction;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelDrop;
import io.jvswitch.tunnel.TunnelMetadata;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.tunnel.decap.Decapsulator;
import io.jvswitch.wire.DropReason;
import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.overlay.Gre;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One host's switch: its bridges, every port numbered datapath-wide (as Open vSwitch's datapath ports are), the
 * receive paths — from an Ethernet port, and from the underlay for tunnel traffic — and the execution of cached
 * datapath actions. Packets are copied in from the receiver into a pooled buffer, looked up through the entering
 * bridge's flow cache, and sent out; every drop is counted by reason.
 *
 * <p>Single-threaded: the lab's event loop, or the real switch's datapath thread, calls everything.
 */
public final class Datapath {
    private final InstantSource clock;
    private final Underlay underlay;
    private final Arena arena = Arena.ofAuto();
    private final BufferPool pool = new BufferPool(arena, 64);
    private final Map<String, Bridge> bridges = new LinkedHashMap<>();
    private final Map<Port, Bridge> bridgeOfPort = new HashMap<>();
    private final Map<Port, Integer> datapathPorts = new HashMap<>();
    private final Map<Integer, Port> portsByNumber = new HashMap<>();
    private final List<TunnelPort> tunnelPorts = new ArrayList<>();
    private final Map<InetAddress, Integer> groupPorts = new HashMap<>();
    private final Map<String, long[]> drops = new TreeMap<>();
    private final FlowKey key = new FlowKey();
    private final TunnelMetadata tunnel = new TunnelMetadata();
    private Decapsulator decapsulator = new Decapsulator();
    private Consumer<PacketBuffer> packetIns = packet -> {};
    /** Set by {@link #demultiplex}: a port of the other packet type accepted the packet's addresses and key. */
    private boolean demultiplexedOtherPacketType;

    private final List<PortListener> portListeners = new ArrayList<>();

    private int nextDatapathPort = 1;

    /** A switch whose tunnels ride on {@code underlay} (null when it has no tunnels). */
    public Datapath(InstantSource clock, Underlay underlay) {
        this.clock = clock;
        this.underlay = underlay;
    }

    /** The underlay tunnel packets leave by. */
    public Underlay underlay() {
        return underlay;
    }

    public InstantSource clock() {
        return clock;
    }

    public Bridge addBridge(String name) {
        if (bridges.containsKey(name) || findPort(name) != null) {
            throw new IllegalArgumentException("a bridge or port named " + name + " already exists");
        }
        Bridge bridge = new Bridge(name, this);
        bridges.put(name, bridge);
        return bridge;
    }

    public void removeBridge(String name) {
        Bridge bridge = bridges.remove(name);
        if (bridge == null) {
            throw new IllegalArgumentException("no bridge " + name);
        }
        for (Port port : bridge.ports()) {
            unregisterPort(port);
        }
    }

    public Bridge bridge(String name) {
        return bridges.get(name);
    }

    public Collection<Bridge> bridges() {
        return List.copyOf(bridges.values());
    }

    /**
     * Called by a bridge for each port it adds. A tunnel port whose remote is a multicast group makes the underlay
     * {@linkplain Underlay#join join} that group (once, however many ports share it).
     */
    public void registerPort(Bridge bridge, Port port) {
        int number = nextDatapathPort++;
        datapathPorts.put(port, number);
        portsByNumber.put(number, port);
        bridgeOfPort.put(port, bridge);
        if (port instanceof TunnelPort tunnelPort) {
            tunnelPorts.add(tunnelPort);
            rebuildDecapsulator();
            if (tunnelPort.remoteIsGroup()
                    && groupPorts.merge(tunnelPort.config().remoteIp(), 1, Integer::sum) == 1
                    && underlay != null) {
                underlay.join(tunnelPort.config().remoteIp());
            }
        }
        for (PortListener listener : portListeners) {
            listener.portAdded(port);
        }
    }

    /**
     * Tells {@code listener} of every port added to or removed from any bridge from now on (the I/O thread watches
     * real ports' file descriptors this way). Listeners run on the datapath's thread, inside the add or remove.
     */
    public void addPortListener(PortListener listener) {
        portListeners.add(listener);
    }

    public void removePortListener(PortListener listener) {
        portListeners.remove(listener);
    }

    /** Every port of every bridge, in datapath number order. */
    public List<Port> ports() {
        return new ArrayList<>(new TreeMap<>(portsByNumber).values());
    }

    /** Called by a bridge for each port it removes; the last port of a multicast group makes the underlay leave it. */
    public void unregisterPort(Port port) {
        Integer number = datapathPorts.remove(port);
        if (number != null) {
            portsByNumber.remove(number);
        }
        bridgeOfPort.remove(port);
        if (number != null) {
            for (PortListener listener : portListeners) {
                listener.portRemoved(port);
            }
        }
        if (port instanceof TunnelPort tunnelPort && tunnelPorts.remove(tunnelPort)) {
            rebuildDecapsulator();
            InetAddress group = tunnelPort.config().remoteIp();
            if (tunnelPort.remoteIsGroup() && groupPorts.merge(group, -1, Integer::sum) == 0) {
                groupPorts.remove(group);
                if (underlay != null) {
                    underlay.leave(group);
                }
            }
        }
    }

    private void rebuildDecapsulator() {
        TreeSet<Integer> vxlan = new TreeSet<>();
        TreeSet<Integer> greUdp = new TreeSet<>();
        for (TunnelPort port : tunnelPorts) {
            TunnelConfig config = port.config();
            if (config.type() == TunnelType.VXLAN) {
                vxlan.add(config.destinationPort());
            } else if (config.type() == TunnelType.GRE_UDP) {
                greUdp.add(config.destinationPort());
            }
        }
        decapsulator = new Decapsulator(
                vxlan.stream().mapToInt(Integer::intValue).toArray(),
                greUdp.stream().mapToInt(Integer::intValue).toArray(),
                false);
    }

    public int datapathPort(Port port) {
        Integer number = datapathPorts.get(port);
        return number == null ? -1 : number;
    }

    /** The port with this datapath number, or null. */
    public Port port(int datapathPort) {
        return portsByNumber.get(datapathPort);
    }

    /** A port of any bridge, by name, or null. */
    public Port findPort(String name) {
        for (Port port : bridgeOfPort.keySet()) {
            if (port.name().equals(name)) {
                return port;
            }
        }
        return null;
    }

    public Bridge bridgeOf(Port port) {
        return bridgeOfPort.get(port);
    }

    /** Who hears packets sent to the controller (packet-ins). */
    public void onPacketIn(Consumer<PacketBuffer> listener) {
        this.packetIns = listener;
    }

    /** A frame arriving on an Ethernet port (a guest's frame, a TAP read). Copied in; the caller keeps its bytes. */
    public void receive(EthernetPort port, MemorySegment segment, long offset, int length) {
        PacketBuffer packet = pool.take();
        MemorySegment.copy(segment, offset, packet.memory(), packet.start(), length);
        packet.length(length);
        try {
            receive(port, packet);
        } finally {
            pool.give(packet);
        }
    }

    /**
     * A frame arriving on an Ethernet port, already in a packet buffer (a real port's receive reads straight into
     * one): switched in place, without a copy. The caller keeps the buffer; its bytes are changed.
     */
    public void receive(EthernetPort port, PacketBuffer packet) {
        Bridge bridge = bridgeOfPort.get(port);
        if (bridge == null) {
            return;
        }
        port.counters().received(packet.length());
        captureIfAsked(port, true, packet);
        key.clear();
        key.set(Field.IN_PORT, port.ofport());
        process(bridge, packet);
    }

    /**
     * A frame arriving from the underlay (outer Ethernet header first): decapsulated, matched to its tunnel port as
     * Open vSwitch demultiplexes (type and UDP port, remote, local address, key, and packet type: an Ethernet frame
     * for a {@code legacy_l2} port, a bare IP packet for a {@code legacy_l3} one), then switched by that port's bridge
     * with the tunnel metadata in its flow ({@code tun_id}, {@code tun_src}, {@code tun_dst}).
     */
    public void receiveFromUnderlay(MemorySegment segment, long offset, int length) {
        PacketBuffer packet = pool.take();
        MemorySegment.copy(segment, offset, packet.memory(), packet.start(), length);
        packet.length(length);
        try {
            receiveFromUnderlay(packet);
        } finally {
            pool.give(packet);
        }
    }

    /**
     * As {@link #receiveFromUnderlay(MemorySegment, long, int)}, for a frame already in a packet buffer (the socket
     * underlay puts the outer headers in front of the payload it received, in the headroom): decapsulated and switched
     * in place, without a copy. The caller keeps the buffer; its bytes are changed.
     */
    public void receiveFromUnderlay(PacketBuffer packet) {
        Malformed problem = decapsulator.decapsulate(packet, tunnel);
        if (problem != null) {
            count(problem);
            return;
        }
        boolean l3 = tunnel.innerProtocol() != Gre.PROTOCOL_TEB;
        TunnelPort port = demultiplex(l3);
        if (port == null) {
            count(
                    !demultiplexedOtherPacketType
                            ? DatapathDrop.TUNNEL_NO_PORT
                            : l3
                                    ? DatapathDrop.TUNNEL_L3_PAYLOAD_ON_L2_PORT
                                    : DatapathDrop.TUNNEL_L2_PAYLOAD_ON_L3_PORT);
            return;
        }
        port.counters().received(packet.length());
        if (l3) {
            // Into the bridge with an Ethernet header of zeroes whose type is the GRE protocol type, as Open
            // vSwitch's xlate_actions() gives a legacy_l3 port's packets (dl_src and dl_dst zero, dl_type set).
            PacketEditor.pushEthernet(packet, tunnel.innerProtocol());
        }
        captureIfAsked(port, true, packet);
        key.clear();
        key.set(Field.IN_PORT, port.ofport());
        key.set(Field.TUN_ID, tunnel.key());
        if (tunnel.ipVersion() == 4) {
            key.set(Field.TUN_SRC, Integer.toUnsignedLong(tunnel.sourceV4()));
            key.set(Field.TUN_DST, Integer.toUnsignedLong(tunnel.destinationV4()));
        }
        process(bridgeOfPort.get(port), packet);
    }

    /**
     * The tunnel port a decapsulated packet belongs to, as Open vSwitch's {@code tnl_find()} looks for it: the packet
     * type is part of the match, so a bare IP payload ({@code l3}) goes to a {@code packet_type=legacy_l3} port and an
     * Ethernet frame to a {@code legacy_l2} one; two ports of the two types may share one tunnel. When none matches,
     * {@link #demultiplexedOtherPacketType} says whether a port of the other packet type would have.
     */
    private TunnelPort demultiplex(boolean l3) {
        TunnelPort best = null;
        demultiplexedOtherPacketType = false;
        for (TunnelPort port : tunnelPorts) {
            TunnelConfig config = port.config();
            if (config.type() != tunnel.type()) {
                continue;
            }
            if (config.type().overUdp() && config.destinationPort() != tunnel.destinationPort()) {
                continue;
            }
            if (!port.accepts(tunnel)) {
                continue;
            }
            if (port.carriesIp() != l3) {
                demultiplexedOtherPacketType = true;
            } else if (best == null || port.specificity() > best.specificity()) {
                best = port;
            }
        }
        return best;
    }

    private void process(Bridge bridge, PacketBuffer packet) {
        FlowExtractor.extract(packet.memory(), packet.start(), packet.length(), key);
        // One hash of the flow key serves the flow cache and, as the flow's hash, a tunnel's UDP source port.
        int flowHash = key.hash();
        MegaflowEntry entry = bridge.cache().classify(key, flowHash, packet.length(), clock.millis());
        if (entry.dropReason() != null) {
            count(entry.dropReason());
        }
        execute(entry.actions(), packet, flowHash);
    }

    /** Runs datapath actions on a packet: rewrites in place, outputs as they come (a tunnel output on a copy). */
    private void execute(DatapathAction[] actions, PacketBuffer packet, int flowHash) {
        long tunnelId = 0;
        int tunnelDestination = 0;
        for (DatapathAction action : actions) {
            switch (action) {
                case DatapathAction.Output(int number) -> output(number, packet, tunnelId, tunnelDestination, flowHash);
                case DatapathAction.SetTunnel(long id, int destination) -> {
                    tunnelId = id;
                    tunnelDestination = destination;
                }
                case DatapathAction.PushVlan(int tci) -> PacketEditor.pushVlan(packet, tci);
                case DatapathAction.PopVlan pop -> PacketEditor.popVlan(packet);
                case DatapathAction.SetVlan(int tci) -> PacketEditor.setVlan(packet, tci);
                case DatapathAction.SetEthernet(long source, long destination) ->
                    PacketEditor.setEthernet(packet, source, destination);
                case DatapathAction.SetIpv4(int source, int destination, int tos, int ttl) ->
                    PacketEditor.setIpv4(packet, source, destination, tos, ttl);
                case DatapathAction.SetArp(int operation, long sha, int spa, long tha, int tpa) ->
                    PacketEditor.setArp(packet, operation, sha, spa, tha, tpa);
                case DatapathAction.Controller(int maxLength) -> packetIns.accept(packet);
            }
        }
    }

    private void output(int number, PacketBuffer packet, long tunnelId, int tunnelDestination, int flowHash) {
        Port port = portsByNumber.get(number);
        switch (port) {
            case EthernetPort ethernet -> {
                captureIfAsked(ethernet, false, packet);
                ethernet.transmit(packet.memory(), packet.start(), packet.length());
            }
            case TunnelPort tunnelPort -> {
                captureIfAsked(tunnelPort, false, packet);
                PacketBuffer copy = pool.copyOf(packet);
                try {
                    int etherType = 0;
                    if (tunnelPort.carriesIp()) {
                        // Open vSwitch's pop_eth before a legacy_l3 port: off go the Ethernet header and its tags, and
                        // the Ethertype becomes the GRE protocol type.
                        etherType = PacketEditor.popEthernet(copy);
                        if (etherType < 0) {
                            tunnelPort.counters().transmitDropped();
                            count(TunnelDrop.L3_TUNNEL_NON_IP);
                            return;
                        }
                    }
                    DropReason problem =
                            tunnelPort.send(copy, tunnelId, tunnelDestination, etherType, flowHash, underlay);
                    if (problem != null) {
                        count(problem);
                    }
                } finally {
                    pool.give(copy);
                }
            }
            case null -> count(DatapathDrop.PORT_HAS_NO_RECEIVER);
            default -> count(DatapathDrop.PORT_HAS_NO_RECEIVER);
        }
    }

    /** Hands a copy of the frame to the port's capture, when one runs: a field read and a null test otherwise. */
    private static void captureIfAsked(Port port, boolean received, PacketBuffer packet) {
        CaptureSink capture = port.capture();
        if (capture != null) {
            capture.frame(received, packet.memory(), packet.start(), packet.length());
        }
    }

    private void count(DropReason reason) {
        countDrops(reason, 1);
    }

    /**
     * Counts a packet dropped before it reached the datapath (by the I/O thread or the underlay: flow-restore-wait,
     * a truncated receive, a refused send), with the datapath's own drops, so that one listing shows them all.
     */
    public void countDrop(DropReason reason) {
        count(reason);
    }

    /** As {@link #countDrop}, for {@code packets} dropped together (a refused batch): one lookup, not one each. */
    public void countDrops(DropReason reason, int packets) {
        drops.computeIfAbsent(reason.counterName(), name -> new long[1])[0] += packets;
    }

    /** The packet buffers of this datapath: real ports and the underlay receive into them. */
    public BufferPool bufferPool() {
        return pool;
    }

    /** Packets dropped, by reason's counter name, for {@code appctl dpif/show-dp-features}-style listings. */
    public Map<String, Long> dropCounters() {
        Map<String, Long> counters = new TreeMap<>();
        drops.forEach((name, count) -> counters.put(name, count[0]));
        return counters;
    }

    /**
     * Runs the timers: credits flows with their cached packets, expires flows whose timeouts passed and MACs that
     * aged out. The lab calls this every second of virtual time; the real switch, every second.
     */
    public void runTimers() {
        long now = clock.millis();
        pushStats();
        for (Bridge bridge : bridges.values()) {
            bridge.tables().expire();
            bridge.macs().expire(now);
        }
    }

    /**
     * Credits every flow with the packets its cached translations counted since the last push. Every bridge's cache
     * pushes: a megaflow of one bridge may credit another's flows, through a patch port.
     */
    public void pushStats() {
        for (Bridge bridge : bridges.values()) {
            bridge.cache().pushStats();
        }
    }

    /** Buffers the pool has made: a number that keeps growing is a leak. */
    public int buffersAllocated() {
        return pool.allocated();
    }
}
