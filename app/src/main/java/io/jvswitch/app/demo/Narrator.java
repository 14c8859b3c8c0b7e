package io.jvswitch.app.demo;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.jvs.JvsHost;
import io.jvswitch.ofproto.action.Action;
import io.jvswitch.ofproto.action.Output;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.RuleFormatter;
import io.jvswitch.ofproto.xlate.DatapathAction;
import io.jvswitch.ofproto.xlate.Translation;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.MacAddress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells what happens in a lab as it happens, stamped with virtual time: each time a host's switch translates a packet
 * (a cache miss: the first packet of a flow) where it came from, the bridges and tables it went through and where it
 * went; each flow that table 20 learns; and each frame on the underlay with the tunnel around it.
 */
final class Narrator {
    /** Where the text of a continuation line starts, under the event of the line above. */
    private static final String INDENT = " ".repeat(20);

    private final Lab lab;
    private final PrintWriter out;
    private final FrameSummary frames = new FrameSummary();
    /** Flows learned while a host translated a packet, told after that packet's walk. */
    private final Map<String, List<String>> learned = new LinkedHashMap<>();

    private boolean quiet;

    Narrator(Lab lab, PrintWriter out) {
        this.lab = lab;
        this.out = out;
    }

    /** Stops or resumes narrating (the steady state needs no commentary). */
    void quiet(boolean on) {
        flushLearned();
        this.quiet = on;
    }

    /** Narrates the frames put on an underlay segment. */
    void watchUnderlay(String segment) {
        lab.underlay().segment(segment).tap(frame -> {
            flushLearned();
            event("wire", List.of(frames.underlay(frame.frame())));
        });
    }

    /** Narrates what a host's switch does: translations and learned flows. */
    void watch(JvsHost host) {
        Datapath datapath = host.datapath();
        List<String> pending = learned.computeIfAbsent(host.name(), name -> new ArrayList<>());
        for (Bridge bridge : datapath.bridges()) {
            bridge.cache().onTranslation((key, translation) -> {
                List<String> lines = new ArrayList<>();
                lines.add(arrival(bridge, key) + " " + packet(key));
                lines.add(walk(datapath, bridge, translation));
                lines.add("=> " + outcome(datapath, translation));
                pending.forEach(flow -> lines.add(flow));
                pending.clear();
                event(host.name(), lines);
            });
            bridge.tables().addListener((table, match) -> {
                if (table == 20) {
                    bridge.tables().rules().stream()
                            .filter(rule -> rule.table() == 20 && rule.match().equals(match))
                            .findFirst()
                            .ifPresent(rule ->
                                    pending.add(bridge.name() + " learned: " + RuleFormatter.addFlowLine(rule)));
                }
            });
        }
    }

    /** Tells flows learned outside a translation (a cached flow replaying its learn) as events of their own. */
    private void flushLearned() {
        learned.forEach((host, flows) -> {
            for (String flow : flows) {
                event(host, List.of(flow));
            }
            flows.clear();
        });
    }

    private void event(String where, List<String> lines) {
        if (quiet) {
            return;
        }
        out.printf("  %9.6fs %-6s %s%n", lab.scheduler().now() / 1e9, where, lines.getFirst());
        for (String line : lines.subList(1, lines.size())) {
            out.println(INDENT + line);
        }
        out.flush();
    }

    /** {@code in vm1:} or {@code in gre-2 (from 192.168.1.101, key 0x1388):}. */
    private static String arrival(Bridge bridge, FlowKey key) {
        int inPort = (int) key.get(Field.IN_PORT);
        Port port = bridge.port(inPort);
        String name = port == null ? Integer.toString(inPort) : port.name();
        if (port instanceof TunnelPort) {
            return "in " + name + " (from " + Ipv4Address.format((int) key.get(Field.TUN_SRC)) + ", key 0x"
                    + Long.toHexString(key.get(Field.TUN_ID)) + "):";
        }
        return "in " + name + ":";
    }

    /** The packet, from its flow: {@code ARP who-has 10.0.0.2 tell 10.0.0.1}, {@code ICMP echo request ...}. */
    static String packet(FlowKey key) {
        int type = (int) key.get(Field.DL_TYPE);
        if (type == 0x0806) {
            String sender = Ipv4Address.format((int) key.get(Field.ARP_SPA));
            return key.get(Field.ARP_OP) == 1
                    ? "ARP who-has " + Ipv4Address.format((int) key.get(Field.ARP_TPA)) + " tell " + sender
                    : "ARP " + sender + " is-at " + MacAddress.format(key.get(Field.ARP_SHA));
        }
        if (type == 0x0800) {
            String addresses = Ipv4Address.format((int) key.get(Field.NW_SRC)) + " > "
                    + Ipv4Address.format((int) key.get(Field.NW_DST));
            int protocol = (int) key.get(Field.NW_PROTO);
            if (protocol == 1) {
                long icmpType = key.get(Field.ICMP_TYPE);
                String kind = icmpType == 8 ? "echo request" : icmpType == 0 ? "echo reply" : "type " + icmpType;
                return "ICMP " + kind + " " + addresses;
            }
            return "IPv4 protocol " + protocol + " " + addresses;
        }
        return String.format(
                "EtherType 0x%04x %s > %s",
                type, MacAddress.format(key.get(Field.DL_SRC)), MacAddress.format(key.get(Field.DL_DST)));
    }

    /** The tables the packet went through: {@code br-int NORMAL | br-tun table 0 > 1 > 21}. */
    private static String walk(Datapath datapath, Bridge ingress, Translation translation) {
        StringBuilder text = new StringBuilder();
        Bridge current = null;
        for (Rule rule : translation.rules()) {
            Bridge bridge = bridgeOf(datapath, rule, ingress);
            boolean normal = isNormal(rule);
            if (bridge != current) {
                text.append(current == null ? "" : " | ").append(bridge.name());
                text.append(normal ? " NORMAL" : " table " + rule.table());
                current = bridge;
            } else {
                text.append(" > ").append(normal ? "NORMAL" : rule.table());
            }
        }
        return text.isEmpty() ? ingress.name() + ": no flow matched" : text.toString();
    }

    private static boolean isNormal(Rule rule) {
        for (Action action : rule.actions()) {
            if (action instanceof Output(int port) && port == Ports.NORMAL) {
                return true;
            }
        }
        return false;
    }

    private static Bridge bridgeOf(Datapath datapath, Rule rule, Bridge fallback) {
        for (Bridge bridge : datapath.bridges()) {
            for (Rule each : bridge.tables().rules()) {
                if (each == rule) {
                    return bridge;
                }
            }
        }
        return fallback;
    }

    /**
     * The datapath actions in order, edits then the ports they apply to: {@code push VLAN 1, out br-int; pop VLAN,
     * tunnel key 0x1388, out gre-2 (192.168.1.101), gre-1 (192.168.1.102)}.
     */
    private static String outcome(Datapath datapath, Translation translation) {
        if (translation.dropReason() != null) {
            return "dropped: " + translation.dropReason().description();
        }
        if (translation.actions().isEmpty()) {
            return "dropped (no output)";
        }
        StringBuilder text = new StringBuilder();
        boolean outputting = false;
        for (DatapathAction action : translation.actions()) {
            if (action instanceof DatapathAction.Output(int number)) {
                text.append(outputting ? ", " : text.isEmpty() ? "out " : ", out ");
                text.append(portName(datapath.port(number), number));
                outputting = true;
                continue;
            }
            text.append(outputting ? "; " : text.isEmpty() ? "" : ", ").append(edit(action));
            outputting = false;
        }
        return text.toString();
    }

    private static String edit(DatapathAction action) {
        return switch (action) {
            case DatapathAction.SetTunnel(long id, int destination) ->
                "tunnel key 0x" + Long.toHexString(id)
                        + (destination != 0 ? " to " + Ipv4Address.format(destination) : "");
            case DatapathAction.PushVlan(int tci) -> "push VLAN " + (tci & 0xfff);
            case DatapathAction.PopVlan() -> "pop VLAN";
            case DatapathAction.SetVlan(int tci) -> "set VLAN " + (tci & 0xfff);
            case DatapathAction.SetEthernet(long source, long destination) ->
                "set Ethernet " + MacAddress.format(source) + " > " + MacAddress.format(destination);
            case DatapathAction.SetArp(int operation, long senderMac, int senderIp, long targetMac, int targetIp) ->
                operation == 2
                        ? "make it ARP " + Ipv4Address.format(senderIp) + " is-at " + MacAddress.format(senderMac)
                        : "make it ARP who-has " + Ipv4Address.format(targetIp) + " tell "
                                + Ipv4Address.format(senderIp);
            default -> action.toString();
        };
    }

    private static String portName(Port port, int number) {
        if (port == null) {
            return Integer.toString(number);
        }
        if (port instanceof TunnelPort tunnel) {
            return port.name() + " (" + TunnelConfig.addressText(tunnel.config().remoteIp()) + ")";
        }
        return port.name();
    }
}
