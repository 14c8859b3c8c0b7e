package io.jvswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.app.control.RunningDaemon;
import io.jvswitch.app.daemon.DatapathRuntimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vsctl, ofctl, appctl and agent against a daemon running in-process on a temporary socket. */
class DaemonClientsTest {
    @TempDir
    Path dir;

    private RunningDaemon daemon;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        daemon = RunningDaemon.start(
                dir.resolve("conf.db"), dir.resolve("jvs.ctl"), DatapathRuntimes.named("memory"), log::add);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private Cli.Result jvs(String... args) {
        List<String> words = new ArrayList<>(List.of(args));
        words.add(args[0].equals("ofctl") ? 2 : 1, "--control=" + daemon.socket());
        return Cli.run(words.toArray(String[]::new));
    }

    private Cli.Result ok(String... args) {
        Cli.Result result = jvs(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        return result;
    }

    private String uuid() {
        return daemon.daemon().db().uuid();
    }

    @Test
    void vsctlBuildsTheTutorialsBrTunAndShowsItAsOvsVsctl() {
        ok("vsctl", "add-br", "br-tun");
        ok(
                "vsctl",
                "add-port",
                "br-tun",
                "patch-int",
                "--",
                "set",
                "interface",
                "patch-int",
                "type=patch",
                "options:peer=patch-tun");
        ok(
                "vsctl",
                "add-port",
                "br-tun",
                "gre-1",
                "--",
                "set",
                "interface",
                "gre-1",
                "type=gre",
                "options:remote_ip=198.18.0.2",
                "options:key=flow");
        ok("vsctl", "add-br", "br-int");
        ok("vsctl", "add-port", "br-int", "tap0", "tag=1", "--", "set", "interface", "tap0", "type=tap");
        assertThat(ok("vsctl", "show").out())
                .isEqualTo(uuid() + "\n"
                        + "    Bridge br-int\n"
                        + "        Port br-int\n"
                        + "            Interface br-int\n"
                        + "                type: internal\n"
                        + "        Port \"tap0\"\n"
                        + "            tag: 1\n"
                        + "            Interface \"tap0\"\n"
                        + "                type: tap\n"
                        + "    Bridge br-tun\n"
                        + "        Port br-tun\n"
                        + "            Interface br-tun\n"
                        + "                type: internal\n"
                        + "        Port \"gre-1\"\n"
                        + "            Interface \"gre-1\"\n"
                        + "                type: gre\n"
                        + "                options: {key=flow, remote_ip=\"198.18.0.2\"}\n"
                        + "        Port patch-int\n"
                        + "            Interface patch-int\n"
                        + "                type: patch\n"
                        + "                options: {peer=patch-tun}\n");
        assertThat(ok("vsctl", "list-ports", "br-tun").out()).isEqualTo("gre-1\npatch-int\n");
        assertThat(ok("vsctl", "list", "interface", "gre-1").out())
                .isEqualTo("name                : \"gre-1\"\n"
                        + "options             : {key=flow, remote_ip=\"198.18.0.2\"}\n"
                        + "type                : gre\n");
        assertThat(ok("vsctl", "list", "bridge", "br-tun").out())
                .isEqualTo("fail_mode           : []\n"
                        + "name                : br-tun\n"
                        + "ports               : [br-tun, \"gre-1\", patch-int]\n");
        assertThat(ok("vsctl", "--may-exist", "add-br", "br-tun").out()).isEmpty();
        assertThat(ok("vsctl", "--format", "json", "show").out()).contains("\"name\" : \"gre-1\"");
    }

    @Test
    void aChainedCommandThatFailsChangesNothingAndTheDaemonGoesOnServing() {
        ok("vsctl", "add-br", "br-tun");
        String before = ok("vsctl", "show").out();
        Cli.Result refused = jvs(
                "vsctl",
                "add-port",
                "br-tun",
                "gre-1",
                "--",
                "set",
                "interface",
                "gre-1",
                "type=vxlan",
                "options:remote_ip=198.18.0.2",
                "options:key=16777216");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines())
                .containsExactly("jvs vsctl: gre-1: options:key=16777216 is out of range: a VXLAN VNI is 24 bits"
                        + " (0 to 16777215)");
        assertThat(ok("vsctl", "show").out()).isEqualTo(before);
        assertThat(ok("vsctl", "--", "show").out())
                .as("a one-command transaction")
                .isEqualTo(before);
        assertThat(jvs("vsctl", "del-br", "br-nope").errLines()).containsExactly("jvs vsctl: no bridge named br-nope");
        assertThat(ok("vsctl", "--if-exists", "del-br", "br-nope").out()).isEmpty();
    }

    @Test
    void ofctlChangesAndDumpsFlowsAsOvsOfctl() throws Exception {
        ok("vsctl", "add-br", "br0");
        ok("ofctl", "add-flow", "br0", "table=0,priority=10,in_port=1,actions=output:2");
        Path file = dir.resolve("more.flows");
        Files.writeString(
                file,
                "# two more\ntable=1, priority=5,dl_vlan=1 actions=strip_vlan,NORMAL\n"
                        + "table=1, priority=1 actions=drop\n");
        ok("ofctl", "add-flows", "br0", file.toString());
        assertThat(dumpWithoutCounters("br0"))
                .containsExactly(
                        "NXST_FLOW reply (xid=0x4):",
                        " priority=10,in_port=1 actions=output:2",
                        " priority=0 actions=NORMAL",
                        " table=1, priority=5,dl_vlan=1 actions=strip_vlan,NORMAL",
                        " table=1, priority=1 actions=drop");
        ok("ofctl", "mod-flows", "--strict", "br0", "table=1,priority=1,actions=NORMAL");
        ok("ofctl", "del-flows", "br0", "in_port=1");
        assertThat(dumpWithoutCounters("br0"))
                .containsExactly(
                        "NXST_FLOW reply (xid=0x4):",
                        " priority=0 actions=NORMAL",
                        " table=1, priority=5,dl_vlan=1 actions=strip_vlan,NORMAL",
                        " table=1, priority=1 actions=NORMAL");
        assertThat(ok("ofctl", "dump-flows", "br0", "table=1,dl_vlan=1").outLines())
                .hasSize(2)
                .last()
                .asString()
                .matches(" cookie=0x0, duration=[0-9.]+s, table=1, n_packets=0, n_bytes=0, idle_age=[0-9]+,"
                        + " priority=5,dl_vlan=1 actions=strip_vlan,NORMAL");
        Files.writeString(file, "priority=0 actions=drop\n");
        ok("ofctl", "replace-flows", "br0", file.toString());
        assertThat(dumpWithoutCounters("br0"))
                .containsExactly("NXST_FLOW reply (xid=0x4):", " priority=0 actions=drop");
        Cli.Result same = jvs("ofctl", "diff-flows", "br0", file.toString());
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.out()).isEmpty();
        Cli.Result neither = jvs("ofctl", "diff-flows", "br0", "br-nope");
        assertThat(neither.exitCode()).isEqualTo(1);
        assertThat(neither.errLines())
                .containsExactly("jvs ofctl diff-flows: br-nope: no such file, nor a bridge of the running switch"
                        + " (br-nope is not a bridge)");
        assertThat(daemon.daemon().db().bridge("br0").flows()).containsExactly("priority=0 actions=drop");
        assertThat(ok("ofctl", "dump-ports", "br0").out())
                .isEqualTo("OFPST_PORT reply (xid=0x2): 1 port\n"
                        + "  port LOCAL: rx pkts=0, bytes=0, drop=0, errs=0, frame=0, over=0, crc=0\n"
                        + "           tx pkts=0, bytes=0, drop=0, errs=0, coll=0\n");
    }

    private List<String> dumpWithoutCounters(String bridge) {
        return ok("ofctl", "dump-flows", bridge).outLines().stream()
                .map(line -> line.replaceAll(" cookie=0x0, duration=[0-9.]+s,", "")
                        .replaceAll(" n_packets=0, n_bytes=0,", "")
                        .replaceAll(" idle_age=[0-9]+,", "")
                        .replace("table=0, ", ""))
                .toList();
    }

    @Test
    void aBadFlowIsRefusedWithACaretAndNothingChanges() {
        ok("vsctl", "add-br", "br0");
        Cli.Result refused = jvs("ofctl", "add-flow", "br0", "priority=10,in_port=1,actions=outptu:2");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.errLines().getFirst()).startsWith("jvs ofctl add-flow: ");
        assertThat(refused.err()).contains("^");
        assertThat(jvs("ofctl", "dump-flows", "br-nope").errLines())
                .containsExactly("jvs ofctl dump-flows: br-nope is not a bridge");
        assertThat(dumpWithoutCounters("br0"))
                .containsExactly("NXST_FLOW reply (xid=0x4):", " priority=0 actions=NORMAL");
    }

    @Test
    void appctlTracesAndListsTunnelsAndDrops() {
        ok("vsctl", "add-br", "br0");
        ok(
                "vsctl",
                "add-port",
                "br0",
                "vx1",
                "--",
                "set",
                "interface",
                "vx1",
                "type=vxlan",
                "options:remote_ip=198.18.0.2",
                "options:key=5");
        ok("ofctl", "add-flow", "br0", "priority=10,in_port=1,actions=drop");
        assertThat(ok("appctl", "ofproto/trace", "br0", "in_port=1,dl_type=0x0800")
                        .out())
                .isEqualTo("Flow: ip,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,"
                        + "nw_src=0.0.0.0,nw_dst=0.0.0.0,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0\n"
                        + "\n"
                        + "bridge(\"br0\")\n"
                        + "-------------\n"
                        + " 0. in_port=1, priority 10\n"
                        + "    drop\n"
                        + "\n"
                        + "Final flow: unchanged\n"
                        + "Megaflow: ip,in_port=1,vlan_tci=0x0000\n"
                        + "Datapath actions: drop\n");
        assertThat(ok("appctl", "tnl/ports/show").out())
                .isEqualTo("Listening ports:\nvxlan_sys_4789 (4789) ref_cnt=1\n");
        assertThat(ok("appctl", "fdb/show", "br0").out()).isEqualTo(" port  VLAN  MAC                Age\n");
        assertThat(ok("appctl", "dpif/show-drops").out()).isEqualTo("No packets dropped.\n");
        assertThat(ok("appctl", "--format=json", "dpif/show-drops").out()).isEqualTo("{ }\n");
        assertThat(jvs("appctl", "bogus/cmd").errLines())
                .containsExactly("jvs appctl: unknown command 'bogus/cmd' (commands: ofproto/trace, fdb/show,"
                        + " tnl/ports/show, dpif/show-drops, dpctl/show, dpctl/dump-flows, dpif/dump-flows)");
        assertThat(ok("appctl", "dpctl/show").out())
                .isEqualTo("netdev@jvswitch:\n"
                        + "  lookups: hit:0 missed:0 lost:0\n"
                        + "  flows: 0\n"
                        + "  port 1: br0 (internal)\n"
                        + "  port 2: vx1 (vxlan: key=5, remote_ip=198.18.0.2)\n");
        assertThat(ok("appctl", "dpctl/dump-flows").out()).isEmpty();
        assertThat(ok("appctl", "dpif/dump-flows", "br0").out()).isEmpty();
        assertThat(jvs("appctl", "dpif/dump-flows").errLines())
                .containsExactly("jvs appctl: dpif/dump-flows takes BRIDGE, not none");
        assertThat(jvs("appctl", "dpif/dump-flows", "br-nope").errLines())
                .containsExactly("jvs appctl: br-nope is not a bridge");
    }

    @Test
    void tcpdumpCapturesAPortForAsLongAsAskedAndRefusesWhatItCannotDo() {
        ok("vsctl", "add-br", "br0");
        assertThat(ok("tcpdump", "-i", "br0", "-c", "1", "--seconds", "1").out())
                .isEqualTo("0 packets captured on br0\n");
        assertThat(jvs("tcpdump", "-i", "nope").errLines()).containsExactly("jvs tcpdump: capture: nope is not a port");
        assertThat(jvs("tcpdump", "-i", "br0", "-c", "0").errLines())
                .containsExactly("jvs tcpdump: capture: count must be 1 to 10000, not 0");
        assertThat(jvs("tcpdump", "-i", "br0", "--seconds", "0").errLines())
                .containsExactly("jvs tcpdump: capture: seconds must be 1 to 3600, not 0");
    }

    @Test
    void formatJsonIsTakenOnlyWhereTheAnswerIsJson() {
        ok("vsctl", "add-br", "br0");
        assertThat(ok("vsctl", "--format", "json", "show").out())
                .startsWith("{")
                .contains("\"name\" : \"br0\"");
        assertThat(ok("ofctl", "dump-flows", "--format", "json", "br0").out())
                .startsWith("{")
                .contains("\"flow\" : \"priority=0 actions=NORMAL\"");
        assertThat(ok("ofctl", "dump-ports", "--format=json", "br0").out()).startsWith("{");
        assertThat(ok("appctl", "--format=json", "fdb/show", "br0").out()).isEqualTo("[ ]\n");
        assertThat(ok("appctl", "--format=json", "tnl/ports/show").out()).startsWith("{");

        // Text-only answers refuse json rather than print text where JSON was asked for.
        Cli.Result listBr = jvs("vsctl", "--format", "json", "list-br");
        assertThat(listBr.exitCode()).isEqualTo(2);
        assertThat(listBr.out()).isEmpty();
        assertThat(listBr.errLines())
                .containsExactly(
                        "jvs vsctl: --format json: only show answers in JSON (list-br prints text)",
                        "Try 'jvs vsctl --help' for more information.");
        Cli.Result trace = jvs("appctl", "--format=json", "ofproto/trace", "br0", "in_port=1");
        assertThat(trace.exitCode()).isEqualTo(2);
        assertThat(trace.errLines().getFirst())
                .isEqualTo("jvs appctl: --format json: ofproto/trace answers in text only, as Open vSwitch's does");
        // Commands that only change things, and diff-flows, have no --format at all.
        for (String[] args : List.of(
                new String[] {"ofctl", "add-flow", "--format=json", "br0", "actions=drop"},
                new String[] {"ofctl", "diff-flows", "--format=json", "br0", "br0"},
                new String[] {"agent", "--format=json", "--config=host.yaml"})) {
            Cli.Result refused = jvs(args);
            assertThat(refused.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(refused.errLines().getFirst()).endsWith("Unknown option: '--format=json'");
        }
    }

    @Test
    void aTraceLearnsNothing() {
        // As ovs-appctl ofproto/trace of a flow: NORMAL does not learn the source MAC and learn() adds no flow, so that
        // asking where a packet would go never changes where packets go.
        ok("vsctl", "add-br", "br0");
        ok("vsctl", "add-port", "br0", "tap0", "--", "set", "interface", "tap0", "type=tap");
        ok("vsctl", "add-port", "br0", "tap1", "--", "set", "interface", "tap1", "type=tap");
        ok(
                "ofctl",
                "add-flow",
                "br0",
                "priority=10,in_port=2,actions=learn(table=20,priority=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
                        + "output:NXM_OF_IN_PORT[]),NORMAL");
        List<String> flowsBefore = dumpWithoutCounters("br0");

        String first = ok(
                        "appctl", "ofproto/trace", "br0", "in_port=1,dl_src=00:00:00:00:00:07,dl_dst=00:00:00:00:00:09")
                .out();
        assertThat(first).contains("-> no learned MAC for destination, flooding");
        String learning = ok("appctl", "ofproto/trace", "br0", "in_port=2,dl_src=00:00:00:00:00:09")
                .out();
        assertThat(learning).contains("-> table=20 dl_dst=00:00:00:00:00:09 priority=1 actions=output:2");

        assertThat(ok("appctl", "fdb/show", "br0").out()).isEqualTo(" port  VLAN  MAC                Age\n");
        assertThat(dumpWithoutCounters("br0")).isEqualTo(flowsBefore);
        // The same trace again says the same: nothing was learned from the first.
        assertThat(ok("appctl", "ofproto/trace", "br0", "in_port=1,dl_src=00:00:00:00:00:07,dl_dst=00:00:00:00:00:09")
                        .out())
                .isEqualTo(first);
    }

    @Test
    void whenNoDaemonRunsTheClientSaysWhichSocketItTried() {
        Path nowhere = dir.resolve("none.ctl");
        Cli.Result result = Cli.run("vsctl", "--control=" + nowhere, "show");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly("jvs vsctl: cannot reach the daemon at " + nowhere
                        + ": no such socket (is jvs daemon running? --control or JVS_CONTROL name another socket)");
    }

    @Test
    void theInlineRuntimeRefusesTapPortsItCannotOpen() throws Exception {
        daemon.close();
        daemon = RunningDaemon.start(
                dir.resolve("inline.db"), dir.resolve("jvs.ctl"), DatapathRuntimes.named("inline"), log::add);
        ok("vsctl", "add-br", "br-int");
        Cli.Result refused = jvs("vsctl", "add-port", "br-int", "tap0", "--", "set", "interface", "tap0", "type=tap");
        assertThat(refused.errLines())
                .containsExactly("jvs vsctl: tap0: cannot create a tap interface with the inline datapath: the inline"
                        + " datapath opens no devices (it has no packet I/O); use internal, patch and tunnel"
                        + " interfaces");
        ok("vsctl", "add-port", "br-int", "int0", "--", "set", "interface", "int0", "type=internal");
        assertThat(ok("vsctl", "list-ports", "br-int").out()).isEqualTo("int0\n");
    }

    @Test
    void theAgentBuildsBrIntAndBrTunFromAHostFile() throws Exception {
        Path host = dir.resolve("host1.yaml");
        Files.writeString(host, """
                local_ip: 192.168.1.100
                networks:
                  - {name: net1, type: gre, segmentation_id: 0x1388}
                vms:
                  - {name: vm1, network: net1, mac: "fa:16:3e:00:00:01", ip: 10.0.0.1}
                peers:
                  - address: 192.168.1.102
                  - address: 192.168.1.101
                """);
        Cli.Result applied = ok("agent", "--config", host.toString());
        assertThat(applied.out()).contains("added port gre-1");
        String show = ok("vsctl", "show").out();
        assertThat(show)
                .contains("    Bridge br-tun\n")
                .contains("options: {in_key=flow, local_ip=\"192.168.1.100\", out_key=flow,"
                        + " remote_ip=\"192.168.1.101\"}");
        assertThat(ok("agent", "--config", host.toString()).out()).isEqualTo("no changes\n");
        assertThat(jvs("ofctl", "add-flow", "br-tun", "actions=drop").errLines())
                .containsExactly("jvs ofctl add-flow: br-tun's flows belong to the tunnel agent, which rewrites them"
                        + " (change its host file with jvs agent)");
        assertThat(jvs("vsctl", "add-br", "br-int").errLines())
                .containsExactly("jvs vsctl: cannot create a bridge named br-int because the tunnel agent has one"
                        + " (change it with jvs agent)");
        Files.writeString(host, "local_ip: 192.168.1.100\nnetworks: 3\n");
        Cli.Result bad = jvs("agent", "--config", host.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines().getFirst()).startsWith("jvs agent: " + host + ": line 2, column 11: networks: ");
    }
}
