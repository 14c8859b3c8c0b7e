package io.jvswitch.app.command;

import io.jvswitch.ofproto.action.Action;
import io.jvswitch.ofproto.action.Output;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowModException;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.text.FlowKeyParser;
import io.jvswitch.ofproto.text.FlowParseException;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.xlate.BridgeView;
import io.jvswitch.ofproto.xlate.Translator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jvs trace}: a packet's walk through a file of flows, with no switch running. */
@Command(
        name = "trace",
        description = {
            "Trace a packet through a file of flows, as ofproto/trace shows it.",
            "",
            "No switch needs to run: the flows are loaded into a bridge of their own.",
            "The flows file holds add-flow lines or a saved dump-flows (counters are ignored). The packet is a flow:",
            "  jvs trace --flows br-tun.flows --bridge br-tun --tunnel-ports 2,3 \\",
            "      in_port=1,dl_vlan=1,dl_src=fa:16:3e:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff"
        },
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class TraceCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--flows",
            required = true,
            paramLabel = "FILE",
            description = "Flows in ovs-ofctl syntax, one per line.")
    Path flows;

    @Option(
            names = "--bridge",
            paramLabel = "NAME",
            defaultValue = "br0",
            description = "The bridge's name in the trace (default: ${DEFAULT-VALUE}).")
    String bridge;

    @Option(
            names = "--tunnel-ports",
            paramLabel = "PORT",
            split = ",",
            description = "Ports that are tunnels: output to them carries the flow's tun_id (for example 2,3).")
    List<Integer> tunnelPorts = List.of();

    @Parameters(index = "0", paramLabel = "FLOW", description = "The packet, as fields: in_port=1,arp,...")
    String flow;

    @Override
    public Integer call() throws IOException {
        List<String> lines = FlowFiles.read(flows);
        FlowTables tables = new FlowTables(InstantSource.system());
        try {
            tables.applyAll(FlowParser.parseLines(lines, FlowMod.Command.ADD, flows.toString()));
        } catch (FlowParseException | FlowModException e) {
            throw CliErrors.usage(spec, e.getMessage());
        }
        FlowKey key;
        try {
            key = FlowKeyParser.parse(flow);
        } catch (FlowParseException e) {
            throw CliErrors.usage(spec, "FLOW: " + e.getMessage());
        }
        StringBuilder trace = new StringBuilder();
        Translator.traceWithoutLearning(new FileBridge(bridge, tables, Set.copyOf(tunnelPorts), key), key, trace);
        PrintWriter out = spec.commandLine().getOut();
        out.print(trace);
        out.flush();
        return 0;
    }

    /** A bridge known only by its flows: its ports are the ones the flows and the packet name. */
    private record FileBridge(String name, FlowTables tables, Set<Integer> tunnels, FlowKey packet)
            implements BridgeView {
        @Override
        public int[] portNumbers() {
            Set<Integer> ports = new TreeSet<>(tunnels);
            ports.add((int) packet.get(Field.IN_PORT));
            for (var rule : tables.rules()) {
                if (rule.match().has(Field.IN_PORT)) {
                    ports.add((int) rule.match().get(Field.IN_PORT));
                }
                for (Action action : rule.actions()) {
                    if (action instanceof Output(int port) && port < Ports.MAX) {
                        ports.add(port);
                    }
                }
            }
            return ports.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public boolean isTunnel(int port) {
            return tunnels.contains(port);
        }
    }
}
