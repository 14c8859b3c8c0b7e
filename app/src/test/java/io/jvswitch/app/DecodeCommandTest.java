package io.jvswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jvs decode}: files written here byte by byte (little-endian classic pcap, as tcpdump on x86 writes it), so
 * that what is read does not depend on jvswitch's own writer.
 */
class DecodeCommandTest {
    /** 2023-11-14 22:13:20.123456 UTC. */
    private static final long SECONDS = 1_700_000_000L;

    private static final int MICROS = 123_456;
    private static final String TIME = "2023-11-14 22:13:20.123456";

    private static final String GRE_IPV4_KEY = EncapCommandTest.GRE_IPV4_KEY;
    private static final String ARP_REQUEST = EncapCommandTest.ARP_REQUEST;

    /** Router A to router B, GRE protocol 0x0800 around 192.168.1.1's ping: a bare IP packet. */
    private static final String ROUTER_GRE_IP = "4500006c00004000402f345e0101010102020202" + "00000800"
            + "45000054000040004001b656c0a80101c0a80201" + "080000eb00010001"
            + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
            + "202122232425262728292a2b2c2d2e2f3031323334353637";

    @TempDir
    Path directory;

    /** One record: its bytes, and the length it had on the wire. */
    private record Frame(String hex, int originalLength) {
        Frame(String hex) {
            this(hex, hex.length() / 2);
        }
    }

    private Path pcap(String name, int linkType, Frame... frames) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0);
        buffer.putInt(262144).putInt(linkType);
        int second = 0;
        for (Frame frame : frames) {
            byte[] data = HexFormat.of().parseHex(frame.hex());
            buffer.putInt((int) SECONDS + second++).putInt(MICROS).putInt(data.length);
            buffer.putInt(frame.originalLength()).put(data);
        }
        Path file = directory.resolve(name);
        Files.write(file, Arrays.copyOf(buffer.array(), buffer.position()));
        return file;
    }

    private static final List<String> GRE_ARP_LINES = EncapCommandTest.GRE_ARP_AFTER;

    @Test
    void decodesEachPacket() throws IOException {
        Path file = pcap("two.pcap", 1, new Frame(GRE_IPV4_KEY), new Frame(ARP_REQUEST));
        Cli.Result result = Cli.run("decode", file.toString());
        assertThat(result.exitCode()).isZero();
        List<String> expected = new ArrayList<>();
        expected.add("packet 1: 84 bytes, " + TIME);
        expected.addAll(GRE_ARP_LINES);
        expected.add("");
        expected.add("packet 2: 42 bytes, 2023-11-14 22:13:21.123456");
        expected.add("  Ethernet  fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff, type ARP (0x0806)");
        expected.add("  ARP       request who-has 10.0.0.2 tell 10.0.0.1 (fa:16:3e:00:00:01)");
        expected.add("");
        expected.add("2 packets");
        assertThat(result.outLines()).isEqualTo(expected);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void onePacketIsSingular() throws IOException {
        Cli.Result result =
                Cli.run("decode", pcap("one.pcap", 1, new Frame(GRE_IPV4_KEY)).toString());
        assertThat(result.outLines().getLast()).isEqualTo("1 packet");
        assertThat(result.outLines().size()).isEqualTo(1 + GRE_ARP_LINES.size() + 2);
    }

    @Test
    void anEmptyCaptureHasNoPackets() throws IOException {
        Cli.Result result = Cli.run("decode", pcap("empty.pcap", 1).toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).isEqualTo(List.of("0 packets"));
    }

    @Test
    void hexDumpFollowsTheLayers() throws IOException {
        Cli.Result result = Cli.run(
                "decode", "-x", pcap("one.pcap", 1, new Frame(GRE_IPV4_KEY)).toString());
        assertThat(result.exitCode()).isZero();
        List<String> expected = new ArrayList<>();
        expected.add("packet 1: 84 bytes, " + TIME);
        expected.addAll(GRE_ARP_LINES);
        expected.addAll(List.of(
                "  0000: 0200 c0a8 0165 0200 c0a8 0164 0800 4500",
                "  0010: 0046 0000 4000 402f b66f c0a8 0164 c0a8",
                "  0020: 0165 2000 6558 0000 1388 ffff ffff ffff",
                "  0030: fa16 3e00 0001 0806 0001 0800 0604 0001",
                "  0040: fa16 3e00 0001 0a00 0001 0000 0000 0000",
                "  0050: 0a00 0002",
                "",
                "1 packet"));
        assertThat(result.outLines()).isEqualTo(expected);
        assertThat(Cli.run(
                                "decode",
                                "--hex",
                                pcap("again.pcap", 1, new Frame(GRE_IPV4_KEY)).toString())
                        .outLines())
                .isEqualTo(expected);
    }

    @Test
    void hexDumpOfAnOddLength() throws IOException {
        Cli.Result result = Cli.run(
                "decode",
                "-x",
                pcap("odd.pcap", 1, new Frame(ARP_REQUEST + "ab")).toString());
        assertThat(result.outLines())
                .isEqualTo(List.of(
                        "packet 1: 43 bytes, " + TIME,
                        "  Ethernet  fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff, type ARP (0x0806)",
                        "  ARP       request who-has 10.0.0.2 tell 10.0.0.1 (fa:16:3e:00:00:01)",
                        "  Padding   1 bytes",
                        "  0000: ffff ffff ffff fa16 3e00 0001 0806 0001",
                        "  0010: 0800 0604 0001 fa16 3e00 0001 0a00 0001",
                        "  0020: 0000 0000 0000 0a00 0002 ab",
                        "",
                        "1 packet"));
    }

    @Test
    void aPacketCutByTheSnaplenSaysSo() throws IOException {
        Path file = pcap("cut.pcap", 1, new Frame(GRE_IPV4_KEY.substring(0, 2 * 60), 84));
        Cli.Result result = Cli.run("decode", file.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .isEqualTo(List.of(
                        "packet 1: 60 bytes (of 84 on the wire), " + TIME,
                        "  Ethernet  02:00:c0:a8:01:64 > 02:00:c0:a8:01:65, type IPv4 (0x0800)",
                        "  MALFORMED ipv4_bad_total_length: IPv4 total length is shorter than the header or longer"
                                + " than the frame",
                        "",
                        "1 packet"));
    }

    @Test
    void rawIpLinkTypes() throws IOException {
        List<String> expected = List.of(
                "packet 1: 108 bytes, " + TIME,
                "  IPv4      1.1.1.1 > 2.2.2.2, proto GRE (47), ttl 64, tos 0x00 (DSCP 0, Not-ECT), id 0x0000, DF,"
                        + " length 108, checksum 0x345e [correct]",
                "  GRE       version 0, protocol 0x0800 (IPv4)",
                "    IPv4      192.168.1.1 > 192.168.2.1, proto ICMP (1), ttl 64, tos 0x00 (DSCP 0, Not-ECT),"
                        + " id 0x0000, DF, length 84, checksum 0xb656 [correct]",
                "    ICMP      echo request, id 1, seq 1, length 64, checksum 0x00eb [correct]",
                "",
                "1 packet");
        for (int linkType : new int[] {101, 228}) {
            Path file = pcap("raw" + linkType + ".pcap", linkType, new Frame(ROUTER_GRE_IP));
            Cli.Result result = Cli.run("decode", file.toString());
            assertThat(result.exitCode()).isZero();
            assertThat(result.outLines()).as("link type %d", linkType).isEqualTo(expected);
        }
    }

    @Test
    void bigEndianAndNanosecondFilesAreRead() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(24 + 16 + 42).order(ByteOrder.BIG_ENDIAN);
        buffer.putInt(0xa1b23c4d)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0);
        buffer.putInt(65535).putInt(1);
        buffer.putInt((int) SECONDS).putInt(123_456_789).putInt(42).putInt(42);
        buffer.put(HexFormat.of().parseHex(ARP_REQUEST));
        Path file = directory.resolve("big.pcap");
        Files.write(file, buffer.array());
        Cli.Result result = Cli.run("decode", file.toString());
        assertThat(result.exitCode()).isZero();
        // Printed to the microsecond.
        assertThat(result.outLines().getFirst()).isEqualTo("packet 1: 42 bytes, " + TIME);
    }

    // ---- Files that cannot be read: exit 1, the file's name and the problem ----

    private static void assertUnreadable(Cli.Result result, String message) {
        assertThat(result.errLines()).isEqualTo(List.of(message));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void fileNotFound() {
        Path file = directory.resolve("nothing.pcap");
        assertUnreadable(Cli.run("decode", file.toString()), "jvs decode: " + file + ": no such file or directory");
    }

    @Test
    void aDirectory() {
        assertUnreadable(
                Cli.run("decode", directory.toString()),
                "jvs decode: " + directory + ": is a directory, not a pcap file");
    }

    @Test
    void aTextFile() throws IOException {
        Path file = directory.resolve("notes.txt");
        Files.writeString(file, "hello, world\n", StandardCharsets.US_ASCII);
        assertUnreadable(
                Cli.run("decode", file.toString()), "jvs decode: " + file + ": not a pcap file (magic 0x68656c6c)");
    }

    @Test
    void anEmptyFile() throws IOException {
        Path file = directory.resolve("empty");
        Files.write(file, new byte[0]);
        assertUnreadable(
                Cli.run("decode", file.toString()), "jvs decode: " + file + ": not a pcap file (the file is empty)");
    }

    @Test
    void aPcapngFile() throws IOException {
        // A section header block: type 0x0a0d0d0a, length 28, byte-order magic 0x1a2b3c4d, version 1.0.
        Path file = directory.resolve("capture.pcapng");
        Files.write(file, HexFormat.of().parseHex("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000"));
        assertUnreadable(
                Cli.run("decode", file.toString()),
                "jvs decode: " + file + ": a pcapng file; jvs reads classic pcap (convert with: editcap -F pcap IN"
                        + " OUT)");
    }

    @Test
    void anIeee80211Capture() throws IOException {
        Path file = pcap("wifi.pcap", 105, new Frame(ARP_REQUEST));
        assertUnreadable(
                Cli.run("decode", file.toString()),
                "jvs decode: " + file + ": link type 105 is neither Ethernet (1) nor raw IP (101, 228, 229); jvs"
                        + " decodes those only");
    }

    @Test
    void aTruncatedRecordAfterAGoodOne() throws IOException {
        Path file = pcap("cut.pcap", 1, new Frame(ARP_REQUEST), new Frame(ARP_REQUEST));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 2));
        Cli.Result result = Cli.run("decode", file.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .isEqualTo(List.of("jvs decode: " + file
                        + ": record 2 at byte 82 is truncated (header says 42 bytes, file ends after 40)"));
        // The packet before the damage is printed.
        assertThat(result.outLines())
                .isEqualTo(List.of(
                        "packet 1: 42 bytes, " + TIME,
                        "  Ethernet  fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff, type ARP (0x0806)",
                        "  ARP       request who-has 10.0.0.2 tell 10.0.0.1 (fa:16:3e:00:00:01)",
                        ""));
    }

    @Test
    void missingFileArgument() {
        Cli.Result result = Cli.run("decode");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines())
                .isEqualTo(List.of(
                        "jvs decode: Missing required parameter: 'FILE'",
                        "Try 'jvs decode --help' for more information."));
    }
}
