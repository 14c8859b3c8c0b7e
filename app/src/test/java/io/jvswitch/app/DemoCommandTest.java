package io.jvswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.pcap.PcapReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jvs demo}: the tutorial told as it happens, then show and dump-flows of the first host. */
class DemoCommandTest {
    private static final String LEARNED_BY_HOST1 = "br-tun learned: table=20, hard_timeout=300,"
            + " priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
            + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3";

    private static List<String> wireLines(Cli.Result result) {
        return result.outLines().stream()
                .filter(line -> line.contains(" wire "))
                .toList();
    }

    @Test
    void greTellsTheFloodTheLearningAndTheUnicastThenShowsHost1() {
        Cli.Result result = Cli.run("demo");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = result.outLines();
        assertThat(lines)
                .contains(
                        "   0.000000s host1  in vm1: ARP who-has 10.0.0.2 tell 10.0.0.1",
                        "                    br-int NORMAL | br-tun table 0 > 1 > 21",
                        "                    => tunnel key 0x1388, out gre-2 (192.168.1.101), gre-1 (192.168.1.102);"
                                + " push VLAN 1, out br-int",
                        "                    " + LEARNED_BY_HOST1,
                        "vm1: 3 packets transmitted, 3 received, 0% packet loss");
        // The ARP request leaves host1 twice, once per tunnel; every later frame is unicast between .100 and .101.
        assertThat(wireLines(result))
                .containsExactly(
                        "   0.000000s wire   192.168.1.100 > 192.168.1.101  GRE key 0x1388 (84 bytes):"
                                + " ARP who-has 10.0.0.2 tell 10.0.0.1",
                        "   0.000000s wire   192.168.1.100 > 192.168.1.102  GRE key 0x1388 (84 bytes):"
                                + " ARP who-has 10.0.0.2 tell 10.0.0.1",
                        "   0.000100s wire   192.168.1.101 > 192.168.1.100  GRE key 0x1388 (84 bytes):"
                                + " ARP 10.0.0.2 is-at fa:16:3e:1f:19:55",
                        "   0.000200s wire   192.168.1.100 > 192.168.1.101  GRE key 0x1388 (140 bytes):"
                                + " ICMP echo request 10.0.0.1 > 10.0.0.2 seq 1",
                        "   0.000300s wire   192.168.1.101 > 192.168.1.100  GRE key 0x1388 (140 bytes):"
                                + " ICMP echo reply 10.0.0.2 > 10.0.0.1 seq 1",
                        "   1.000000s wire   192.168.1.100 > 192.168.1.101  GRE key 0x1388 (140 bytes):"
                                + " ICMP echo request 10.0.0.1 > 10.0.0.2 seq 2",
                        "   1.000100s wire   192.168.1.101 > 192.168.1.100  GRE key 0x1388 (140 bytes):"
                                + " ICMP echo reply 10.0.0.2 > 10.0.0.1 seq 2",
                        "   2.000000s wire   192.168.1.100 > 192.168.1.101  GRE key 0x1388 (140 bytes):"
                                + " ICMP echo request 10.0.0.1 > 10.0.0.2 seq 3",
                        "   2.000100s wire   192.168.1.101 > 192.168.1.100  GRE key 0x1388 (140 bytes):"
                                + " ICMP echo reply 10.0.0.2 > 10.0.0.1 seq 3");

        int show = lines.indexOf("host1$ jvs vsctl show");
        assertThat(lines.subList(show + 13, show + 22))
                .containsExactly(
                        "    Bridge br-tun",
                        "        Port br-tun",
                        "            Interface br-tun",
                        "                type: internal",
                        "        Port \"gre-1\"",
                        "            Interface \"gre-1\"",
                        "                type: gre",
                        "                options: {in_key=flow, local_ip=\"192.168.1.100\", out_key=flow,"
                                + " remote_ip=\"192.168.1.102\"}",
                        "        Port \"gre-2\"");

        // The tutorial's table, with the counters of this run: 1 ARP request flooded, 3 echo requests unicast.
        int dump = lines.indexOf("host1$ jvs ofctl dump-flows br-tun");
        assertThat(lines.subList(dump + 1, lines.size()))
                .containsExactly(
                        "NXST_FLOW reply (xid=0x4):",
                        " cookie=0x0, duration=3.000s, table=0, n_packets=4, n_bytes=336, idle_age=1,"
                                + " priority=1,in_port=1 actions=resubmit(,1)",
                        " cookie=0x0, duration=3.000s, table=0, n_packets=0, n_bytes=0, idle_age=3,"
                                + " priority=1,in_port=2 actions=resubmit(,2)",
                        " cookie=0x0, duration=3.000s, table=0, n_packets=4, n_bytes=336, idle_age=1,"
                                + " priority=1,in_port=3 actions=resubmit(,2)",
                        " cookie=0x0, duration=3.000s, table=0, n_packets=0, n_bytes=0, idle_age=3,"
                                + " priority=0 actions=drop",
                        " cookie=0x0, duration=3.000s, table=1, n_packets=3, n_bytes=294, idle_age=1,"
                                + " priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
                        " cookie=0x0, duration=3.000s, table=1, n_packets=1, n_bytes=42, idle_age=3,"
                                + " priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)",
                        " cookie=0x0, duration=3.000s, table=2, n_packets=4, n_bytes=336, idle_age=1,"
                                + " priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
                        " cookie=0x0, duration=3.000s, table=2, n_packets=0, n_bytes=0, idle_age=3,"
                                + " priority=0 actions=drop",
                        " cookie=0x0, duration=3.000s, table=3, n_packets=0, n_bytes=0, idle_age=3,"
                                + " priority=0 actions=drop",
                        " cookie=0x0, duration=3.000s, table=10, n_packets=4, n_bytes=336, idle_age=1, priority=1"
                                + " actions=learn(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],"
                                + "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
                                + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1",
                        " cookie=0x0, duration=3.000s, table=20, n_packets=3, n_bytes=294, hard_timeout=300,"
                                + " idle_age=1, hard_age=1, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3",
                        " cookie=0x0, duration=3.000s, table=20, n_packets=0, n_bytes=0, idle_age=3,"
                                + " priority=0 actions=resubmit(,21)",
                        " cookie=0x0, duration=3.000s, table=21, n_packets=1, n_bytes=42, idle_age=3,"
                                + " priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                        " cookie=0x0, duration=3.000s, table=21, n_packets=0, n_bytes=0, idle_age=3,"
                                + " priority=0 actions=drop");
    }

    @Test
    void vxlanMulticastFloodsOnceToTheGroupThenGoesUnicast() {
        Cli.Result result = Cli.run("demo", "vxlan-multicast", "--count", "1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(wireLines(result))
                .containsExactly(
                        "   0.000000s wire   192.168.1.100 > 239.1.1.1  VXLAN vni 5000 (92 bytes):"
                                + " ARP who-has 10.0.0.2 tell 10.0.0.1",
                        "   0.000100s wire   192.168.1.101 > 192.168.1.100  VXLAN vni 5000 (92 bytes):"
                                + " ARP 10.0.0.2 is-at fa:16:3e:1f:19:55",
                        "   0.000200s wire   192.168.1.100 > 192.168.1.101  VXLAN vni 5000 (148 bytes):"
                                + " ICMP echo request 10.0.0.1 > 10.0.0.2 seq 1",
                        "   0.000300s wire   192.168.1.101 > 192.168.1.100  VXLAN vni 5000 (148 bytes):"
                                + " ICMP echo reply 10.0.0.2 > 10.0.0.1 seq 1");
        // Both peers learned where VM1 lives from the one multicast copy: the VTEP's address, not a port.
        assertThat(result.outLines().stream().filter(line -> line.contains("learned:")))
                .hasSize(3)
                .allMatch(line -> line.contains("load:0xc0a8016"));
    }

    @Test
    void neutronLayoutAnswersTheArpOnTheHostAndFloodsNothing() {
        Cli.Result result = Cli.run("demo", "--layout", "neutron", "--count", "1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(wireLines(result)).hasSize(2).allMatch(line -> line.contains("ICMP echo"));
        assertThat(result.out())
                .contains("make it ARP 10.0.0.2 is-at fa:16:3e:1f:19:55, out vm1")
                .contains("Port \"gre-c0a80165\"");
    }

    @Test
    void pcapWritesOneFilePerHop(@TempDir Path directory) throws IOException {
        Cli.Result result = Cli.run("demo", "--pcap", directory.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines())
                .containsSubsequence(
                        "  " + directory.resolve("vm1.pcap"),
                        "  " + directory.resolve("underlay.pcap"),
                        "  " + directory.resolve("vm2.pcap"));
        // ARP request, ARP reply, then 3 echo requests and replies, at each VM; on the wire the request twice.
        assertThat(frameLengths(directory.resolve("vm1.pcap"))).containsExactly(42, 42, 98, 98, 98, 98, 98, 98);
        assertThat(frameLengths(directory.resolve("vm2.pcap"))).containsExactly(42, 42, 98, 98, 98, 98, 98, 98);
        assertThat(frameLengths(directory.resolve("underlay.pcap")))
                .containsExactly(84, 84, 84, 140, 140, 140, 140, 140, 140);
    }

    private static List<Integer> frameLengths(Path file) throws IOException {
        List<Integer> lengths = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(file)) {
            for (var record = reader.next(); record != null; record = reader.next()) {
                lengths.add(record.data().length);
            }
        }
        return lengths;
    }

    @Test
    void l3GreRunsTheTutorialsFirstExampleFromTheCommandLine(@TempDir Path directory) throws IOException {
        Cli.Result run = Cli.run("demo", "l3-gre", "--pcap", directory.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.outLines().getFirst())
                .isEqualTo("The tutorial's first example: A pings B through a GRE tunnel between two routers.");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("lan-a.pcap", "ra-internet.pcap", "internet-rb.pcap", "lan-b.pcap");
        }
    }

    @Test
    void l3GreSendsAsManyEchoRequestsAsCountSays() {
        Cli.Result run = Cli.run("demo", "l3-gre", "-c", "2");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.outLines())
                .contains(
                        "A$ ping -c 2 192.168.2.1",
                        "2 packets transmitted, 2 received, 0% packet loss",
                        "All that crossed ra-internet: 2 GRE packets 1.1.1.1 > 2.2.2.2,"
                                + " 2 GRE packets 2.2.2.2 > 1.1.1.1, nothing else");
        assertThat(run.outLines())
                .filteredOn(line -> line.contains("icmp_seq="))
                .hasSize(2);
    }

    @Test
    void l3GreRefusesALayoutItHasNoBridgeFor() {
        Cli.Result run = Cli.run("demo", "l3-gre", "--layout", "neutron");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .containsExactly(
                        "jvs demo: --layout: the l3-gre demo has no br-tun (two routers joined by one GRE tunnel)",
                        "Try 'jvs demo --help' for more information.");
    }

    @Test
    void refusesAnUnknownDemoOrLayoutOrCount() {
        assertThat(Cli.run("demo", "mpls").errLines())
                .containsExactly(
                        "jvs demo: KIND: unknown demo 'mpls' (choose from gre, vxlan, vxlan-multicast, l3-gre)",
                        "Try 'jvs demo --help' for more information.");
        assertThat(Cli.run("demo", "--layout", "flat").errLines().getFirst())
                .isEqualTo("jvs demo: --layout: unknown layout 'flat' (choose from tutorial, neutron)");
        assertThat(Cli.run("demo", "vxlan-multicast", "--layout", "neutron")
                        .errLines()
                        .getFirst())
                .isEqualTo("jvs demo: --layout neutron: the vxlan-multicast demo floods to its group (flood and"
                        + " learn), which only the tutorial layout does; Neutron's layout floods by l2population");
        Cli.Result zero = Cli.run("demo", "-c", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.errLines().getFirst()).isEqualTo("jvs demo: --count: 0 is not between 1 and 1000");
    }
}
