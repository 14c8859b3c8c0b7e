package io.jvswitch.app.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.normal.MacLearningSwitch;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.datapath.port.PortCounters;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.RuleFormatter;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.wire.MacAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The read commands' answers, as Open vSwitch's tools print them and as JSON for {@code --format json}. Each method
 * reads the datapath and must run on its thread.
 */
final class SwitchViews {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SwitchViews() {}

    /** {@code ovs-vsctl show} as JSON: the switch's UUID, each bridge, its ports with type, tag and options. */
    static ObjectNode showJson(String uuid, Datapath datapath) {
        ObjectNode root = JSON.objectNode().put("uuid", uuid);
        ArrayNode bridges = root.putArray("bridges");
        datapath.bridges().stream().sorted(Comparator.comparing(Bridge::name)).forEach(bridge -> {
            ObjectNode node = bridges.addObject().put("name", bridge.name());
            ArrayNode ports = node.putArray("ports");
            bridge.ports().stream().sorted(Comparator.comparing(Port::name)).forEach(port -> ports.add(portJson(port)));
        });
        return root;
    }

    private static ObjectNode portJson(Port port) {
        ObjectNode node = JSON.objectNode()
                .put("name", port.name())
                .put("ofport", port.ofport() == Ports.LOCAL ? "LOCAL" : Integer.toString(port.ofport()))
                .put("type", port.type().ovsName());
        if (port instanceof EthernetPort ethernet && ethernet.tag() != 0) {
            node.put("tag", ethernet.tag());
        }
        ObjectNode options = node.putObject("options");
        port.options().forEach(options::put);
        return node;
    }

    /** dump-flows as JSON: each flow's add-flow text and its counters. */
    static ObjectNode flowsJson(String bridge, List<Rule> rules, long nowMillis) {
        ObjectNode root = JSON.objectNode().put("bridge", bridge);
        ArrayNode flows = root.putArray("flows");
        for (Rule rule : rules) {
            flows.addObject()
                    .put("table", rule.table())
                    .put("priority", rule.priority())
                    .put("cookie", "0x" + Long.toHexString(rule.cookie()))
                    .put("flow", RuleFormatter.addFlowLine(rule))
                    .put("n_packets", rule.packets())
                    .put("n_bytes", rule.bytes())
                    .put("duration_ms", nowMillis - rule.createdMillis());
        }
        return root;
    }

    /** ovs-ofctl dump-ports over OpenFlow 1.0: a header, then two lines per port, LOCAL last. */
    static String dumpPorts(Bridge bridge) {
        List<Port> ports = List.copyOf(bridge.ports());
        StringBuilder out = new StringBuilder("OFPST_PORT reply (xid=0x2): ")
                .append(ports.size())
                .append(ports.size() == 1 ? " port" : " ports")
                .append('\n');
        for (Port port : ports) {
            PortCounters c = port.counters();
            String number = port.ofport() == Ports.LOCAL ? "LOCAL" : Integer.toString(port.ofport());
            out.append("  port ")
                    .append(number.length() == 1 ? " " : "")
                    .append(number)
                    .append(": rx pkts=")
                    .append(c.rxPackets())
                    .append(", bytes=")
                    .append(c.rxBytes())
                    .append(", drop=")
                    .append(c.rxDropped())
                    .append(", errs=0, frame=0, over=0, crc=0\n");
            out.append("           tx pkts=")
                    .append(c.txPackets())
                    .append(", bytes=")
                    .append(c.txBytes())
                    .append(", drop=")
                    .append(c.txDropped())
                    .append(", errs=0, coll=0\n");
        }
        return out.toString();
    }

    static ObjectNode dumpPortsJson(Bridge bridge) {
        ObjectNode root = JSON.objectNode().put("bridge", bridge.name());
        ArrayNode ports = root.putArray("ports");
        for (Port port : bridge.ports()) {
            PortCounters c = port.counters();
            ports.addObject()
                    .put("port", port.ofport() == Ports.LOCAL ? "LOCAL" : Integer.toString(port.ofport()))
                    .put("name", port.name())
                    .put("rx_packets", c.rxPackets())
                    .put("rx_bytes", c.rxBytes())
                    .put("rx_dropped", c.rxDropped())
                    .put("tx_packets", c.txPackets())
                    .put("tx_bytes", c.txBytes())
                    .put("tx_dropped", c.txDropped());
        }
        return root;
    }

    /** ovs-appctl fdb/show: the MAC table, as {@code port VLAN MAC Age} columns. */
    static String fdb(Bridge bridge, long nowMillis) {
        StringBuilder out = new StringBuilder(" port  VLAN  MAC                Age\n");
        for (MacLearningSwitch.Entry entry : fdbEntries(bridge)) {
            out.append(String.format(
                    "%5s  %4d  %s  %3d%n",
                    bridge.portName(entry.port()),
                    entry.vlan(),
                    MacAddress.format(entry.mac()),
                    age(entry, nowMillis)));
        }
        return out.toString();
    }

    static ArrayNode fdbJson(Bridge bridge, long nowMillis) {
        ArrayNode entries = JSON.arrayNode();
        for (MacLearningSwitch.Entry entry : fdbEntries(bridge)) {
            entries.addObject()
                    .put("port", bridge.portName(entry.port()))
                    .put("vlan", entry.vlan())
                    .put("mac", MacAddress.format(entry.mac()))
                    .put("age", age(entry, nowMillis));
        }
        return entries;
    }

    private static List<MacLearningSwitch.Entry> fdbEntries(Bridge bridge) {
        return bridge.macs().entries().stream()
                .sorted(Comparator.comparingInt(MacLearningSwitch.Entry::port)
                        .thenComparingInt(MacLearningSwitch.Entry::vlan)
                        .thenComparingLong(MacLearningSwitch.Entry::mac))
                .toList();
    }

    private static long age(MacLearningSwitch.Entry entry, long nowMillis) {
        return Math.max(0, (nowMillis - entry.lastSeenMillis()) / 1000);
    }

    /**
     * ovs-appctl tnl/ports/show: the receive ports tunnels listen on, as Open vSwitch names its tunnel netdevs
     * ({@code gre_sys}, {@code vxlan_sys_4789}), each with how many tunnel ports share it.
     */
    static String tunnelPorts(Datapath datapath) {
        StringBuilder out = new StringBuilder("Listening ports:\n");
        listening(datapath)
                .forEach((name, count) ->
                        out.append(name).append(" ref_cnt=").append(count).append('\n'));
        return out.toString();
    }

    static ObjectNode tunnelPortsJson(Datapath datapath) {
        ObjectNode root = JSON.objectNode();
        ArrayNode listening = root.putArray("listening");
        listening(datapath)
                .forEach(
                        (name, count) -> listening.addObject().put("name", name).put("ref_cnt", count));
        ArrayNode ports = root.putArray("ports");
        for (TunnelPort port : tunnelPortList(datapath)) {
            ports.add(portJson(port));
        }
        return root;
    }

    private static Map<String, Integer> listening(Datapath datapath) {
        Map<String, Integer> counts = new TreeMap<>();
        for (TunnelPort port : tunnelPortList(datapath)) {
            TunnelType type = port.config().type();
            String name = type.overUdp()
                    ? (type == TunnelType.VXLAN ? "vxlan" : "greudp") + "_sys_"
                            + port.config().destinationPort() + " ("
                            + port.config().destinationPort() + ")"
                    : "gre_sys (gre)";
            counts.merge(name, 1, Integer::sum);
        }
        return counts;
    }

    private static List<TunnelPort> tunnelPortList(Datapath datapath) {
        return datapath.bridges().stream()
                .flatMap(bridge -> bridge.ports().stream())
                .filter(port -> port instanceof TunnelPort)
                .map(port -> (TunnelPort) port)
                .sorted(Comparator.comparing(Port::name))
                .toList();
    }

    /** Packets the datapath dropped, by reason: one {@code name: count} line each, or a line saying there were none. */
    static String drops(Datapath datapath) {
        Map<String, Long> counters = datapath.dropCounters();
        if (counters.isEmpty()) {
            return "No packets dropped.\n";
        }
        StringBuilder out = new StringBuilder("Drop counters:\n");
        counters.forEach((name, count) ->
                out.append("  ").append(name).append(": ").append(count).append('\n'));
        return out.toString();
    }

    static ObjectNode dropsJson(Datapath datapath) {
        ObjectNode root = JSON.objectNode();
        datapath.dropCounters().forEach(root::put);
        return root;
    }
}
