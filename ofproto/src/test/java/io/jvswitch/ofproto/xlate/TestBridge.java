package io.jvswitch.ofproto.xlate;

import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.text.FlowKeyParser;
import io.jvswitch.ofproto.text.FlowParser;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A bridge for translation tests: its flow tables, named ports, which of them are tunnels or skip FLOOD, patch ports
 * joined to another test bridge, and optionally a NORMAL switch.
 */
final class TestBridge implements BridgeView {
    private final String name;
    private final FlowTables tables;
    private final TreeMap<Integer, String> ports = new TreeMap<>();
    private final Set<Integer> tunnels = new HashSet<>();
    private final Set<Integer> noFlood = new HashSet<>();
    private final Map<Integer, PatchPeer> peers = new HashMap<>();
    private NormalSwitch normal;

    TestBridge(String name, FlowTables tables) {
        this.name = name;
        this.tables = tables;
    }

    /** A bridge with these add-flow lines in its tables. */
    static TestBridge withFlows(String name, InstantSource clock, String... flows) {
        FlowTables tables = new FlowTables(clock);
        tables.applyAll(FlowParser.parseLines(List.of(flows), FlowMod.Command.ADD, name));
        return new TestBridge(name, tables);
    }

    /** A packet's flow in ofproto/trace syntax. */
    static FlowKey flow(String text) {
        return FlowKeyParser.parse(text);
    }

    TestBridge port(int number, String portName) {
        ports.put(number, portName);
        return this;
    }

    TestBridge tunnel(int number, String portName) {
        tunnels.add(number);
        return port(number, portName);
    }

    TestBridge noFlood(int number, String portName) {
        noFlood.add(number);
        return port(number, portName);
    }

    TestBridge normal(NormalSwitch normalSwitch) {
        this.normal = normalSwitch;
        return this;
    }

    /** Joins {@code port} of {@code a} and {@code peerPort} of {@code b} with a patch cable. */
    static void patch(TestBridge a, int port, String portName, TestBridge b, int peerPort, String peerPortName) {
        a.port(port, portName);
        b.port(peerPort, peerPortName);
        a.peers.put(port, new PatchPeer(b, peerPort));
        b.peers.put(peerPort, new PatchPeer(a, port));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FlowTables tables() {
        return tables;
    }

    @Override
    public int[] portNumbers() {
        return ports.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String portName(int port) {
        return ports.getOrDefault(port, Integer.toString(port));
    }

    @Override
    public boolean isTunnel(int port) {
        return tunnels.contains(port);
    }

    @Override
    public boolean noFlood(int port) {
        return noFlood.contains(port);
    }

    @Override
    public PatchPeer patchPeer(int port) {
        return peers.get(port);
    }

    @Override
    public NormalSwitch normal() {
        return normal;
    }

    /**
     * A NORMAL switch that answers what it is told: the ports it returns, the fields it says it read (dl_dst), one
     * MAC learned as a side effect, one note. It records every call.
     */
    static final class StubNormal implements NormalSwitch, SideEffect.MacLearner {
        final List<String> calls = new ArrayList<>();
        final List<String> learned = new ArrayList<>();
        private final int[] ports;
        private final String note;

        StubNormal(String note, int... ports) {
            this.ports = ports;
            this.note = note;
        }

        @Override
        public int[] forward(
                FlowKey flow,
                int inPort,
                long[] wildcards,
                List<SideEffect> sideEffects,
                java.util.Set<Dependency> dependencies,
                StringBuilder notes,
                boolean learn) {
            calls.add("in_port=" + inPort + " " + flow);
            SubFields.markRead(wildcards, Field.DL_DST);
            SubFields.markRead(wildcards, Field.DL_SRC);
            int vlan = (int) (flow.get(Field.VLAN_TCI) & 0x0fff);
            if (learn) {
                sideEffects.add(new SideEffect.LearnMac(this, vlan, flow.get(Field.DL_SRC), inPort));
            }
            notes.append(note);
            return ports.clone();
        }

        @Override
        public void learn(int vlan, long mac, int port, long nowMillis) {
            learned.add("vlan " + vlan + " mac " + Long.toHexString(mac) + " port " + port + " at " + nowMillis);
        }
    }
}
