package io.jvswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jvs lab run}: a user's topology and script, then show, dump-flows and trace on any host. */
class LabCommandTest {
    /** Two hosts, one VXLAN network, and a script that pings, lets the learned flows expire, and pings again. */
    private static final String TWO_HOSTS = """
            name: pair
            segments:
              - name: lan
            networks:
              - name: blue
                type: vxlan
                segmentation_id: 100
                cidr: 10.1.0.0/24
            hosts:
              - name: a
                segment: lan
                addresses: [198.18.0.1/24]
                vms:
                  - {name: va, network: blue, mac: "02:00:00:00:00:0a", ip: 10.1.0.1}
              - name: b
                segment: lan
                addresses: [198.18.0.2/24]
                vms:
                  - {name: vb, network: blue, mac: "02:00:00:00:00:0b", ip: 10.1.0.2}
            script:
              - ping: {from: va, to: 10.1.0.2, count: 2, expect: success}
              - advance: 301s
              - ping: {from: va, to: 10.1.0.9, count: 1, expect: success}
            """;

    @TempDir
    Path directory;

    private Path topology;

    @BeforeEach
    void writeTopology() throws IOException {
        topology = Files.writeString(directory.resolve("pair.yaml"), TWO_HOSTS);
    }

    @Test
    void playsTheScriptReportsEachStepAndFailsWhenAStepFails() {
        Cli.Result result = Cli.run("lab", "run", topology.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.outLines())
                .containsExactly(
                        "lab pair: 2 hosts running jvswitch (tutorial layout), 2 VMs, 3 script steps",
                        "[   1.000200] ok   ping va -> 10.1.0.2: 2 packets transmitted, 2 received, 0% packet loss,"
                                + " rtt min/avg/max = 0.200/0.300/0.400 ms",
                        "[ 302.000200] ok   advance 301s",
                        "[ 303.000200] FAIL ping va -> 10.1.0.9: 1 packets transmitted, 0 received, 100% packet loss"
                                + " (expected success)",
                        "script: 1 of 3 steps failed");
    }

    @Test
    void showDumpFlowsAndTraceLookAtAnyHostAfterTheScript() {
        Cli.Result result = Cli.run(
                "lab",
                "run",
                topology.toString(),
                "--show",
                "b",
                "--dump-flows",
                "b:br-tun",
                "--trace",
                "a:br-tun:in_port=1,dl_vlan=1,dl_src=02:00:00:00:00:0a,dl_dst=ff:ff:ff:ff:ff:ff,arp");

        List<String> lines = result.outLines();
        int show = lines.indexOf("b$ jvs vsctl show");
        assertThat(lines.subList(show + 21, show + 25))
                .containsExactly(
                        "        Port \"vxlan-1\"",
                        "            Interface \"vxlan-1\"",
                        "                type: vxlan",
                        "                options: {in_key=flow, local_ip=\"198.18.0.2\", out_key=flow,"
                                + " remote_ip=\"198.18.0.1\"}");
        // What b learned of va in the first ping expired (hard_timeout=300); va's ARP for 10.1.0.9 taught it again.
        int dump = lines.indexOf("b$ jvs ofctl dump-flows br-tun");
        assertThat(lines.get(dump + 1)).isEqualTo("NXST_FLOW reply (xid=0x4):");
        assertThat(lines
                        .subList(
                                dump + 2,
                                dump + 2 + lines.subList(dump, lines.size()).indexOf("") - 2)
                        .stream()
                        .filter(line -> line.contains(", table=20, ") && line.contains("hard_timeout=300")))
                .containsExactly(" cookie=0x0, duration=1.000s, table=20, n_packets=0, n_bytes=0, hard_timeout=300,"
                        + " idle_age=1, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=02:00:00:00:00:0a"
                        + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x64->NXM_NX_TUN_ID[],output:2");
        int trace = lines.indexOf("a$ jvs appctl ofproto/trace br-tun"
                + " in_port=1,dl_vlan=1,dl_src=02:00:00:00:00:0a,dl_dst=ff:ff:ff:ff:ff:ff,arp");
        assertThat(trace).isPositive();
        assertThat(lines.subList(trace, lines.size())).contains("21. dl_vlan=1, priority 1");
        assertThat(lines.getLast()).matches("Datapath actions: pop_vlan,set\\(tunnel\\(tun_id=0x64\\)\\),\\d+");
    }

    @Test
    void narrateTellsTheUnderlayFrames() {
        Cli.Result result = Cli.run("lab", "run", topology.toString(), "--narrate");

        assertThat(result.outLines().stream().filter(line -> line.contains(" wire ")))
                .startsWith("   0.000000s wire   198.18.0.1 > 198.18.0.2  VXLAN vni 100 (92 bytes):"
                        + " ARP who-has 10.1.0.2 tell 10.1.0.1");
    }

    @Test
    void exampleIsTheTutorialsTopologyAndRunsAsIs() throws IOException {
        Cli.Result example = Cli.run("lab", "example");
        assertThat(example.exitCode()).isZero();
        assertThat(example.out()).startsWith("# The tutorial's topology").contains("segmentation_id: 0x1388");

        Path file = Files.writeString(directory.resolve("tutorial.yaml"), example.out());
        Cli.Result run = Cli.run("lab", "run", file.toString());
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.outLines().getLast()).isEqualTo("script: all 6 steps passed");
    }

    @Test
    void refusesABadFileAndTargetsThatDoNotExist() throws IOException {
        Path broken =
                Files.writeString(directory.resolve("broken.yaml"), TWO_HOSTS.replace("type: vxlan", "type: mpls"));
        Cli.Result bad = Cli.run("lab", "run", broken.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines().getFirst())
                .isEqualTo("jvs lab run: broken.yaml:6:5: networks[0].type: 'mpls' is not one of: gre, vxlan, local");

        assertThat(Cli.run("lab", "run", topology.toString(), "--show", "c")
                        .errLines()
                        .getFirst())
                .isEqualTo("jvs lab run: --show: no host named 'c' in " + topology + " (hosts: a, b)");
        assertThat(Cli.run("lab", "run", topology.toString(), "--dump-flows", "a")
                        .errLines()
                        .getFirst())
                .isEqualTo("jvs lab run: --dump-flows: 'a' is not HOST:BRIDGE");
        assertThat(Cli.run("lab", "run", topology.toString(), "--dump-flows", "a:br-ex")
                        .errLines()
                        .getFirst())
                .isEqualTo("jvs lab run: --dump-flows: a has no bridge 'br-ex' (bridges: br-int, br-tun)");
        assertThat(Cli.run("lab", "run", topology.toString(), "--trace", "a:br-tun:in_port=1,tp_dst=80")
                        .errLines()
                        .getFirst())
                .startsWith("jvs lab run: --trace a:br-tun:in_port=1,tp_dst=80: ");
        Path multicast = Files.writeString(
                directory.resolve("multicast.yaml"),
                TWO_HOSTS.replace("segmentation_id: 100\n", "segmentation_id: 100\n    group: 239.1.1.1\n"));
        assertThat(Cli.run("lab", "run", multicast.toString(), "--layout", "neutron")
                        .errLines()
                        .getFirst())
                .isEqualTo("jvs lab run: " + multicast + ": network blue floods to multicast group 239.1.1.1, which"
                        + " the tutorial layout does (flood and learn); the neutron layout floods by l2population"
                        + " instead");
        assertThat(Cli.run("lab", "run", directory.toString()).errLines())
                .containsExactly("jvs lab run: " + directory + ": is a directory, not a topology file");
        assertThat(Cli.run("lab", "run", directory.resolve("missing.yaml").toString())
                        .errLines())
                .containsExactly("jvs lab run: " + directory.resolve("missing.yaml") + ": no such file or directory");
    }
}
