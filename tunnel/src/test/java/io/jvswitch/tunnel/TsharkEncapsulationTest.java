package io.jvswitch.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvswitch.tunnel.decap.Decapsulator;
import io.jvswitch.tunnel.encap.Encapsulator;
import io.jvswitch.tunnel.encap.HeaderTemplate;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l4.Tcp;
import io.jvswitch.wire.pcap.PcapWriter;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds the {@link Encapsulator} against an independent dissector: every encapsulation, over an IPv4 and an IPv6
 * underlay, is written to a pcap and read back by tshark (4.0 on CI; the test is skipped when tshark is not on the
 * PATH). tshark must find every checksum good, every field where the configuration put it, and nothing malformed or
 * worth a warning. The {@link Decapsulator} then takes each packet apart again, and what it reports must agree with
 * what tshark read.
 *
 * <p>How tshark 4.0 is asked, and why:
 *
 * <ul>
 *   <li>{@code -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE}: IPv4, UDP and TCP
 *       checksums are not verified by default (their status would read 2, "unverified"). GRE and ICMP/ICMPv6
 *       checksums are always verified and need no preference.
 *   <li>{@code -o udp.ignore_ipv6_zero_checksum:TRUE}: a tunnel with {@code csum=false} sends UDP over IPv6 with a zero
 *       checksum, which RFC 6935 allows tunnels and {@link TunnelConfig} documents; without this preference tshark
 *       reports status 4 ("illegal") and an expert error on exactly those packets.
 *   <li>No decode-as at all: tshark 4.0 decodes VXLAN on UDP 4789, GRE-in-UDP on 4754 (RFC 8086) and GRE's 0x6558,
 *       0x0800 and 0x86dd by default.
 *   <li>{@code -T fields -E separator=/t}: one line per packet, tab-separated; a field that occurs more than once
 *       (outer and inner {@code ip.src}, say) is listed outer first, comma-separated.
 *   <li>Problems are found twice. In the fields pass, {@code _ws.malformed} prints its own name when a dissector hit
 *       the end of the data, and {@code _ws.expert.severity} lists every expert item's severity (comment 0x100000,
 *       chat 0x200000, note 0x400000, warning 0x600000, error 0x800000). A second pass, {@code -Y "_ws.malformed ||
 *       _ws.expert.severity >= 6291456"}, must print no packet. The bar is the warning level, not the error level:
 *       tshark 4.0 reports a wrong GRE checksum as a warning only. {@link #theProblemFilterCatchesBrokenPackets} shows
 *       on deliberately broken packets that both passes do catch problems with this tshark.
 * </ul>
 */
class TsharkEncapsulationTest {
    /** tshark's PI_WARN: the lowest expert severity that fails the test. */
    private static final long WARNING = 0x600000;

    private static final String PROBLEMS = "_ws.malformed || _ws.expert.severity >= " + WARNING;

    private static final long HOST_MAC = MacAddress.parse("02:00:c6:12:00:01");
    private static final long PEER_MAC = MacAddress.parse("02:00:c6:12:00:02");
    private static final long VM1 = MacAddress.parse("fa:16:3e:00:00:01");
    private static final long VM2 = MacAddress.parse("fa:16:3e:00:00:02");
    private static final int VM1_IP = Ipv4Address.parse("10.0.0.1");
    private static final int VM2_IP = Ipv4Address.parse("10.0.0.2");
    private static final byte[] INNER6_SOURCE = Ipv6Address.parse("2001:db8:1::1");
    private static final byte[] INNER6_DESTINATION = Ipv6Address.parse("2001:db8:2::1");
    /** Odd lengths, so that every checksum over them ends on a padded byte (RFC 1071 section 4.1). */
    private static final byte[] PAYLOAD = "jvswitch!".getBytes(StandardCharsets.US_ASCII);

    /** First GRE sequence number: not zero, so that a field read from the wrong place shows. */
    private static final int FIRST_SEQUENCE = 41;

    /** Columns asserted exactly, for every packet: an empty string is a field the packet must not have. */
    private static final List<String> COLUMNS = List.of(
            "eth.type",
            "vlan.id",
            "ip.src",
            "ip.dst",
            "ip.proto",
            "ip.dsfield",
            "ip.ttl",
            "ip.flags.df",
            "ip.checksum.status",
            "ipv6.src",
            "ipv6.dst",
            "ipv6.nxt",
            "ipv6.tclass",
            "ipv6.hlim",
            "udp.dstport",
            "udp.checksum.status",
            "vxlan.vni",
            "gre.proto",
            "gre.key",
            "gre.sequence_number",
            "gre.checksum.status",
            "arp.opcode",
            "arp.src.proto_ipv4",
            "arp.dst.proto_ipv4",
            "icmp.type",
            "icmp.checksum.status",
            "icmpv6.type",
            "icmpv6.checksum.status",
            "tcp.flags",
            "tcp.checksum.status",
            "_ws.malformed");

    /** Columns read for the decapsulation cross-check and for messages, not compared as a whole. */
    private static final List<String> EXTRA_COLUMNS =
            List.of("frame.number", "udp.srcport", "_ws.expert.severity", "_ws.expert.message");

    private record Underlay(String local, String remote) {
        boolean ipv6() {
            return local.indexOf(':') >= 0;
        }
    }

    private static final List<Underlay> UNDERLAYS =
            List.of(new Underlay("198.18.0.1", "198.19.255.254"), new Underlay("2001:db8::1", "2001:db8:ffff::2"));

    /**
     * One tunnel configuration and the packet sent through it.
     *
     * @param inner an Ethernet frame, or an IP packet for {@code packet_type=legacy_l3}
     * @param outerTos the ToS or traffic class the outer header must carry: the configured DSCP (0 unless inherited)
     *     and the inner packet's ECN field (RFC 6040 normal mode)
     * @param outerTtl the TTL or hop limit the outer header must carry
     * @param expected the tunnel header's and the inner packet's fields as {@code field=value}, outer before inner for
     *     a field that occurs twice; the outer IP and UDP headers' fields are added by {@link #expected}
     */
    private record Kind(
            String name,
            TunnelType type,
            Map<String, String> options,
            byte[] inner,
            int outerTos,
            int outerTtl,
            List<String> expected) {}

    private static List<Kind> kinds() {
        byte[] arpRequest = new FrameBuilder()
                .ethernet(VM1, MacAddress.BROADCAST)
                .arp(Arp.OP_REQUEST, VM1, VM1_IP, 0, VM2_IP)
                .build();
        byte[] arpReply = new FrameBuilder()
                .ethernet(VM2, VM1)
                .arp(Arp.OP_REPLY, VM2, VM2_IP, VM1, VM1_IP)
                .build();
        byte[] udp = new FrameBuilder()
                .ethernet(VM1, VM2)
                .ipv4(VM1_IP, VM2_IP)
                .udp(40000, 47001) // unassigned ports: the payload is shown as data, never taken for a protocol
                .payload(PAYLOAD)
                .build();
        byte[] expeditedUdp = new FrameBuilder()
                .ethernet(VM1, VM2)
                .ipv4(VM1_IP, VM2_IP)
                .tos(0xb8 | 1) // DSCP EF, ECT(1)
                .ttl(9)
                .udp(40002, 47003)
                .payload(PAYLOAD)
                .build();
        byte[] ping = new FrameBuilder()
                .ethernet(VM1, VM2)
                .ipv4(VM1_IP, VM2_IP)
                .tos(2) // ECT(0): copied to the outer header
                .icmpEcho(true, 0x1234, 1)
                .payload(new byte[56])
                .build();
        byte[] taggedSyn = new FrameBuilder()
                .ethernet(VM2, VM1)
                .vlan(100)
                .ipv4(VM2_IP, VM1_IP)
                .tcp(43210, 22, Tcp.SYN)
                .build();
        byte[] routedPong = new FrameBuilder()
                .ipv4(Ipv4Address.parse("10.0.2.1"), Ipv4Address.parse("10.0.1.1"))
                .icmpEcho(false, 7, 3)
                .payload(new byte[32])
                .buildL3();
        byte[] routedPing6 = new FrameBuilder()
                .ipv6(INNER6_SOURCE, INNER6_DESTINATION)
                .icmpEcho(true, 7, 1)
                .payload(new byte[33])
                .buildL3();
        byte[] routedUdp6 = new FrameBuilder()
                .ipv6(INNER6_SOURCE, INNER6_DESTINATION)
                .tos(3) // CE
                .udp(40001, 47002)
                .payload(PAYLOAD)
                .buildL3();
        List<String> arpRequestFields = List.of(
                "eth.type=0x0806", "arp.opcode=1", "arp.src.proto_ipv4=10.0.0.1", "arp.dst.proto_ipv4=10.0.0.2");
        String key = "gre.key=0x00001388"; // 5000, as tshark prints GRE keys
        return List.of(
                new Kind(
                        "vxlan",
                        TunnelType.VXLAN,
                        Map.of("key", "5000", "csum", "false"),
                        arpRequest,
                        0,
                        64,
                        concat(List.of("vxlan.vni=5000"), arpRequestFields)),
                new Kind(
                        "vxlan csum",
                        TunnelType.VXLAN,
                        Map.of("key", "5000", "csum", "true"),
                        udp,
                        0,
                        64,
                        concat(
                                List.of("vxlan.vni=5000", "eth.type=0x0800"),
                                ipv4("10.0.0.1", "10.0.0.2", 17, 0, 64),
                                List.of("udp.dstport=47001", "udp.checksum.status=1"))),
                new Kind(
                        "vxlan tos ttl inherit",
                        TunnelType.VXLAN,
                        Map.of("key", "5000", "tos", "inherit", "ttl", "inherit"),
                        expeditedUdp,
                        0xb9,
                        9,
                        concat(
                                List.of("vxlan.vni=5000", "eth.type=0x0800"),
                                ipv4("10.0.0.1", "10.0.0.2", 17, 0xb9, 9),
                                List.of("udp.dstport=47003", "udp.checksum.status=1"))),
                new Kind(
                        "gre key",
                        TunnelType.GRE,
                        Map.of("key", "5000"),
                        ping,
                        2,
                        64,
                        concat(
                                List.of("gre.proto=0x6558", key, "eth.type=0x0800"),
                                ipv4("10.0.0.1", "10.0.0.2", 1, 2, 64),
                                List.of("icmp.type=8", "icmp.checksum.status=1"))),
                new Kind(
                        "gre csum key seq",
                        TunnelType.GRE,
                        Map.of("key", "5000", "csum", "true", "seq", "true"),
                        arpReply,
                        0,
                        64,
                        List.of(
                                "gre.proto=0x6558",
                                key,
                                "gre.sequence_number=" + FIRST_SEQUENCE,
                                "gre.checksum.status=1",
                                "eth.type=0x0806",
                                "arp.opcode=2",
                                "arp.src.proto_ipv4=10.0.0.2",
                                "arp.dst.proto_ipv4=10.0.0.1")),
                new Kind(
                        "gre l3 ipv4",
                        TunnelType.GRE,
                        Map.of("packet_type", "legacy_l3"),
                        routedPong,
                        0,
                        64,
                        concat(
                                List.of("gre.proto=0x0800"),
                                ipv4("10.0.2.1", "10.0.1.1", 1, 0, 64),
                                List.of("icmp.type=0", "icmp.checksum.status=1"))),
                new Kind(
                        "gre l3 ipv6 icmpv6 csum key",
                        TunnelType.GRE,
                        Map.of("packet_type", "legacy_l3", "key", "5000", "csum", "true"),
                        routedPing6,
                        0,
                        64,
                        concat(
                                List.of("gre.proto=0x86dd", key, "gre.checksum.status=1"),
                                ipv6("2001:db8:1::1", "2001:db8:2::1", 58, 0, 64),
                                List.of("icmpv6.type=128", "icmpv6.checksum.status=1"))),
                new Kind(
                        "gre l3 ipv6 udp",
                        TunnelType.GRE,
                        Map.of("packet_type", "legacy_l3"),
                        routedUdp6,
                        3,
                        64,
                        concat(
                                List.of("gre.proto=0x86dd"),
                                ipv6("2001:db8:1::1", "2001:db8:2::1", 17, 3, 64),
                                List.of("udp.dstport=47002", "udp.checksum.status=1"))),
                new Kind(
                        "gre-udp key",
                        TunnelType.GRE_UDP,
                        Map.of("key", "5000", "csum", "false"),
                        taggedSyn,
                        0,
                        64,
                        concat(
                                List.of("gre.proto=0x6558", key, "eth.type=0x8100", "vlan.id=100"),
                                ipv4("10.0.0.2", "10.0.0.1", 6, 0, 64),
                                List.of("tcp.flags=0x0002", "tcp.checksum.status=1"))),
                new Kind(
                        "gre-udp csum key",
                        TunnelType.GRE_UDP,
                        Map.of("key", "5000", "csum", "true"),
                        arpRequest,
                        0,
                        64,
                        concat(List.of("gre.proto=0x6558", key, "gre.checksum.status=1"), arpRequestFields)));
    }

    /** An IPv4 header's fields as tshark prints them; DF is set, as FrameBuilder and the tunnels set it. */
    private static List<String> ipv4(String source, String destination, int protocol, int tos, int ttl) {
        return List.of(
                "ip.src=" + source,
                "ip.dst=" + destination,
                "ip.proto=" + protocol,
                "ip.dsfield=" + String.format("0x%02x", tos),
                "ip.ttl=" + ttl,
                "ip.flags.df=1",
                "ip.checksum.status=1");
    }

    /** An IPv6 header's fields as tshark prints them. */
    private static List<String> ipv6(
            String source, String destination, int nextHeader, int trafficClass, int hopLimit) {
        return List.of(
                "ipv6.src=" + source,
                "ipv6.dst=" + destination,
                "ipv6.nxt=" + nextHeader,
                "ipv6.tclass=" + String.format("0x%08x", trafficClass),
                "ipv6.hlim=" + hopLimit);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    /** The whole row tshark must print for {@code kind} over {@code underlay}: outer headers first, then the kind's. */
    private static Map<String, String> expected(Kind kind, Underlay underlay, TunnelConfig config) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> fields = new ArrayList<>();
        int protocol = kind.type().overUdp() ? 17 : 47;
        if (underlay.ipv6()) {
            fields.add("eth.type=0x86dd");
            fields.addAll(ipv6(underlay.local(), underlay.remote(), protocol, kind.outerTos(), kind.outerTtl()));
        } else {
            fields.add("eth.type=0x0800");
            fields.addAll(ipv4(underlay.local(), underlay.remote(), protocol, kind.outerTos(), kind.outerTtl()));
        }
        if (kind.type().overUdp()) {
            fields.add("udp.dstport=" + kind.type().defaultPort());
            // tshark's checksum status: 1 good, 3 not present (a zero UDP checksum).
            fields.add("udp.checksum.status=" + (config.checksum() ? "1" : "3"));
        }
        fields.addAll(kind.expected());
        for (String field : fields) {
            int equals = field.indexOf('=');
            values.computeIfAbsent(field.substring(0, equals), name -> new ArrayList<>())
                    .add(field.substring(equals + 1));
        }
        assertThat(COLUMNS).as("columns of " + kind.name()).containsAll(values.keySet());
        Map<String, String> row = new LinkedHashMap<>();
        for (String column : COLUMNS) {
            row.put(column, String.join(",", values.getOrDefault(column, List.of())));
        }
        return row;
    }

    /** A packet as sent, with what it was made from. */
    private record Sent(Kind kind, Underlay underlay, TunnelConfig config, byte[] frame) {
        String what() {
            return kind.name() + " over " + underlay.local();
        }
    }

    private static List<Sent> encapsulateAll() {
        List<Sent> sent = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (Kind kind : kinds()) {
                for (Underlay underlay : UNDERLAYS) {
                    Map<String, String> options = new HashMap<>(kind.options());
                    options.put("local_ip", underlay.local());
                    options.put("remote_ip", underlay.remote());
                    TunnelConfig config = TunnelConfig.fromOptions(kind.type(), options);
                    HeaderTemplate template =
                            new HeaderTemplate(config, config.localIp(), config.remoteIp(), HOST_MAC, PEER_MAC);
                    Encapsulator encapsulator = new Encapsulator(template, new AtomicInteger(FIRST_SEQUENCE));
                    PacketBuffer packet = PacketBuffer.of(arena, kind.inner());
                    assertThat(encapsulator.encapsulate(packet, 0))
                            .as(kind.name())
                            .isNull();
                    sent.add(new Sent(kind, underlay, config, packet.toByteArray()));
                }
            }
        }
        return sent;
    }

    private static Path capture(Path dir, String name, List<byte[]> frames) throws IOException {
        Path file = dir.resolve(name);
        try (PcapWriter writer = PcapWriter.create(file)) {
            long second = 1_000_000_000L;
            for (int i = 0; i < frames.size(); i++) {
                writer.write((i + 1) * second, frames.get(i));
            }
        }
        return file;
    }

    @Test
    void tsharkReadsEveryEncapsulationAsConfigured(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("tshark"), "tshark is not on the PATH: encapsulation cross-check skipped");
        List<Sent> sent = encapsulateAll();
        Path file =
                capture(dir, "encapsulated.pcap", sent.stream().map(Sent::frame).toList());

        List<Map<String, String>> rows = tsharkFields(file);
        assertThat(rows).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            Sent packet = sent.get(i);
            Map<String, String> row = rows.get(i);
            String what = packet.what() + ": " + HexFormat.of().formatHex(packet.frame());
            assertThat(row.get("frame.number")).isEqualTo(Integer.toString(i + 1));
            Map<String, String> actual = new LinkedHashMap<>();
            COLUMNS.forEach(column -> actual.put(column, row.get(column)));
            assertThat(actual).as(what).isEqualTo(expected(packet.kind(), packet.underlay(), packet.config()));
            for (String severity : split(row.get("_ws.expert.severity"))) {
                assertThat(Long.parseLong(severity))
                        .as("%s: expert info %s", what, row.get("_ws.expert.message"))
                        .isLessThan(WARNING);
            }
        }
        assertThat(tshark(file, "-Y", PROBLEMS, "-T", "fields", "-e", "frame.number"))
                .as("packets tshark finds malformed or worth a warning")
                .isEmpty();
    }

    @Test
    void decapsulationAgreesWithTshark(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("tshark"), "tshark is not on the PATH: decapsulation cross-check skipped");
        List<Sent> sent = encapsulateAll();
        List<Map<String, String>> rows = tsharkFields(
                capture(dir, "encapsulated.pcap", sent.stream().map(Sent::frame).toList()));
        assertThat(rows).hasSize(sent.size());
        Decapsulator decapsulator = new Decapsulator();
        TunnelMetadata metadata = new TunnelMetadata();
        for (int i = 0; i < sent.size(); i++) {
            Sent packet = sent.get(i);
            Map<String, String> row = rows.get(i);
            String what = packet.what();
            byte[] frame = packet.frame().clone();
            MemorySegment segment = MemorySegment.ofArray(frame);
            assertThat(decapsulator.decapsulate(segment, 0, frame.length, metadata))
                    .as(what)
                    .isNull();
            byte[] inner = segment.asSlice(metadata.innerOffset(), metadata.innerLength())
                    .toArray(ValueLayout.JAVA_BYTE);
            assertThat(inner)
                    .as("inner packet of " + what)
                    .isEqualTo(packet.kind().inner());
            assertThat(metadata.type()).as(what).isEqualTo(packet.kind().type());

            // The outer addresses: the first occurrence is the outer header's.
            boolean ipv6 = packet.underlay().ipv6();
            assertThat(metadata.ipVersion()).as(what).isEqualTo(ipv6 ? 6 : 4);
            assertThat(metadata.sourceText()).as(what).isEqualTo(first(row, ipv6 ? "ipv6.src" : "ip.src"));
            assertThat(metadata.destinationText()).as(what).isEqualTo(first(row, ipv6 ? "ipv6.dst" : "ip.dst"));

            assertThat(metadata.tos())
                    .as("outer ToS or traffic class of " + what)
                    .isEqualTo(Integer.decode(first(row, ipv6 ? "ipv6.tclass" : "ip.dsfield")));
            assertThat(metadata.ttl())
                    .as("outer TTL or hop limit of " + what)
                    .isEqualTo(Integer.parseInt(first(row, ipv6 ? "ipv6.hlim" : "ip.ttl")));
            assertThat(metadata.has(TunnelMetadata.FLAG_DONT_FRAGMENT))
                    .as(what)
                    .isEqualTo(!ipv6 && first(row, "ip.flags.df").equals("1")); // IPv6 has no DF

            // The key: tshark prints a VNI in decimal and a GRE key in hex; no key at all means tun_id 0.
            String vni = row.get("vxlan.vni");
            String greKey = row.get("gre.key");
            long key = !vni.isEmpty() ? Long.parseLong(vni) : !greKey.isEmpty() ? Long.decode(greKey) : 0;
            assertThat(metadata.key()).as(what).isEqualTo(key);
            assertThat(metadata.has(TunnelMetadata.FLAG_KEY)).as(what).isEqualTo(!vni.isEmpty() || !greKey.isEmpty());
            String sequence = row.get("gre.sequence_number");
            assertThat(metadata.has(TunnelMetadata.FLAG_SEQUENCE)).as(what).isEqualTo(!sequence.isEmpty());
            if (!sequence.isEmpty()) {
                assertThat(Integer.toUnsignedString(metadata.sequence()))
                        .as(what)
                        .isEqualTo(sequence);
            }
            String greProtocol = first(row, "gre.proto");
            int innerProtocol = greProtocol.isEmpty() ? 0x6558 : Integer.decode(greProtocol);
            assertThat(metadata.innerProtocol()).as(what).isEqualTo(innerProtocol);

            // Ports, and whether a checksum was there and good: by tshark's reading of the outer UDP or GRE header.
            boolean checksummed;
            if (packet.kind().type().overUdp()) {
                assertThat(metadata.sourcePort()).as(what).isEqualTo(Integer.parseInt(first(row, "udp.srcport")));
                assertThat(metadata.sourcePort()).as(what).isBetween(49152, 65535);
                assertThat(metadata.destinationPort()).as(what).isEqualTo(Integer.parseInt(first(row, "udp.dstport")));
                checksummed = first(row, "udp.checksum.status").equals("1");
            } else {
                assertThat(metadata.sourcePort()).as(what).isZero();
                assertThat(metadata.destinationPort()).as(what).isZero();
                checksummed = first(row, "gre.checksum.status").equals("1");
            }
            assertThat(metadata.has(TunnelMetadata.FLAG_CHECKSUM)).as(what).isEqualTo(checksummed);
        }
    }

    /**
     * The negative control: packets our encapsulator would never send, broken on purpose, must be caught by the same
     * fields and filter, so that a tshark which stopped reporting problems could not let the test above pass.
     */
    @Test
    void theProblemFilterCatchesBrokenPackets(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("tshark"), "tshark is not on the PATH: negative control skipped");
        List<Sent> sent = encapsulateAll();
        byte[] greChecksum = sentAs(sent, "gre csum key seq", false).clone();
        greChecksum[greChecksum.length - 1] ^= 1; // a payload bit under the GRE checksum
        byte[] udpLength = sentAs(sent, "vxlan", false).clone();
        Bytes.u16(MemorySegment.ofArray(udpLength), 14 + 20 + 4, 500); // UDP length past the IP payload
        byte[] ipv4Checksum = sentAs(sent, "gre key", false).clone();
        ipv4Checksum[14 + 10] ^= 1;
        byte[] vxlanCut = Arrays.copyOf(sentAs(sent, "vxlan csum", false), 14 + 20 + 8 + 8 + 10);

        Path file = capture(dir, "broken.pcap", List.of(greChecksum, udpLength, ipv4Checksum, vxlanCut));
        List<Map<String, String>> rows = tsharkFields(file);
        assertThat(rows.get(0).get("gre.checksum.status"))
                .as("bad GRE checksum")
                .isEqualTo("0");
        assertThat(rows.get(2).get("ip.checksum.status"))
                .as("bad outer IPv4 checksum, good inner one")
                .isEqualTo("0,1");
        assertThat(rows.get(1).get("_ws.malformed") + rows.get(3).get("_ws.malformed"))
                .as("malformed packets")
                .contains("_ws.malformed");
        assertThat(tshark(file, "-Y", PROBLEMS, "-T", "fields", "-e", "frame.number"))
                .containsExactly("1", "2", "3", "4");
    }

    private static byte[] sentAs(List<Sent> sent, String kind, boolean ipv6) {
        return sent.stream()
                .filter(s -> s.kind().name().equals(kind) && s.underlay().ipv6() == ipv6)
                .findFirst()
                .orElseThrow()
                .frame();
    }

    private static String first(Map<String, String> row, String column) {
        String value = row.get(column);
        int comma = value.indexOf(',');
        return comma < 0 ? value : value.substring(0, comma);
    }

    private static List<String> split(String value) {
        return value.isEmpty() ? List.of() : List.of(value.split(","));
    }

    /** Every column of {@link #COLUMNS} and {@link #EXTRA_COLUMNS}, one map per packet. */
    private static List<Map<String, String>> tsharkFields(Path file) throws IOException, InterruptedException {
        List<String> columns = concat(EXTRA_COLUMNS, COLUMNS);
        List<String> arguments = new ArrayList<>(List.of("-T", "fields", "-E", "separator=/t"));
        for (String column : columns) {
            arguments.add("-e");
            arguments.add(column);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : tshark(file, arguments.toArray(String[]::new))) {
            String[] values = line.split("\t", -1);
            assertThat(values).as(line).hasSize(columns.size());
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                row.put(columns.get(i), values[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** Runs tshark on {@code file} with the checksum preferences above and {@code arguments}; the lines it prints. */
    private static List<String> tshark(Path file, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "tshark",
                "-n",
                "-r",
                file.toString(),
                "-o",
                "ip.check_checksum:TRUE",
                "-o",
                "udp.check_checksum:TRUE",
                "-o",
                "tcp.check_checksum:TRUE",
                "-o",
                "udp.ignore_ipv6_zero_checksum:TRUE"));
        command.addAll(List.of(arguments));
        Path errors = Files.createTempFile(file.getParent(), "tshark", ".err");
        Process process =
                new ProcessBuilder(command).redirectError(errors.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        assertThat(process.exitValue())
                .as("tshark exit status; it said: %s", Files.readString(errors))
                .isZero();
        return out.lines().toList();
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
