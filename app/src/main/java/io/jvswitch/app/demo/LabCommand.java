package io.jvswitch.app.demo;

import io.jvswitch.agent.HostStateException;
import io.jvswitch.agent.Layout;
import io.jvswitch.app.command.CliErrors;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.show.DumpFlows;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.jvs.JvsHost;
import io.jvswitch.lab.jvs.JvsSwitching;
import io.jvswitch.lab.script.ScriptReport;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.lab.topology.TopologyException;
import io.jvswitch.lab.topology.TopologyLoader;
import io.jvswitch.lab.underlay.Segment;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.text.FlowKeyParser;
import io.jvswitch.ofproto.text.FlowParseException;
import io.jvswitch.ofproto.xlate.Translator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jvs lab}: a user's topology, run in-process with jvswitch on every host. */
@Command(
        name = "lab",
        description = "Run a topology and script of your own in the in-process lab.",
        mixinStandardHelpOptions = true,
        subcommands = {LabCommand.Run.class, LabCommand.Example.class, CommandLine.HelpCommand.class})
public final class LabCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliErrors.usage(spec, "missing subcommand (run, example)");
    }

    /** {@code jvs lab example}: the tutorial's topology file, to start one's own from. */
    @Command(
            name = "example",
            description = "Print the tutorial's topology file, a starting point for your own (jvs lab example >"
                    + " my.yaml).",
            mixinStandardHelpOptions = true)
    public static final class Example implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try (var in = TopologyLoader.class.getResourceAsStream(TopologyLoader.TUTORIAL_RESOURCE)) {
                if (in == null) {
                    throw new IOException(TopologyLoader.TUTORIAL_RESOURCE + ": missing from the jar");
                }
                PrintWriter out = spec.commandLine().getOut();
                out.print(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
            }
            return 0;
        }
    }

    /** {@code jvs lab run FILE}: build the topology, play its script, then show what the switches hold. */
    @Command(
            name = "run",
            description = {
                "Build a topology from a YAML file, put jvswitch on every host, play the file's script, and report"
                        + " each step. Then print what --show, --dump-flows and --trace ask for.",
                "",
                "The file describes segments, routers, tenant networks, hosts with their VMs and peers, and a script"
                        + " of pings, datagrams, waits and expectations; jvs lab example prints the tutorial's."
                        + " Runs on virtual time: no root, nothing is sent on a real network.",
                "",
                "Exit status: 0 when every step passed, 1 when one failed, 2 for a bad file or option.",
                ""
            },
            mixinStandardHelpOptions = true,
            sortOptions = false)
    public static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The topology, in YAML.")
        Path file;

        @Option(
                names = "--layout",
                paramLabel = "LAYOUT",
                defaultValue = "tutorial",
                description = "br-tun's flows: tutorial or neutron (default: ${DEFAULT-VALUE}).")
        String layout;

        @Option(
                names = "--narrate",
                description = "Tell each translation, learned flow and underlay frame as it happens.")
        boolean narrate;

        @Option(
                names = "--pcap",
                paramLabel = "DIR",
                description = "Write a pcap per underlay segment and per VM port to DIR.")
        Path pcapDirectory;

        @Option(
                names = "--show",
                paramLabel = "HOST",
                description = "After the script, print HOST's switch as ovs-vsctl show does. Repeatable.")
        List<String> shows = new ArrayList<>();

        @Option(
                names = "--dump-flows",
                paramLabel = "HOST:BRIDGE",
                description = "After the script, print a bridge's flows with their counters. Repeatable.")
        List<String> dumps = new ArrayList<>();

        @Option(
                names = "--trace",
                paramLabel = "HOST:BRIDGE:FLOW",
                description = "After the script, trace a packet through a bridge as ofproto/trace does, e.g."
                        + " host1:br-tun:in_port=1,dl_vlan=1,dl_dst=ff:ff:ff:ff:ff:ff. Repeatable.")
        List<String> traces = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            Layout chosenLayout = layout(spec, layout);
            Topology topology;
            try {
                topology = TopologyLoader.load(file);
            } catch (TopologyException e) {
                throw CliErrors.usage(spec, String.join("\n", e.problems()));
            }
            List<String> hostNames =
                    topology.hosts().stream().map(Topology.Host::name).toList();
            for (String host : shows) {
                checkHost(host, hostNames, "--show");
            }
            List<String[]> dumpTargets = split(dumps, 2, "--dump-flows", "HOST:BRIDGE", hostNames);
            List<String[]> traceTargets = split(traces, 3, "--trace", "HOST:BRIDGE:FLOW", hostNames);
            List<FlowKey> traceFlows = new ArrayList<>();
            for (String[] target : traceTargets) {
                try {
                    traceFlows.add(FlowKeyParser.parse(target[2]));
                } catch (FlowParseException e) {
                    throw CliErrors.usage(spec, "--trace " + String.join(":", target) + ": " + e.getMessage());
                }
            }

            PrintWriter out = spec.commandLine().getOut();
            JvsSwitching switching = new JvsSwitching(chosenLayout);
            LabCaptures captures = null;
            try (Lab lab = Lab.build(topology)) {
                if (pcapDirectory != null) {
                    captures = LabCaptures.start(pcapDirectory, lab, switching);
                }
                try {
                    lab.attach(switching);
                } catch (HostStateException e) {
                    throw CliErrors.usage(spec, file + ": " + e.getMessage());
                }
                for (String[] target : dumpTargets) {
                    bridge(switching, target[0], target[1], "--dump-flows");
                }
                for (String[] target : traceTargets) {
                    bridge(switching, target[0], target[1], "--trace");
                }
                out.println("lab " + topology.name() + ": " + hostNames.size() + " hosts running jvswitch ("
                        + chosenLayout.name().toLowerCase(Locale.ROOT) + " layout), "
                        + lab.vms().size() + " VMs, "
                        + topology.script().size() + " script steps");
                if (narrate) {
                    Narrator narrator = new Narrator(lab, out);
                    switching.hosts().forEach(narrator::watch);
                    lab.underlay().segments().stream().map(Segment::name).forEach(narrator::watchUnderlay);
                }
                ScriptReport report = lab.runScript();
                for (ScriptReport.Result result : report.results()) {
                    out.println(result.line());
                }
                int failed = report.failures().size();
                out.println(
                        failed == 0
                                ? "script: all " + report.results().size() + " steps passed"
                                : "script: " + failed + " of "
                                        + report.results().size() + " steps failed");
                // Credit the packets the caches forwarded to their flows before anyone reads a counter.
                switching.hosts().forEach(host -> host.datapath().runTimers());
                for (String host : shows) {
                    out.println();
                    out.println(host + "$ jvs vsctl show");
                    out.print(switching.host(host).agent().show());
                }
                for (String[] target : dumpTargets) {
                    out.println();
                    out.println(target[0] + "$ jvs ofctl dump-flows " + target[1]);
                    out.print(DumpFlows.render(bridge(switching, target[0], target[1], "--dump-flows")));
                }
                for (int i = 0; i < traceTargets.size(); i++) {
                    String[] target = traceTargets.get(i);
                    StringBuilder trace = new StringBuilder();
                    Translator.traceWithoutLearning(
                            bridge(switching, target[0], target[1], "--trace"), traceFlows.get(i), trace);
                    out.println();
                    out.println(target[0] + "$ jvs appctl ofproto/trace " + target[1] + " " + target[2]);
                    out.print(trace);
                }
                if (captures != null) {
                    out.println();
                    out.println("Captures:");
                    captures.files().forEach(capture -> out.println("  " + capture));
                }
                out.flush();
                return failed == 0 ? 0 : 1;
            } finally {
                if (captures != null) {
                    captures.close();
                }
            }
        }

        private void checkHost(String host, List<String> hostNames, String option) {
            if (!hostNames.contains(host)) {
                throw CliErrors.usage(
                        spec,
                        option + ": no host named '" + host + "' in " + file + " (hosts: "
                                + String.join(", ", hostNames) + ")");
            }
        }

        private List<String[]> split(List<String> values, int parts, String option, String shape, List<String> hosts) {
            List<String[]> targets = new ArrayList<>();
            for (String value : values) {
                String[] target = value.split(":", parts);
                if (target.length != parts || target[0].isEmpty() || target[1].isEmpty()) {
                    throw CliErrors.usage(spec, option + ": '" + value + "' is not " + shape);
                }
                checkHost(target[0], hosts, option);
                targets.add(target);
            }
            return targets;
        }

        private Bridge bridge(JvsSwitching switching, String hostName, String bridgeName, String option) {
            JvsHost host = switching.host(hostName);
            Bridge bridge = host.datapath().bridge(bridgeName);
            if (bridge == null) {
                List<String> names =
                        host.datapath().bridges().stream().map(Bridge::name).toList();
                throw CliErrors.usage(
                        spec,
                        option + ": " + hostName + " has no bridge '" + bridgeName + "' (bridges: "
                                + String.join(", ", names) + ")");
            }
            return bridge;
        }
    }

    /** A {@code --layout} value, or a usage error naming the choices. */
    static Layout layout(CommandSpec spec, String text) {
        try {
            return Layout.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CliErrors.usage(spec, "--layout: unknown layout '" + text + "' (choose from tutorial, neutron)");
        }
    }
}
