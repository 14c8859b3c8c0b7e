package io.jvswitch.app.demo;

import io.jvswitch.agent.Layout;
import io.jvswitch.app.command.CliErrors;
import io.jvswitch.app.demo.netns.NetnsDemo;
import io.jvswitch.app.demo.netns.NetnsLab;
import io.jvswitch.datapath.cache.FlowCache;
import io.jvswitch.datapath.show.DumpFlows;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.guest.PingOptions;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.jvs.JvsHost;
import io.jvswitch.lab.jvs.JvsSwitching;
import io.jvswitch.lab.topology.NetworkType;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.lab.topology.TopologyLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jvs demo}: the tutorial, live. Three hosts run jvswitch in one process on a simulated underlay and virtual
 * time; the tunnel agent configures each from the tutorial's topology; VM1 pings VM2 while the demo tells what the
 * switches do; then it prints the first host's {@code show} and {@code dump-flows br-tun}.
 */
@Command(
        name = "demo",
        description = {
            "Watch the tutorial happen: VM1 pings VM2 across GRE or VXLAN tunnels.",
            "",
            "Three hosts (192.168.1.100, .101, .102) run jvswitch in this process on a simulated underlay, on virtual"
                    + " time: no root, nothing is sent on a real network. The tunnel agent builds br-int and br-tun"
                    + " on each host for one tenant network (tunnel id 0x1388) with VM1 (10.0.0.1) on the first host"
                    + " and VM2 (10.0.0.2) on the second. VM1 pings VM2; each step is told as it happens: the ARP"
                    + " request flooded to every tunnel, table 20 learning where VM2 lives, the echoes going unicast."
                    + " Then the first host's show and dump-flows br-tun, with real counters.",
            "",
            "KIND is one of:",
            "  gre              GRE tunnels, key 0x1388 (the default, as in the tutorial)",
            "  vxlan            VXLAN tunnels, VNI 5000",
            "  vxlan-multicast  VXLAN with VTEPs in group 239.1.1.1; floods go to the group",
            "  l3-gre           the tutorial's first example: RA and RB joined by L3 GRE",
            "",
            "With --netns (root and iproute2 needed), the same network runs on real kernels instead: an underlay"
                    + " namespace with a Linux bridge, hypervisor namespaces host1, host2, host3 on 198.18.0.1/.2/.3"
                    + " (veth eth0 each), one jvs daemon process in each, configured by the tunnel agent from a host"
                    + " file; VM1 and VM2 are namespaces holding the TAP devices their daemons made (the VM's MAC, MTU"
                    + " 1458 for GRE, 1450 for VXLAN). The real ping runs in VM1's namespace, its output shown as it"
                    + " comes; then host1's vsctl show and ofctl dump-flows br-tun from its daemon. The namespaces are"
                    + " named jvd<pid>-ROLE and, with the daemons and their files, removed at the end and on Ctrl-C."
                    + " Nothing is added to the machine's own network namespace.",
            ""
        },
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class DemoCommand implements Callable<Integer> {
    /** The group VXLAN VTEPs join in the {@code vxlan-multicast} demo (the range RFC 7348's examples use). */
    static final String VXLAN_GROUP = "239.1.1.1";

    private static final List<String> KINDS = List.of("gre", "vxlan", "vxlan-multicast", "l3-gre");

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            defaultValue = "gre",
            paramLabel = "KIND",
            description = "gre, vxlan, vxlan-multicast or l3-gre (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(
            names = "--layout",
            paramLabel = "LAYOUT",
            defaultValue = "tutorial",
            description = "br-tun's flows: tutorial (the tutorial's tables) or neutron (today's Neutron, with"
                    + " l2population and the ARP responder). Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(
            names = "--pcap",
            paramLabel = "DIR",
            description = "Write a pcap of every hop to DIR: vm1.pcap, underlay.pcap, vm2.pcap (l3-gre: one per"
                    + " link, lan-a.pcap, ra-internet.pcap, internet-rb.pcap, lan-b.pcap).")
    Path pcapDirectory;

    @Option(
            names = "--netns",
            description = "Run on real network namespaces and jvs daemon processes (needs root; gre, vxlan or"
                    + " vxlan-multicast).")
    boolean netns;

    @Option(
            names = {"-c", "--count"},
            paramLabel = "N",
            defaultValue = "3",
            description = "Echo requests VM1 (l3-gre: A) sends (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() throws IOException {
        if (!KINDS.contains(kind)) {
            throw CliErrors.usage(
                    spec, "KIND: unknown demo '" + kind + "' (choose from " + String.join(", ", KINDS) + ")");
        }
        Layout chosenLayout = LabCommand.layout(spec, layout);
        if (kind.equals("vxlan-multicast") && chosenLayout == Layout.NEUTRON) {
            throw CliErrors.usage(
                    spec,
                    "--layout neutron: the vxlan-multicast demo floods to its group (flood and learn), which only the"
                            + " tutorial layout does; Neutron's layout floods by l2population");
        }
        if (count < 1 || count > 1000) {
            throw CliErrors.usage(spec, "--count: " + count + " is not between 1 and 1000");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (netns) {
            NetnsLab.Kind netnsKind = NetnsLab.Kind.parse(kind);
            if (netnsKind == null) {
                throw CliErrors.usage(spec, "--netns: runs gre, vxlan or vxlan-multicast, not " + kind);
            }
            if (pcapDirectory != null) {
                throw CliErrors.usage(spec, "--pcap: not with --netns (capture in the namespaces with tcpdump)");
            }
            try {
                return NetnsDemo.run(out, netnsKind, layout, count);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        if (kind.equals("l3-gre")) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--layout")) {
                throw CliErrors.usage(
                        spec, "--layout: the l3-gre demo has no br-tun (two routers joined by one GRE tunnel)");
            }
            try {
                return L3GreDemo.run(out, count, pcapDirectory);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return runTutorial(out, chosenLayout);
    }

    private int runTutorial(PrintWriter out, Layout chosenLayout) throws IOException {
        Topology topology = topology(kind);
        Topology.Network network = topology.networks().getFirst();
        JvsSwitching switching = new JvsSwitching(chosenLayout);
        LabCaptures captures = null;
        try (Lab lab = Lab.build(topology)) {
            if (pcapDirectory != null) {
                captures = LabCaptures.start(pcapDirectory, lab, switching);
            }
            lab.attach(switching);
            out.println(introduction(topology, network, chosenLayout));

            Narrator narrator = new Narrator(lab, out);
            switching.hosts().forEach(narrator::watch);
            narrator.watchUnderlay("underlay");
            out.println("vm1 pings vm2 (" + count + " echo requests, one a second):");
            PingResult ping = lab.vm("vm1")
                    .ping("10.0.0.2", PingOptions.DEFAULT.withCount(count))
                    .await();
            narrator.quiet(true);
            // One more virtual second: the switches' timers credit the cached packets to their flows.
            lab.scheduler().runFor(Duration.ofSeconds(1));
            out.println();
            out.println("vm1: " + ping.summary());
            out.println(cacheSummary(switching.host("host1")));

            JvsHost host1 = switching.host("host1");
            out.println();
            out.println("host1$ jvs vsctl show");
            out.print(host1.agent().show());
            out.println();
            out.println("host1$ jvs ofctl dump-flows br-tun");
            out.print(DumpFlows.render(host1.datapath().bridge("br-tun")));
            if (captures != null) {
                // In the order a packet from VM1 crosses them.
                out.println();
                out.println("Captures (open them in Wireshark, or: jvs decode FILE):");
                out.println("  " + captures.vmFile("vm1"));
                captures.segmentFiles().forEach(file -> out.println("  " + file));
                out.println("  " + captures.vmFile("vm2"));
            }
            out.flush();
            return ping.success() ? 0 : 1;
        } finally {
            if (captures != null) {
                captures.close();
            }
        }
    }

    /** The tutorial's topology with its one network as {@code kind} asks and no script (the demo is the script). */
    static Topology topology(String kind) {
        Topology tutorial = TopologyLoader.tutorial();
        Topology.Network net1 = tutorial.networks().getFirst();
        Topology.Network network = switch (kind) {
            case "gre" -> net1;
            case "vxlan" -> net1.withTunnel(NetworkType.VXLAN, net1.segmentationId(), null);
            case "vxlan-multicast" -> net1.withTunnel(NetworkType.VXLAN, net1.segmentationId(), VXLAN_GROUP);
            default -> throw new IllegalArgumentException("no tutorial topology for " + kind);
        };
        return new Topology(
                "demo-" + kind,
                tutorial.seed(),
                tutorial.segments(),
                tutorial.routers(),
                tutorial.multicastGroups(),
                List.of(network),
                tutorial.hosts(),
                List.of());
    }

    private static String introduction(Topology topology, Topology.Network network, Layout layout) {
        String tunnel = network.type() == NetworkType.GRE
                ? "GRE, key 0x" + Long.toHexString(network.segmentationId())
                : "VXLAN, VNI " + network.segmentationId()
                        + (network.group() == null ? "" : ", VTEPs in group " + network.group());
        StringBuilder text = new StringBuilder()
                .append("jvswitch demo: the tutorial's network, live, on virtual time (nothing leaves this process)\n")
                .append('\n')
                .append("Tenant network ")
                .append(network.name())
                .append(" (")
                .append(network.cidr())
                .append("): ")
                .append(tunnel)
                .append("; br-tun layout: ")
                .append(layout.name().toLowerCase(Locale.ROOT))
                .append('\n');
        for (Topology.Host host : topology.hosts()) {
            text.append(String.format("  %-6s %-15s", host.name(), host.localIp()));
            if (host.vms().isEmpty()) {
                text.append(" (no VM: a tunnel endpoint only)");
            }
            for (Topology.Vm vm : host.vms()) {
                text.append(" ")
                        .append(vm.name())
                        .append(' ')
                        .append(vm.ipPrefix().address().getHostAddress())
                        .append(' ')
                        .append(vm.mac());
            }
            text.append('\n');
        }
        text.append(
                "On each host the tunnel agent built br-int and br-tun, a tunnel to every peer, and br-tun's flows.\n");
        return text.toString();
    }

    private static String cacheSummary(JvsHost host) {
        long misses = 0;
        long hits = 0;
        for (var bridge : host.datapath().bridges()) {
            FlowCache cache = bridge.cache();
            misses += cache.misses();
            hits += cache.exactHits() + cache.megaflowHits();
        }
        return host.name() + ": " + misses + " packets translated through the flow tables (the first of each flow), "
                + hits + " forwarded from the datapath's caches";
    }
}
