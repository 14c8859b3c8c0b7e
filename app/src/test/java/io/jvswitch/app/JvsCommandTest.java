package io.jvswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The top-level command: its help, its version, and what it says about arguments it does not know. */
class JvsCommandTest {
    private static final List<String> HELP = List.of(
            "Usage: jvs [-hV] [COMMAND]",
            "jvswitch: a userspace overlay switch carrying Ethernet frames in GRE and VXLAN",
            "tunnels.",
            "  -h, --help      Show this help message and exit.",
            "  -V, --version   Print version information and exit.",
            "",
            "Commands:",
            "  demo     Watch the tutorial happen: VM1 pings VM2 across GRE or VXLAN tunnels.",
            "  encap    Show a packet before and after tunnel encapsulation.",
            "  decode   Print the packets of a pcap file layer by layer, tunnels opened.",
            "  trace    Trace a packet through a file of flows, as ofproto/trace shows it.",
            "  ofctl    Flow tables of the running switch or of files, as ovs-ofctl.",
            "  lab      Run a topology and script of your own in the in-process lab.",
            "  daemon   Run the switch: its database, its datapath and its control socket.",
            "  vsctl    Configure bridges and ports of the running switch, as ovs-vsctl.",
            "  appctl   Ask the running switch as ovs-appctl: traces, MACs, drops, megaflows.",
            "  tcpdump  Capture a port's frames in the running switch, as ovs-tcpdump does.",
            "  agent    Give the tunnel agent a host's desired state: networks, VMs, peers.",
            "  help     Display help information about the specified command.");

    @Test
    void helpListsEachCommandOnOneLine() {
        Cli.Result result = Cli.run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).isEqualTo(HELP);
        assertThat(result.outLines())
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void shortHelpAndTheHelpCommandAndNoArgumentsSayTheSame() {
        for (String[] args : List.of(new String[] {"-h"}, new String[] {"help"}, new String[0])) {
            Cli.Result result = Cli.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(result.outLines()).as(String.join(" ", args)).isEqualTo(HELP);
            assertThat(result.err()).isEmpty();
        }
    }

    @Test
    void version() {
        Cli.Result result = Cli.run("--version");
        assertThat(result.exitCode()).isZero();
        // Tests run from classes, not the jar, so there is no manifest version.
        assertThat(result.outLines()).isEqualTo(List.of("jvs (development build)"));
        assertThat(Cli.run("-V").outLines()).isEqualTo(List.of("jvs (development build)"));
    }

    @Test
    void everyCommandsVersionOptionPrintsTheVersion() {
        List<List<String>> commands = List.of(
                List.of("demo"),
                List.of("encap"),
                List.of("decode"),
                List.of("trace"),
                List.of("ofctl"),
                List.of("ofctl", "diff-flows"),
                List.of("ofctl", "dump-flows"),
                List.of("ofctl", "add-flow"),
                List.of("lab"),
                List.of("lab", "run"),
                List.of("lab", "example"),
                List.of("daemon"),
                List.of("vsctl"),
                List.of("appctl"),
                List.of("agent"));
        for (List<String> command : commands) {
            for (String option : List.of("-V", "--version")) {
                List<String> args = new java.util.ArrayList<>(command);
                args.add(option);
                Cli.Result result = Cli.run(args.toArray(String[]::new));
                assertThat(result.exitCode()).as(String.join(" ", args)).isZero();
                assertThat(result.outLines()).as(String.join(" ", args)).isEqualTo(List.of("jvs (development build)"));
                assertThat(result.err()).as(String.join(" ", args)).isEmpty();
            }
        }
    }

    @Test
    void helpForACommandIsThatCommandsUsage() {
        Cli.Result viaHelp = Cli.run("help", "encap");
        Cli.Result viaOption = Cli.run("encap", "--help");
        assertThat(viaHelp.exitCode()).isZero();
        assertThat(viaOption.exitCode()).isZero();
        assertThat(viaHelp.out()).isEqualTo(viaOption.out());
        assertThat(viaOption.outLines().getFirst())
                .isEqualTo("Usage: jvs encap [-hV] [--inner=PACKET] [--outer-dst-mac=MAC]");
        assertThat(Cli.run("decode", "--help").outLines().getFirst()).isEqualTo("Usage: jvs decode [-hVx] FILE");
    }

    @Test
    void encapHelpKeepsTheExampleWholeAndFitsEightyColumns() {
        List<String> lines = Cli.run("encap", "--help").outLines();
        assertThat(lines)
                .containsSubsequence(
                        "Show a packet before and after tunnel encapsulation.",
                        "Example (the tutorial's first ARP request, sent into gre-2):",
                        "  jvs encap gre local_ip=192.168.1.100 remote_ip=192.168.1.101 key=0x1388 \\",
                        "      --inner arp,dl_src=fa:16:3e:00:00:01,nw_src=10.0.0.1,nw_dst=10.0.0.2 \\",
                        "      -w arp.pcap");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    }

    @Test
    void theExampleInTheHelpRuns() {
        List<String> lines = Cli.run("encap", "--help").outLines();
        int at = lines.indexOf("Example (the tutorial's first ARP request, sent into gre-2):");
        String command = String.join(" ", lines.subList(at + 1, at + 4))
                .replace("\\", "")
                .replace("-w arp.pcap", "");
        String[] words = command.trim().split("\\s+");
        assertThat(words[0]).isEqualTo("jvs");
        Cli.Result result = Cli.run(Arrays.copyOfRange(words, 1, words.length));
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines())
                .contains("    ARP       request who-has 10.0.0.2 tell 10.0.0.1 (fa:16:3e:00:00:01)");
    }

    @Test
    void everyHelpDescribesEachArgumentAndFitsEightyColumns() {
        List<CommandLine> all = new ArrayList<>();
        collect(Jvs.commandLine(), all);
        assertThat(all).hasSizeGreaterThan(20);
        for (CommandLine command : all) {
            CommandSpec spec = command.getCommandSpec();
            for (ArgSpec arg : spec.args()) {
                String name = arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
                assertThat(String.join(" ", arg.description()))
                        .as("%s %s", spec.qualifiedName(), name)
                        .isNotBlank();
            }
            StringWriter help = new StringWriter();
            command.usage(new PrintWriter(help));
            assertThat(help.toString().lines())
                    .allSatisfy(line -> assertThat(line.length())
                            .as(spec.qualifiedName() + ": " + line)
                            .isLessThanOrEqualTo(80));
        }
    }

    private static void collect(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().stream()
                .filter(sub -> !sub.getCommandName().equals("help"))
                .forEach(sub -> collect(sub, all));
    }

    @Test
    void demoHelpListsEachKindOnOneLine() {
        assertThat(Cli.run("demo", "--help").outLines())
                .containsSubsequence(
                        "KIND is one of:",
                        "  gre              GRE tunnels, key 0x1388 (the default, as in the tutorial)",
                        "  vxlan            VXLAN tunnels, VNI 5000",
                        "  vxlan-multicast  VXLAN with VTEPs in group 239.1.1.1; floods go to the group",
                        "  l3-gre           the tutorial's first example: RA and RB joined by L3 GRE",
                        "");
    }

    @Test
    void theTraceExampleInTheHelpIsWholeAndRuns() {
        List<String> lines = Cli.run("trace", "--help").outLines();
        int at = lines.indexOf("  jvs trace --flows br-tun.flows --bridge br-tun --tunnel-ports 2,3 \\");
        assertThat(at).as(String.join("\n", lines)).isNotNegative();
        String command = (lines.get(at) + " " + lines.get(at + 1))
                .replace("\\", "")
                .replace("br-tun.flows", "../ofproto/src/test/resources/tutorial-br-tun.dump");
        String[] words = command.trim().split("\\s+");
        Cli.Result result = Cli.run(Arrays.copyOfRange(words, 1, words.length));
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).contains("Datapath actions: pop_vlan,set(tunnel(tun_id=0x1388)),3,2");
    }

    @Test
    void theAgentHelpsExampleIsAHostFileTheAgentTakes() throws Exception {
        List<String> lines = Cli.run("agent", "--help").outLines();
        int from = lines.indexOf("  local_ip: 198.18.0.1");
        int to = lines.indexOf("      vms: [{network: net1, mac: \"fa:16:3e:1f:19:55\", ip: 10.0.0.2}]");
        assertThat(from).as(String.join("\n", lines)).isPositive();
        assertThat(to).isGreaterThan(from);
        String yaml = String.join(
                        "\n",
                        lines.subList(from, to + 1).stream()
                                .map(line -> line.substring(2))
                                .toList())
                + "\n";
        assertThat(io.jvswitch.app.daemon.HostFile.state(io.jvswitch.app.daemon.HostFile.read(yaml, "help"), "help")
                        .toString())
                .contains("198.18.0.1");
    }

    @Test
    void decodeHelpSaysWhatItReads() {
        List<String> lines = Cli.run("decode", "--help").outLines();
        assertThat(lines)
                .containsSubsequence(
                        "Usage: jvs decode [-hVx] FILE",
                        "Print the packets of a pcap file layer by layer, tunnels opened.",
                        "      FILE        A pcap file.",
                        "  -x, --hex       Also print each packet's bytes in hex.");
        assertThat(String.join(" ", lines)).contains("Ethernet (1) or raw IP (101, 228, 229)");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    }

    @Test
    void unknownCommand() {
        Cli.Result result = Cli.run("bogus");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines())
                .isEqualTo(List.of(
                        "jvs: unknown command 'bogus' (commands: demo, encap, decode, trace, ofctl, lab, daemon, vsctl,"
                                + " appctl, tcpdump, agent, help)",
                        "Try 'jvs --help' for more information."));
    }

    @Test
    void unknownOption() {
        Cli.Result result = Cli.run("--bogus");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .isEqualTo(List.of("jvs: Unknown option: '--bogus'", "Try 'jvs --help' for more information."));
    }

    @Test
    void unknownOptionOfACommandNamesTheCommand() {
        Cli.Result result = Cli.run("decode", "--bogus", "x.pcap");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines())
                .isEqualTo(List.of(
                        "jvs decode: Unknown option: '--bogus'", "Try 'jvs decode --help' for more information."));
    }
}
