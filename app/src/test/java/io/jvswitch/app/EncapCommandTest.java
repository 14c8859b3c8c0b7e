package io.jvswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.pcap.PcapReader;
import io.jvswitch.wire.pcap.PcapRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jvs encap}: the exact Before and After sections, the pcap it writes, and one line for each way its input can
 * be wrong. The expected frames are the tunnel module's vectors (independently composed, checked with tshark).
 */
class EncapCommandTest {
    static final String ARP_REQUEST = "ffffffffffff" + "fa163e000001" + "0806" + "0001080006040001" + "fa163e000001"
            + "0a000001" + "000000000000" + "0a000002";
    static final String OUTER_ETHERNET = "0200c0a80165" + "0200c0a80164" + "0800";
    /** The tutorial's ARP request in GRE, key 0x1388, host 192.168.1.100 to .101. */
    static final String GRE_IPV4_KEY =
            OUTER_ETHERNET + "4500004600004000402fb66fc0a80164c0a80165" + "2000655800001388" + ARP_REQUEST;

    private static final String[] HOSTS = {"local_ip=192.168.1.100", "remote_ip=192.168.1.101"};

    @TempDir
    Path directory;

    private static String[] args(String... args) {
        return args;
    }

    private static String[] encap(String type, String... rest) {
        List<String> args = new ArrayList<>(List.of("encap", type));
        args.addAll(List.of(HOSTS));
        args.addAll(List.of(rest));
        return args.toArray(String[]::new);
    }

    /** Runs {@code args} plus {@code -w FILE} and returns the one frame written, in hex. */
    private String written(String... args) throws IOException {
        Path file = directory.resolve("out.pcap");
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-w");
        all.add(file.toString());
        Cli.Result result = Cli.run(all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        try (PcapReader reader = PcapReader.open(file)) {
            PcapRecord record = reader.next();
            assertThat(reader.next()).isNull();
            return HexFormat.of().formatHex(record.data());
        }
    }

    static final List<String> GRE_ARP_AFTER = List.of(
            "  Ethernet  02:00:c0:a8:01:64 > 02:00:c0:a8:01:65, type IPv4 (0x0800)",
            "  IPv4      192.168.1.100 > 192.168.1.101, proto GRE (47), ttl 64, tos 0x00 (DSCP 0, Not-ECT), id 0x0000,"
                    + " DF, length 70, checksum 0xb66f [correct]",
            "  GRE       version 0, protocol 0x6558 (Transparent Ethernet Bridging), key 0x00001388 (5000)",
            "    Ethernet  fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff, type ARP (0x0806)",
            "    ARP       request who-has 10.0.0.2 tell 10.0.0.1 (fa:16:3e:00:00:01)");

    @Test
    void greArpBeforeAndAfter() {
        Cli.Result result = Cli.run(encap("gre", "key=0x1388", "--inner", "arp"));
        assertThat(result.exitCode()).isZero();
        List<String> expected = new ArrayList<>(List.of(
                "Before encapsulation (42 bytes):",
                "  Ethernet  fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff, type ARP (0x0806)",
                "  ARP       request who-has 10.0.0.2 tell 10.0.0.1 (fa:16:3e:00:00:01)",
                "",
                "After encapsulation into gre 192.168.1.100 -> 192.168.1.101 (84 bytes, 42 of them outer headers):"));
        expected.addAll(GRE_ARP_AFTER);
        assertThat(result.outLines()).isEqualTo(expected);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void vxlanUdpBeforeAndAfter() {
        Cli.Result result = Cli.run(encap("vxlan", "key=5000", "src_port_range=50000-50000", "--inner", "udp"));
        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .isEqualTo(List.of(
                        "Before encapsulation (74 bytes):",
                        "  Ethernet  fa:16:3e:00:00:01 > fa:16:3e:00:00:02, type IPv4 (0x0800)",
                        "  IPv4      10.0.0.1 > 10.0.0.2, proto UDP (17), ttl 64, tos 0x00 (DSCP 0, Not-ECT),"
                                + " id 0x0000, DF, length 60, checksum 0x26af [correct]",
                        "  UDP       12345 > 7, length 40, checksum 0xca5a [correct]",
                        "  Payload   32 bytes",
                        "",
                        "After encapsulation into vxlan 192.168.1.100 -> 192.168.1.101 (124 bytes, 50 of them outer"
                                + " headers):",
                        "  Ethernet  02:00:c0:a8:01:64 > 02:00:c0:a8:01:65, type IPv4 (0x0800)",
                        "  IPv4      192.168.1.100 > 192.168.1.101, proto UDP (17), ttl 64, tos 0x00 (DSCP 0, Not-ECT),"
                                + " id 0x0000, DF, length 110, checksum 0xb665 [correct]",
                        "  UDP       50000 > 4789, length 90, checksum 0x0000 [none]",
                        "  VXLAN     vni 5000 (0x001388), flags 0x08 [I]",
                        "    Ethernet  fa:16:3e:00:00:01 > fa:16:3e:00:00:02, type IPv4 (0x0800)",
                        "    IPv4      10.0.0.1 > 10.0.0.2, proto UDP (17), ttl 64, tos 0x00 (DSCP 0, Not-ECT),"
                                + " id 0x0000, DF, length 60, checksum 0x26af [correct]",
                        "    UDP       12345 > 7, length 40, checksum 0xca5a [correct]",
                        "    Payload   32 bytes"));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void writesThePrintedFrameToAPcap() throws IOException {
        Path file = directory.resolve("arp.pcap");
        long before = System.currentTimeMillis();
        Cli.Result result = Cli.run(encap("gre", "key=0x1388", "--inner", "arp", "-w", file.toString()));
        long after = System.currentTimeMillis();
        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines().subList(5, result.outLines().size()))
                .isEqualTo(concat(GRE_ARP_AFTER, List.of("", "Wrote 1 packet to " + file)));

        try (PcapReader reader = PcapReader.open(file)) {
            assertThat(reader.linkType()).isEqualTo(1);
            PcapRecord record = reader.next();
            assertThat(HexFormat.of().formatHex(record.data())).isEqualTo(GRE_IPV4_KEY);
            assertThat(record.originalLength()).isEqualTo(84);
            assertThat(record.timestampNanos() / 1_000_000).isBetween(before, after);
            assertThat(reader.next()).isNull();
        }

        // jvs decode prints the same lines for the packet it reads back.
        Cli.Result decoded = Cli.run("decode", file.toString());
        assertThat(decoded.exitCode()).isZero();
        List<String> lines = decoded.outLines();
        assertThat(lines.getFirst()).matches("packet 1: 84 bytes, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        assertThat(lines.subList(1, lines.size())).isEqualTo(concat(GRE_ARP_AFTER, List.of("", "1 packet")));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @Test
    void theTutorialsVectorsForEveryTunnel() throws IOException {
        assertThat(written(encap("gre", "key=0x1388", "--inner", "arp"))).isEqualTo(GRE_IPV4_KEY);
        assertThat(written(encap("gre", "key=0x1388", "csum=true", "seq=true", "--inner", "arp")))
                .isEqualTo(OUTER_ETHERNET + "4500004e00004000402fb667c0a80164c0a80165"
                        + "b00065583cdf00000000138800000000" + ARP_REQUEST);
        assertThat(written(encap("vxlan", "key=5000", "src_port_range=49152-49152", "--inner", "arp")))
                .isEqualTo(OUTER_ETHERNET + "4500004e000040004011b685c0a80164c0a80165" + "c00012b5003a0000"
                        + "0800000000138800" + ARP_REQUEST);
        assertThat(written(encap("vxlan", "key=5000", "csum=true", "src_port_range=49152-49152", "--inner", "arp")))
                .isEqualTo(OUTER_ETHERNET + "4500004e000040004011b685c0a80164c0a80165" + "c00012b5003a7e57"
                        + "0800000000138800" + ARP_REQUEST);
        assertThat(written(encap("gre-udp", "key=0x1388", "src_port_range=49152-49152", "--inner", "arp")))
                .isEqualTo(OUTER_ETHERNET + "4500004e000040004011b685c0a80164c0a80165" + "c0001292003a0000"
                        + "2000655800001388" + ARP_REQUEST);
    }

    @Test
    void greWithChecksumAndSequenceIsPrinted() {
        Cli.Result result = Cli.run(encap("gre", "key=0x1388", "csum=true", "seq=true", "--inner", "arp"));
        assertThat(result.outLines())
                .contains("  GRE       version 0, protocol 0x6558 (Transparent Ethernet Bridging), checksum 0x3cdf"
                        + " [correct], key 0x00001388 (5000), seq 0");
    }

    @Test
    void anL3TunnelCarriesTheBareIpPacket() throws IOException {
        // The tutorial's first example: router A (1.1.1.1) to router B (2.2.2.2), 192.168.1.1 pinging 192.168.2.1.
        String[] args = args(
                "encap",
                "gre",
                "local_ip=1.1.1.1",
                "remote_ip=2.2.2.2",
                "packet_type=legacy_l3",
                "--inner",
                "icmp,nw_src=192.168.1.1,nw_dst=192.168.2.1");
        Cli.Result result = Cli.run(args);
        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .isEqualTo(List.of(
                        "Before encapsulation (84 bytes):",
                        "  IPv4      192.168.1.1 > 192.168.2.1, proto ICMP (1), ttl 64, tos 0x00 (DSCP 0, Not-ECT),"
                                + " id 0x0000, DF, length 84, checksum 0xb656 [correct]",
                        "  ICMP      echo request, id 1, seq 1, length 64, checksum 0x00eb [correct]",
                        "",
                        "After encapsulation into gre 1.1.1.1 -> 2.2.2.2 (122 bytes, 38 of them outer headers):",
                        "  Ethernet  02:00:01:01:01:01 > 02:00:02:02:02:02, type IPv4 (0x0800)",
                        "  IPv4      1.1.1.1 > 2.2.2.2, proto GRE (47), ttl 64, tos 0x00 (DSCP 0, Not-ECT), id 0x0000,"
                                + " DF, length 108, checksum 0x345e [correct]",
                        "  GRE       version 0, protocol 0x0800 (IPv4)",
                        "    IPv4      192.168.1.1 > 192.168.2.1, proto ICMP (1), ttl 64, tos 0x00 (DSCP 0,"
                                + " Not-ECT), id 0x0000, DF, length 84, checksum 0xb656 [correct]",
                        "    ICMP      echo request, id 1, seq 1, length 64, checksum 0x00eb [correct]"));
        assertThat(written(args))
                .isEqualTo("020002020202" + "020001010101" + "0800" + "4500006c00004000402f345e0101010102020202"
                        + "00000800" + "45000054000040004001b656c0a80101c0a80201" + "080000eb00010001"
                        + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                        + "202122232425262728292a2b2c2d2e2f3031323334353637");
    }

    @Test
    void outerMacAddressesCanBeGiven() {
        Cli.Result result = Cli.run(encap(
                "gre", "--inner", "arp", "--outer-src-mac", "52:54:00:00:00:01", "--outer-dst-mac=52:54:00:00:00:fe"));
        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines().get(5))
                .isEqualTo("  Ethernet  52:54:00:00:00:01 > 52:54:00:00:00:fe, type IPv4 (0x0800)");
    }

    @Test
    void optionsMayBeWrittenAsOvsVsctlWritesThem() {
        Cli.Result result = Cli.run(
                "encap",
                "gre",
                "options:local_ip=\"192.168.1.100\"",
                "options:remote_ip=192.168.1.101",
                "options:key=5000",
                "--inner",
                "arp");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines().subList(5, result.outLines().size())).isEqualTo(GRE_ARP_AFTER);
    }

    @Test
    void theDefaultInnerPacketIsAnIcmpEcho() {
        Cli.Result result = Cli.run(encap("gre"));
        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines().subList(0, 4))
                .isEqualTo(List.of(
                        "Before encapsulation (98 bytes):",
                        "  Ethernet  fa:16:3e:00:00:01 > fa:16:3e:00:00:02, type IPv4 (0x0800)",
                        "  IPv4      10.0.0.1 > 10.0.0.2, proto ICMP (1), ttl 64, tos 0x00 (DSCP 0, Not-ECT),"
                                + " id 0x0000, DF, length 84, checksum 0x26a7 [correct]",
                        "  ICMP      echo request, id 1, seq 1, length 64, checksum 0x00eb [correct]"));
    }

    // ---- Errors: exit 2, one line saying what is wrong, and a pointer to --help ----

    private static void assertUsageError(Cli.Result result, String message) {
        assertThat(result.errLines()).isEqualTo(List.of(message, "Try 'jvs encap --help' for more information."));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void unknownTunnelType() {
        assertUsageError(
                Cli.run(encap("geneve")), "jvs encap: unknown tunnel type 'geneve' (known: gre, vxlan, gre-udp)");
    }

    @Test
    void vniBeyondTwentyFourBits() {
        assertUsageError(
                Cli.run(encap("vxlan", "key=16777216")),
                "jvs encap: options:key=16777216 is out of range: a VXLAN VNI is 24 bits (0 to 16777215)");
    }

    @Test
    void badIpAddress() {
        assertUsageError(
                Cli.run("encap", "vxlan", "local_ip=192.168.1.100", "remote_ip=192.168.1.300"),
                "jvs encap: options:remote_ip=192.168.1.300 is not an IPv4 or IPv6 address (or flow) for vxlan");
    }

    @Test
    void badMacInTheInnerPacket() {
        assertUsageError(
                Cli.run(encap("gre", "--inner", "arp,dl_src=fa:16:3e:00:00")),
                "jvs encap: --inner: dl_src=fa:16:3e:00:00: 'fa:16:3e:00:00' is not a MAC address (expected"
                        + " xx:xx:xx:xx:xx:xx)");
    }

    @Test
    void badOuterMac() {
        assertUsageError(
                Cli.run(encap("gre", "--outer-dst-mac", "nexthop")),
                "jvs encap: --outer-dst-mac: 'nexthop' is not a MAC address (expected xx:xx:xx:xx:xx:xx)");
    }

    @Test
    void unknownInnerField() {
        assertUsageError(
                Cli.run(encap("gre", "--inner", "arp,tp_dst=80")),
                "jvs encap: --inner: unknown or inapplicable field tp_dst for arp (fields: dl_src, dl_dst, dl_vlan,"
                        + " nw_src, nw_dst, ipv6_src, ipv6_dst, arp_op, arp_sha, arp_tha, nw_tos, nw_ttl, tp_src,"
                        + " tp_dst, icmp_type, payload)");
    }

    @Test
    void unknownInnerProtocol() {
        assertUsageError(
                Cli.run(encap("gre", "--inner", "sctp")),
                "jvs encap: --inner: unknown protocol 'sctp' (expected arp, icmp, udp, tcp, icmp6, udp6 or tcp6)");
    }

    @Test
    void missingRemoteIp() {
        assertUsageError(
                Cli.run("encap", "gre", "local_ip=192.168.1.100"),
                "jvs encap: gre interface needs options:remote_ip (an address, or flow)");
    }

    @Test
    void missingLocalIp() {
        assertUsageError(
                Cli.run("encap", "gre", "remote_ip=192.168.1.101"),
                "jvs encap: encap needs both local_ip and remote_ip (addresses, not flow)");
    }

    @Test
    void remoteIpFromTheFlow() {
        assertUsageError(
                Cli.run("encap", "gre", "local_ip=192.168.1.100", "remote_ip=flow"),
                "jvs encap: encap needs both local_ip and remote_ip (addresses, not flow)");
    }

    @Test
    void outKeyFromTheFlow() {
        assertUsageError(
                Cli.run(encap("gre", "out_key=flow")),
                "jvs encap: encap needs a fixed key: out_key=flow takes the key from a flow table");
        assertUsageError(
                Cli.run(encap("vxlan", "key=flow")),
                "jvs encap: encap needs a fixed key: out_key=flow takes the key from a flow table");
    }

    @Test
    void anArgumentThatIsNotOptionEqualsValue() {
        assertUsageError(
                Cli.run(encap("gre", "csum")),
                "jvs encap: 'csum' is not OPTION=VALUE (for example remote_ip=192.168.1.101)");
        assertUsageError(
                Cli.run(encap("gre", "=true")),
                "jvs encap: '=true' is not OPTION=VALUE (for example remote_ip=192.168.1.101)");
    }

    @Test
    void anOptionGivenTwice() {
        assertUsageError(
                Cli.run(encap("gre", "remote_ip=192.168.1.102")), "jvs encap: option remote_ip is given twice");
        assertUsageError(Cli.run(encap("gre", "key=1", "options:key=2")), "jvs encap: option key is given twice");
    }

    @Test
    void anOptionTheTunnelDoesNotTake() {
        assertUsageError(
                Cli.run(encap("gre", "dst_port=4789")), "jvs encap: options:dst_port applies to UDP tunnels, not gre");
        assertUsageError(
                Cli.run(encap("vxlan", "packet_type=legacy_l3")),
                "jvs encap: options:packet_type=legacy_l3: VXLAN carries Ethernet frames only");
    }

    @Test
    void missingType() {
        assertUsageError(Cli.run("encap"), "jvs encap: Missing required parameter: 'TYPE'");
    }

    @Test
    void aPcapThatCannotBeWrittenExitsOne() {
        Path file = directory.resolve("missing").resolve("x.pcap");
        Cli.Result result = Cli.run(encap("gre", "--inner", "arp", "-w", file.toString()));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).isEqualTo(List.of("jvs encap: " + file + ": no such file or directory"));
        assertThat(result.outLines().getFirst()).isEqualTo("Before encapsulation (42 bytes):");
        assertThat(Files.exists(file)).isFalse();
    }
}
