package io.jvswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jvs ofctl diff-flows}: ovs-ofctl's lines and exit status (0 same, 2 different), and the refusals every jvs
 * command makes (1 for a file that cannot be read, 2 for one with an error, shown with its caret).
 */
class DiffFlowsCommandTest {
    /** Three flows of the tutorial's br-tun, as its dump-flows printed them, counters and all. */
    private static final String DUMP = """
            NXST_FLOW reply (xid=0x4):
             cookie=0x0, duration=182369.287s, table=0, n_packets=5996, n_bytes=1481720, idle_age=52, hard_age=65534, priority=1,in_port=3 actions=resubmit(,2)
             cookie=0x0, duration=182374.078s, table=0, n_packets=3, n_bytes=230, idle_age=65534, hard_age=65534, priority=0 actions=drop
             cookie=0x0, duration=182103.777s, table=21, n_packets=10235, n_bytes=3109310, idle_age=5, hard_age=65534, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2
            """;

    @TempDir
    Path directory;

    private Path file(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private Cli.Result diff(Path first, Path second) {
        return Cli.run("ofctl", "diff-flows", first.toString(), second.toString());
    }

    @Test
    void theSameFlowsPrintNothingAndExit0() throws IOException {
        Path dump = file("br-tun.dump", DUMP);
        Path flows = file("br-tun.flows", """
                # The same flows, written as add-flow takes them, in another order.
                table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2
                priority=0 actions=drop
                priority=1,in_port=3 actions=resubmit(,2)
                """);

        Cli.Result result = diff(dump, flows);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
    }

    @Test
    void differencesPrintAsOvsOfctlPrintsThemAndExit2() throws IOException {
        Path dump = file("br-tun.dump", DUMP);
        Path flows = file("br-tun.flows", """
                priority=1,in_port=3 actions=resubmit(,2)
                priority=1,in_port=2 actions=resubmit(,2)
                table=21,priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2,output:4
                table=20,priority=1,hard_timeout=300,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 actions=output:3
                """);

        Cli.Result result = diff(dump, flows);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.outLines())
                .containsExactly(
                        "+priority=1,in_port=2 actions=resubmit(,2)",
                        "-priority=0 actions=drop",
                        "+table=20 priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 hard_timeout=300"
                                + " actions=output:3",
                        "-table=21 priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                        "+table=21 priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2,output:4");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void swappingTheFilesSwapsTheSigns() throws IOException {
        Path a = file("a.flows", "cookie=0x1,in_port=1 actions=output:2\n");
        Path b = file("b.flows", "in_port=1 actions=output:2\n");
        assertThat(diff(a, b).outLines())
                .containsExactly("-in_port=1 cookie=0x1 actions=output:2", "+in_port=1 actions=output:2");
        assertThat(diff(b, a).outLines())
                .containsExactly("-in_port=1 actions=output:2", "+in_port=1 cookie=0x1 actions=output:2");
    }

    @Test
    void aFlowWithAnErrorExits2WithTheFileLineAndCaret() throws IOException {
        Path good = file("good.flows", "in_port=1 actions=drop\n");
        Path bad = file("bad.flows", """
                in_port=1 actions=drop
                # a comment

                priority=1,tp_dst=80 actions=drop
                """);

        Cli.Result result = diff(good, bad);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines())
                .containsExactly(
                        "jvs ofctl diff-flows: " + bad
                                + ":4: tp_dst requires ip or ipv6 with nw_proto=6, 17 or 132 (tcp, udp, sctp) in the"
                                + " match",
                        "  priority=1,tp_dst=80 actions=drop",
                        "             ^^^^^^^^^",
                        "Try 'jvs ofctl diff-flows --help' for more information.");
    }

    @Test
    void aMissingFileExits1() throws IOException {
        Path good = file("good.flows", "in_port=1 actions=drop\n");
        Path missing = directory.resolve("missing.flows");
        assertUnreadable(diff(missing, good), "jvs ofctl diff-flows: " + missing + ": no such file or directory");
        assertUnreadable(diff(good, missing), "jvs ofctl diff-flows: " + missing + ": no such file or directory");
    }

    @Test
    void aNameThatIsNoFileAndNoBridgeSaysBoth() throws IOException {
        // A bare name that is no file is asked of the running switch as a bridge: a mistyped file name must still
        // read as one.
        Path good = file("good.flows", "in_port=1 actions=drop\n");
        Path socket = directory.resolve("none.ctl");
        Cli.Result result = Cli.run("ofctl", "diff-flows", "--control=" + socket, good.toString(), "good.flow");
        assertUnreadable(
                result,
                "jvs ofctl diff-flows: good.flow: no such file, nor a bridge of the running switch (cannot reach the"
                        + " daemon at " + socket + ": no such socket (is jvs daemon running? --control or JVS_CONTROL"
                        + " name another socket))");
    }

    @Test
    void aDirectoryExits1() throws IOException {
        Path good = file("good.flows", "in_port=1 actions=drop\n");
        assertUnreadable(
                diff(good, directory), "jvs ofctl diff-flows: " + directory + ": is a directory, not a file of flows");
    }

    @Test
    void aFileThatIsNotTextExits1() throws IOException {
        Path good = file("good.flows", "in_port=1 actions=drop\n");
        Path binary = directory.resolve("capture.pcap");
        Files.write(binary, new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0});
        assertUnreadable(
                diff(good, binary), "jvs ofctl diff-flows: " + binary + ": is not a text file of flows (not UTF-8)");
    }

    private static void assertUnreadable(Cli.Result result, String message) {
        assertThat(result.errLines()).isEqualTo(List.of(message));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void bothFilesAreRequired() throws IOException {
        Path good = file("good.flows", "in_port=1 actions=drop\n");
        Cli.Result result = Cli.run("ofctl", "diff-flows", good.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly(
                        "jvs ofctl diff-flows: Missing required parameter: 'FILE2'",
                        "Try 'jvs ofctl diff-flows --help' for more information.");
    }

    @Test
    void helpSaysWhatItComparesAndHowItExitsInEightyColumns() {
        Cli.Result result = Cli.run("ofctl", "diff-flows", "--help");
        assertThat(result.exitCode()).isZero();
        List<String> lines = result.outLines();
        assertThat(lines)
                .containsSubsequence(
                        "Usage: jvs ofctl diff-flows [-hV] [--control=SOCKET] FILE1 FILE2",
                        "Show how the flows of two files or bridges differ.",
                        "Exit status:",
                        "  0   The files hold the same flows.",
                        "  1   A file cannot be read.",
                        "  2   The flows differ, or a file has an error (it is shown).");
        assertThat(String.join(" ", lines)).contains("A flow is known by its table, match and priority");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    }

    @Test
    void ofctlAloneListsItsCommands() {
        Cli.Result result = Cli.run("ofctl");
        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsExactly(
                        "Usage: jvs ofctl [-hV] [COMMAND]",
                        "Flow tables of the running switch or of files, as ovs-ofctl.",
                        "Commands named and behaving as ovs-ofctl's, with flows in its syntax.",
                        "  -h, --help      Show this help message and exit.",
                        "  -V, --version   Print version information and exit.",
                        "",
                        "Commands:",
                        "  diff-flows     Show how the flows of two files or bridges differ.",
                        "  add-flow       Add a flow to a bridge.",
                        "  add-flows      Add the flows of a file to a bridge.",
                        "  del-flows      Delete matching flows, or every flow.",
                        "  dump-flows     Print a bridge's flows.",
                        "  dump-ports     Print a bridge's port counters.",
                        "  mod-flows      Change the actions of matching flows.",
                        "  replace-flows  Make a bridge hold exactly the flows of a file.");
        assertThat(Cli.run("ofctl", "--help").out()).isEqualTo(result.out());
        assertThat(Cli.run("help", "ofctl").out()).isEqualTo(result.out());
    }

    @Test
    void anUnknownOfctlCommandNamesTheGroup() {
        Cli.Result result = Cli.run("ofctl", "dump-tables", "br0");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly(
                        "jvs ofctl: unknown command 'dump-tables' (commands: diff-flows, add-flow, add-flows,"
                                + " del-flows, dump-flows, dump-ports, mod-flows, replace-flows)",
                        "Try 'jvs ofctl --help' for more information.");
    }
}
