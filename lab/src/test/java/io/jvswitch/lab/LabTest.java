package io.jvswitch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvswitch.lab.guest.Guest;
import io.jvswitch.lab.script.ScriptReport;
import io.jvswitch.lab.topology.TopologyLoader;
import io.jvswitch.lab.underlay.UnderlayDrop;
import io.jvswitch.wire.pcap.PcapReader;
import io.jvswitch.wire.pcap.PcapRecord;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabTest {
    @Test
    void theTutorialIsBuiltAsItsTopologySays() throws Exception {
        try (Lab lab = Lab.build(TopologyLoader.tutorial())) {
            assertThat(lab.hosts()).extracting(LabHost::name).containsExactly("host1", "host2", "host3");
            LabHost host1 = lab.host("host1");
            assertThat(host1.underlay().localAddress(IpPrefix.parseAddress("192.168.1.101")))
                    .isEqualTo(IpPrefix.parseAddress("192.168.1.100"));
            assertThat(host1.vms()).extracting(Guest::name).containsExactly("vm1");
            assertThat(host1.networkOf(lab.vm("vm1")).segmentationId()).isEqualTo(0x1388L);
            assertThat(lab.host("host3").vms()).isEmpty();
            assertThat(lab.host("host3").networks()).isEmpty();
            assertThat(lab.vm("vm2").mac()).isEqualTo(0xfa163e1f1955L);
            assertThat(lab.vm("vm2").config().ipv4()).hasToString("10.0.0.2/24");
            assertThat(lab.underlay().segment("underlay").latency().toNanos()).isEqualTo(100_000);
        }
    }

    @Test
    void theTutorialScriptPassesOverAFakeOverlay(@TempDir Path dir) throws Exception {
        List<Path> captures;
        ScriptReport report;
        try (Lab lab = Lab.build(TopologyLoader.tutorial())) {
            captures = lab.captureAll(dir);
            lab.attach(new FloodingOverlay());
            report = lab.runScript();
            // The first ARP request was flooded to both other hosts; host3 has no VM to take it.
            assertThat(lab.host("host3").underlay().received()).isGreaterThan(0);
            assertThat(lab.underlay().segment("underlay").counters().drops()).isEmpty();
            assertThat(lab.host("host2").underlay().counters().drops(UnderlayDrop.NO_RECEIVER))
                    .isZero();
        }

        assertThat(report.lines())
                .containsExactly(
                        "[   2.000200] ok   ping vm1 -> 10.0.0.2: 3 packets transmitted, 3 received, 0% packet loss,"
                                + " rtt min/avg/max = 0.200/0.267/0.400 ms",
                        "[   2.000200] ok   vm1 neighbor 10.0.0.2: fa:16:3e:1f:19:55",
                        "[ 302.000200] ok   advance 300s",
                        "[ 302.000200] ok   vm1 neighbor 10.0.0.2: none",
                        "[ 302.000600] ok   ping vm1 -> 10.0.0.2: 1 packets transmitted, 1 received, 0% packet loss,"
                                + " rtt min/avg/max = 0.400/0.400/0.400 ms",
                        "[ 304.000600] ok   ping vm1 -> 10.0.0.3: 1 packets transmitted, 0 received, 100% packet loss");
        assertThat(report.passed()).isTrue();

        assertThat(captures).containsExactly(dir.resolve("underlay.pcap"));
        List<PcapRecord> records = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(captures.getFirst())) {
            for (PcapRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        // ARP request to 2 peers, reply to 2, 3 echo requests and 3 replies to 2 peers each; after 300 s the same
        // for one ping (ARP 4, echo 4); then ARP requests for 10.0.0.3 at 0 s and 1 s to 2 peers (the ping and so
        // the script are over at 2 s, when the third would go).
        assertThat(records).hasSize(4 + 12 + 4 + 4 + 4);
        assumeTrue(onPath("tshark"), "tshark is not on the PATH: the independent check of the capture is skipped");
        Process tshark = new ProcessBuilder(
                        "tshark",
                        "-n",
                        "-r",
                        captures.getFirst().toString(),
                        "-o",
                        "ip.check_checksum:TRUE",
                        "-o",
                        "udp.check_checksum:TRUE",
                        "-Y",
                        "_ws.malformed || _ws.expert.severity >= 6291456")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tshark.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("malformed packets in the capture").isEmpty();
    }

    @Test
    void aFailedExpectationIsReportedAndTheScriptGoesOn() throws Exception {
        String yaml = """
                segments: [{name: lan}]
                networks: [{name: blue, type: vxlan, segmentation_id: 42, cidr: 10.0.0.0/24, group: 239.0.0.42}]
                hosts:
                  - name: h1
                    segment: lan
                    addresses: [198.18.0.1/24]
                    vms: [{name: a, network: blue, mac: "fa:16:3e:00:00:0a", ip: 10.0.0.10}]
                  - name: h2
                    segment: lan
                    addresses: [198.18.0.2/24]
                    vms: [{name: b, network: blue, mac: "fa:16:3e:00:00:0b", ip: 10.0.0.11, mtu: 1400}]
                script:
                  - udp_echo: {vm: b, port: 7}
                  - udp: {from: a, to: 10.0.0.11, port: 7, payload: hello}
                  - expect_udp: {vm: a, count: 1, port: 40000, from: 10.0.0.11}
                  - expect_udp: {vm: b, count: 2}
                  - ping: {from: a, to: 10.0.0.11, size: 1400, expect: success}
                  - expect_neighbor: {vm: b, ip: 10.0.0.10, mac: "fa:16:3e:00:00:0b"}
                  - leave: {host: h2, group: 239.0.0.42}
                """;
        try (Lab lab = Lab.build(TopologyLoader.parse(yaml, "t.yaml"))) {
            assertThat(lab.underlay().members("239.0.0.42"))
                    .extracting(h -> h.name())
                    .containsExactly("h1", "h2");
            lab.attach(new FloodingOverlay());
            ScriptReport report = lab.runScript();
            assertThat(report.lines())
                    .containsExactly(
                            "[   0.000000] ok   udp echo service on b:7",
                            "[   0.000400] ok   udp a -> 10.0.0.11:7: sent",
                            "[   0.000400] ok   a received 1 datagram on port 40000 from 10.0.0.11",
                            "[   0.000400] FAIL b received 1 datagram (expected 2)",
                            "[   1.000400] FAIL ping a -> 10.0.0.11: 1 packets transmitted, 0 received, 100% packet loss"
                                    + " (expected success)",
                            "[   1.000400] FAIL b neighbor 10.0.0.10: fa:16:3e:00:00:0a (expected fa:16:3e:00:00:0b)",
                            "[   1.000400] ok   h2 leaves 239.0.0.42");
            assertThat(report.failures()).extracting(ScriptReport.Result::index).containsExactly(3, 4, 5);
            assertThat(lab.underlay().members("239.0.0.42"))
                    .extracting(h -> h.name())
                    .containsExactly("h1");
            assertThat(lab.vm("b").drops()).containsKey(io.jvswitch.lab.guest.GuestDrop.RX_TOO_BIG);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
