package io.jvswitch.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvswitch.wire.pcap.PcapReader;
import io.jvswitch.wire.pcap.PcapRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jvs demo l3-gre}: what it prints, and the pcaps it writes. */
class L3GreDemoTest {
    private record Run(int exitCode, List<String> lines) {}

    private static Run run(Path pcaps) {
        StringWriter text = new StringWriter();
        int code = L3GreDemo.run(new PrintWriter(text), L3GreDemo.COUNT, pcaps);
        return new Run(code, text.toString().lines().toList());
    }

    /** The lines from the one equal to {@code first}, {@code count} of them. */
    private static List<String> from(List<String> lines, String first, int count) {
        int at = lines.indexOf(first);
        assertThat(at)
                .as("a line '%s' in:%n%s", first, String.join("\n", lines))
                .isNotNegative();
        return lines.subList(at, Math.min(lines.size(), at + count));
    }

    private static List<byte[]> records(Path file) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(file)) {
            for (PcapRecord record = reader.next(); record != null; record = reader.next()) {
                frames.add(record.data());
            }
        }
        return frames;
    }

    @Test
    void printsTheTopologyTheRoutersAndThePacketBeforeAndAfterEncapsulation() {
        Run run = run(null);

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.lines();
        assertThat(lines.subList(0, 5))
                .containsExactly(
                        "The tutorial's first example: A pings B through a GRE tunnel between two routers.",
                        "",
                        "A 192.168.1.1/24 -- RA [192.168.1.254 | 1.1.1.1] -- internet [1.1.1.254 | 2.2.2.254]"
                                + " -- [2.2.2.2 | 192.168.2.254] RB -- B 192.168.2.1/24",
                        "RA: gre0 1.1.1.1 -> 2.2.2.2, 192.168.2.0/24 through it;"
                                + " RB: gre0 2.2.2.2 -> 1.1.1.1, 192.168.1.0/24 through it",
                        "RA and RB are jvswitch; their gre0 has packet_type=legacy_l3: GRE carries the IP packet, no"
                                + " Ethernet header");
        assertThat(from(lines, "RA$ ovs-vsctl show", 12))
                .containsExactly(
                        "RA$ ovs-vsctl show",
                        "869752f0-e07b-34be-a9bf-b13021585d64",
                        "    Bridge \"br0\"",
                        "        Port \"br0\"",
                        "            Interface \"br0\"",
                        "                type: internal",
                        "        Port \"gre0\"",
                        "            Interface \"gre0\"",
                        "                type: gre",
                        "                options: {local_ip=\"1.1.1.1\", packet_type=\"legacy_l3\","
                                + " remote_ip=\"2.2.2.2\"}",
                        "        Port \"lan0\"",
                        "            Interface \"lan0\"");
        assertThat(from(lines, "RA$ ovs-ofctl dump-flows br0", 5))
                .containsExactly(
                        "RA$ ovs-ofctl dump-flows br0",
                        " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                                + " priority=100,arp,in_port=1,arp_tpa=192.168.1.254,arp_op=1"
                                + " actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:02:00:c0:a8:01:fe,"
                                + "load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"
                                + "move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0x200c0a801fe->NXM_NX_ARP_SHA[],"
                                + "load:0xc0a801fe->NXM_OF_ARP_SPA[],IN_PORT",
                        " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                                + " priority=50,ip,in_port=1,nw_dst=192.168.2.0/24 actions=dec_ttl,output:2",
                        " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                                + " priority=50,ip,in_port=2,nw_dst=192.168.1.1"
                                + " actions=mod_dl_src:02:00:c0:a8:01:fe,mod_dl_dst:52:54:00:00:01:01,dec_ttl,output:1",
                        " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                                + " priority=0 actions=drop");
        assertThat(from(lines, "RB$ ovs-ofctl dump-flows br0", 5).get(3))
                .endsWith(" priority=50,ip,in_port=2,nw_dst=192.168.2.1"
                        + " actions=mod_dl_src:02:00:c0:a8:02:fe,mod_dl_dst:52:54:00:00:02:01,dec_ttl,output:1");
        assertThat(from(lines, "A$ ping -c 3 192.168.2.1", 6))
                .containsExactly(
                        "A$ ping -c 3 192.168.2.1",
                        "64 bytes from 192.168.2.1: icmp_seq=1 ttl=62 time=0.400 ms",
                        "64 bytes from 192.168.2.1: icmp_seq=2 ttl=62 time=0.400 ms",
                        "64 bytes from 192.168.2.1: icmp_seq=3 ttl=62 time=0.400 ms",
                        "--- 192.168.2.1 ping statistics ---",
                        "3 packets transmitted, 3 received, 0% packet loss");
        assertThat(from(lines, "The first echo request on the A-RA link (lan-a), before encapsulation (98 bytes):", 4))
                .containsExactly(
                        "The first echo request on the A-RA link (lan-a), before encapsulation (98 bytes):",
                        "  Ethernet  52:54:00:00:01:01 > 02:00:c0:a8:01:fe, type IPv4 (0x0800)",
                        "  IPv4      192.168.1.1 > 192.168.2.1, proto ICMP (1), ttl 64, tos 0x00 (DSCP 0, Not-ECT),"
                                + " id 0x0001, DF, length 84, checksum 0xb655 [correct]",
                        "  ICMP      echo request, id 1, seq 1, length 64, checksum 0x3f29 [correct]");
        assertThat(from(
                        lines,
                        "On the RA-internet link (ra-internet), after encapsulation (122 bytes, 38 of them outer"
                                + " headers):",
                        6))
                .containsExactly(
                        "On the RA-internet link (ra-internet), after encapsulation (122 bytes, 38 of them outer"
                                + " headers):",
                        "  Ethernet  02:00:01:01:01:01 > 02:00:01:01:01:fe, type IPv4 (0x0800)",
                        "  IPv4      1.1.1.1 > 2.2.2.2, proto GRE (47), ttl 64, tos 0x00 (DSCP 0, Not-ECT), id 0x0000,"
                                + " DF, length 108, checksum 0x345e [correct]",
                        "  GRE       version 0, protocol 0x0800 (IPv4)",
                        "    IPv4      192.168.1.1 > 192.168.2.1, proto ICMP (1), ttl 63, tos 0x00 (DSCP 0, Not-ECT),"
                                + " id 0x0001, DF, length 84, checksum 0xb755 [correct]",
                        "    ICMP      echo request, id 1, seq 1, length 64, checksum 0x3f29 [correct]");
        assertThat(lines.getLast())
                .isEqualTo("All that crossed ra-internet: 3 GRE packets 1.1.1.1 > 2.2.2.2,"
                        + " 3 GRE packets 2.2.2.2 > 1.1.1.1, nothing else");
    }

    @Test
    void writesOnePcapPerLink(@TempDir Path dir) throws IOException {
        Path pcaps = dir.resolve("captures");
        Run run = run(pcaps);

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines().getLast())
                .isEqualTo("Wrote one pcap per link to " + pcaps + ": lan-a.pcap (8), ra-internet.pcap (6),"
                        + " internet-rb.pcap (6), lan-b.pcap (8)");
        HexFormat hex = HexFormat.of();
        List<byte[]> lanA = records(pcaps.resolve("lan-a.pcap"));
        assertThat(lanA).hasSize(8);
        assertThat(hex.formatHex(lanA.get(2)))
                .as("A's first echo request")
                .startsWith("0200c0a801fe5254000001010800" + "45000054000140004001b655c0a80101c0a80201");
        List<byte[]> wan = records(pcaps.resolve("ra-internet.pcap"));
        assertThat(wan).hasSize(6);
        assertThat(hex.formatHex(wan.getFirst()))
                .startsWith("0200010101fe0200010101010800" + "4500006c00004000402f345e0101010102020202" + "00000800"
                        + "45000054000140003f01b755c0a80101c0a80201");
        assertThat(hex.formatHex(wan.get(1)).substring(52, 68))
                .as("the reply comes back 2.2.2.2 > 1.1.1.1")
                .isEqualTo("0202020201010101");
        assertThat(records(pcaps.resolve("internet-rb.pcap"))).hasSize(6);
        assertThat(records(pcaps.resolve("lan-b.pcap"))).hasSize(8);
    }
    /** True when {@code command} is an executable file in a directory of the PATH. */
    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void tsharkReadsTheTunnelPcapAsTheTutorialDrawsIt(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("tshark"), "tshark is not on the PATH: independent cross-check skipped");
        assertThat(run(dir).exitCode()).isZero();

        Process tshark = new ProcessBuilder(
                        "tshark",
                        "-r",
                        dir.resolve("ra-internet.pcap").toString(),
                        "-o",
                        "ip.check_checksum:TRUE",
                        "-T",
                        "fields",
                        "-e",
                        "ip.src",
                        "-e",
                        "ip.dst",
                        "-e",
                        "ip.proto",
                        "-e",
                        "ip.ttl",
                        "-e",
                        "gre.proto",
                        "-e",
                        "icmp.type",
                        "-e",
                        "ip.checksum.status",
                        "-E",
                        "separator=;")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String fields = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tshark.waitFor()).isZero();

        // Outer then inner, each field: addresses, protocols 47 then ICMP, TTLs, GRE's 0x0800, checksums good (1).
        String request = "1.1.1.1,192.168.1.1;2.2.2.2,192.168.2.1;47,1;64,63;0x0800;8;1,1";
        String reply = "2.2.2.2,192.168.2.1;1.1.1.1,192.168.1.1;47,1;63,63;0x0800;0;1,1";
        assertThat(fields.lines()).containsExactly(request, reply, request, reply, request, reply);
    }
}
