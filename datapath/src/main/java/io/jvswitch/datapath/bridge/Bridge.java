package io.jvswitch.datapath.bridge;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.cache.FlowCache;
import io.jvswitch.datapath.normal.MacLearningSwitch;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.FrameSink;
import io.jvswitch.datapath.port.PatchPort;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.datapath.port.PortType;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.xlate.BridgeView;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Open vSwitch bridge: its ports numbered as Open vSwitch numbers them, its OpenFlow tables (starting, as a new
 * bridge does, with {@code priority=0 actions=NORMAL}), its MAC table for NORMAL, and the flow cache packets entering
 * it go through. Its own internal port, named like the bridge, is OpenFlow port {@code LOCAL}.
 */
public final class Bridge implements BridgeView {
    private final String name;
    private final Datapath datapath;
    private final FlowTables tables;
    private final MacLearningSwitch macs = new MacLearningSwitch();
    private final BridgeNormal normal;
    private final FlowCache cache;
    private final TreeMap<Integer, Port> byNumber = new TreeMap<>();
    private final Map<String, Port> byName = new LinkedHashMap<>();
    private int[] portNumbers = new int[0];

    public Bridge(String name, Datapath datapath) {
        this.name = name;
        this.datapath = datapath;
        this.tables = new FlowTables(datapath.clock());
        this.normal = new BridgeNormal(this, macs, datapath.clock());
        this.cache = new FlowCache(this, datapath.clock());
        macs.onChange(cache::invalidate);
        tables.apply(FlowParser.parse("priority=0 actions=NORMAL", FlowMod.Command.ADD));
        addPort(new EthernetPort(name, PortType.INTERNAL, 0, null));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FlowTables tables() {
        return tables;
    }

    public FlowCache cache() {
        return cache;
    }

    public MacLearningSwitch macs() {
        return macs;
    }

    public Datapath datapath() {
        return datapath;
    }

    /**
     * Adds a port: the bridge's own internal port becomes {@code LOCAL}; any other takes the lowest free number from
     * 1. Names are unique across the whole switch.
     */
    public Port addPort(Port port) {
        if (datapath.findPort(port.name()) != null) {
            throw new IllegalArgumentException("a port named " + port.name() + " already exists");
        }
        int number = port.name().equals(name) && port.type() == PortType.INTERNAL ? Ports.LOCAL : firstFree();
        port.assignOfport(number);
        byNumber.put(number, port);
        byName.put(port.name(), port);
        portNumbers = byNumber.keySet().stream().mapToInt(Integer::intValue).toArray();
        datapath.registerPort(this, port);
        cache.invalidate(macs.dependency()); // flooding decisions change with the port list
        return port;
    }

    private int firstFree() {
        int number = 1;
        while (byNumber.containsKey(number)) {
            number++;
        }
        return number;
    }

    /** Removes a port, forgetting the MACs learned on it. */
    public Port removePort(String portName) {
        Port port = byName.remove(portName);
        if (port == null) {
            throw new IllegalArgumentException("bridge " + name + " has no port " + portName);
        }
        if (port.ofport() == Ports.LOCAL) {
            byName.put(portName, port);
            throw new IllegalArgumentException(portName + " is the bridge's own port: delete the bridge instead");
        }
        byNumber.remove(port.ofport());
        portNumbers = byNumber.keySet().stream().mapToInt(Integer::intValue).toArray();
        macs.forgetPort(port.ofport());
        datapath.unregisterPort(port);
        cache.invalidate(macs.dependency());
        return port;
    }

    public Port port(String portName) {
        return byName.get(portName);
    }

    public Port port(int ofport) {
        return byNumber.get(ofport);
    }

    /** Ports in OpenFlow number order (LOCAL last). */
    public Collection<Port> ports() {
        return List.copyOf(byNumber.values());
    }

    /** Attaches a receiver to the bridge's own internal port (the host's stack behind it). */
    public void attachLocal(FrameSink sink) {
        ((EthernetPort) byNumber.get(Ports.LOCAL)).attach(sink);
    }

    @Override
    public int[] portNumbers() {
        return portNumbers;
    }

    @Override
    public String portName(int port) {
        Port found = byNumber.get(port);
        return found == null ? Integer.toString(port) : found.name();
    }

    @Override
    public int datapathPort(int port) {
        Port found = byNumber.get(port);
        return found == null ? -1 : datapath.datapathPort(found);
    }

    @Override
    public boolean isTunnel(int port) {
        Port found = byNumber.get(port);
        return found != null && found.type().isTunnel();
    }

    @Override
    public PatchPeer patchPeer(int port) {
        if (!(byNumber.get(port) instanceof PatchPort patch)) {
            return null;
        }
        Port peer = datapath.findPort(patch.peer());
        if (!(peer instanceof PatchPort peerPatch) || !peerPatch.peer().equals(patch.name())) {
            return null; // a patch port whose peer is missing or points elsewhere sends nothing, as in OVS
        }
        return new PatchPeer(datapath.bridgeOf(peer), peer.ofport());
    }

    @Override
    public NormalSwitch normal() {
        return normal;
    }

    @Override
    public String toString() {
        return name;
    }
}
