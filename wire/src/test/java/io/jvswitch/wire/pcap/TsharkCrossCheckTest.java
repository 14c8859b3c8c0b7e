package io.jvswitch.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.l4.Tcp;
import io.jvswitch.wire.l4.Udp;
import io.jvswitch.wire.overlay.Gre;
import io.jvswitch.wire.overlay.GreEnhanced;
import io.jvswitch.wire.overlay.Vxlan;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames built by the encoders, with checksums the codecs computed, written by {@link PcapWriter} and read back by an
 * independent dissector: tshark, when it is on the PATH (the test is skipped otherwise). The Ethernet and IPv4/IPv6
 * headers are fixed bytes with correct header checksums; everything from L4 up is ours.
 */
class TsharkCrossCheckTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final String HOST1 = "525400000164";
    private static final String HOST2 = "525400000165";
    private static final String HOST3 = "525400000166";
    private static final String VM1 = "fa163e000001";
    private static final String VM2 = "fa163e000002";
    private static final String ARP =
            "ffffffffffff" + VM1 + "0806" + "0001080006040001" + VM1 + "0a000001" + "000000000000" + "0a000002";
    private static final String IPV6 =
            "60000000003a1140" + "20010db8000000000000000000000100" + "20010db8000000000000000000000101";

    @Test
    void tsharkAgreesWithTheEncoders(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("tshark"), "tshark is not on the PATH: cross-check skipped");
        int host1 = 0xc0a80164;
        int host2 = 0xc0a80165;
        Path file = dir.resolve("cross-check.pcap");
        try (PcapWriter writer = PcapWriter.create(file)) {
            // 1: VXLAN, VNI 5000, over IPv4.
            MemorySegment f = frame(HOST2 + HOST1 + "0800" + "4500004e123440004011a451c0a80164c0a80165", 58, ARP);
            new Udp().wrap(f, 34).write(54321, Vxlan.PORT, 58, 0);
            new Vxlan().wrap(f, 42).write(5000);
            new Udp().wrap(f, 34).updateChecksum(Checksum.ipv4PseudoHeader(host1, host2, 17, 58), 58);
            writer.write(1_000_000_000L, f, 0, (int) f.byteSize());

            // 2: the tutorial's GRE, key 0x1388, to 192.168.1.102.
            f = frame(HOST3 + HOST1 + "0800" + "4500004612354000402fa439c0a80164c0a80166", 50, ARP);
            new Gre().wrap(f, 34).write(false, true, false, Gre.PROTOCOL_TEB, 0x1388, 0);
            writer.write(2_000_000_000L, f, 0, (int) f.byteSize());

            // 3: GRE with checksum, key and sequence number.
            f = frame(HOST2 + HOST1 + "0800" + "4500004e12364000402fa431c0a80164c0a80165", 58, ARP);
            new Gre()
                    .wrap(f, 34)
                    .write(true, true, true, Gre.PROTOCOL_TEB, 0x1388, 1)
                    .updateChecksum(58);
            writer.write(3_000_000_000L, f, 0, (int) f.byteSize());

            // 4: VM1's SYN to VM2's ssh, with options.
            f = frame(
                    VM2 + VM1 + "0800" + "4500003c04d24000400621e80a0000010a000002",
                    40,
                    "020405b40402080a0001e2400000000001030307");
            new Tcp()
                    .wrap(f, 34)
                    .write(43210, 22, 0x0a1b2c3d, 0, 40, Tcp.SYN, 64240, 0, 0)
                    .updateChecksum(Checksum.ipv4PseudoHeader(0x0a000001, 0x0a000002, 6, 40), 40);
            writer.write(4_000_000_000L, f, 0, (int) f.byteSize());

            // 5: PSH|ACK carrying "hello" (odd length).
            f = frame(VM2 + VM1 + "0800" + "4500002d04d34000400621f60a0000010a000002", 25, "68656c6c6f");
            new Tcp()
                    .wrap(f, 34)
                    .write(43210, 22, 0x0a1b2c3e, 0x5e6f7081, 20, Tcp.PSH | Tcp.ACK, 502, 0, 0)
                    .updateChecksum(Checksum.ipv4PseudoHeader(0x0a000001, 0x0a000002, 6, 25), 25);
            writer.write(5_000_000_000L, f, 0, (int) f.byteSize());

            // 6: PPTP's enhanced GRE with an LCP Echo-Request.
            f = frame(
                    HOST2 + HOST1 + "0800" + "4500003012374000402fa44ec0a80164c0a80165",
                    28,
                    "ff03c0210901000800000000");
            new GreEnhanced().wrap(f, 34).write(true, true, 12, 0x4000, 1, 0);
            writer.write(6_000_000_000L, f, 0, (int) f.byteSize());

            // 7: GRE-in-UDP.
            f = frame(HOST2 + HOST1 + "0800" + "4500004e123840004011a44dc0a80164c0a80165", 58, ARP);
            new Udp().wrap(f, 34).write(50000, 4754, 58, 0);
            new Gre().wrap(f, 42).write(false, true, false, Gre.PROTOCOL_TEB, 0x1388, 0);
            new Udp().wrap(f, 34).updateChecksum(Checksum.ipv4PseudoHeader(host1, host2, 17, 58), 58);
            writer.write(7_000_000_000L, f, 0, (int) f.byteSize());

            // 8: VXLAN over IPv6.
            f = frame(HOST2 + HOST1 + "86dd" + IPV6, 58, ARP);
            new Udp().wrap(f, 54).write(54321, Vxlan.PORT, 58, 0);
            new Vxlan().wrap(f, 62).write(5000);
            new Udp().wrap(f, 54).updateChecksum(Checksum.ipv6PseudoHeader(f, 22, 38, 17, 58), 58);
            writer.write(8_000_000_000L, f, 0, (int) f.byteSize());

            // 9: a datagram whose checksum computes to zero, sent as 0xffff.
            f = frame(VM2 + VM1 + "0800" + "4500002604d44000401121f10a0000010a000002", 18, "6a767377697463689133");
            new Udp()
                    .wrap(f, 34)
                    .write(40000, 5001, 18, 0)
                    .updateChecksum(Checksum.ipv4PseudoHeader(0x0a000001, 0x0a000002, 17, 18), 18);
            writer.write(9_000_000_000L, f, 0, (int) f.byteSize());
        }

        List<String> lines = tshark(
                file,
                "frame.time_epoch",
                "udp.checksum",
                "udp.checksum.status",
                "tcp.checksum.status",
                "tcp.flags",
                "tcp.hdr_len",
                "gre.checksum.status",
                "gre.key",
                "gre.sequence_number",
                "gre.key.payload_length",
                "gre.key.call_id",
                "gre.ack_number",
                "vxlan.vni",
                "arp.dst.proto_ipv4");
        // Status 1 is tshark's "Good"; an empty column is a field the frame does not have.
        assertThat(lines)
                .containsExactly(
                        row("1.000000000", "0x6a26", "1", "", "", "", "", "", "", "", "", "", "5000", "10.0.0.2"),
                        row("2.000000000", "", "", "", "", "", "", "0x00001388", "", "", "", "", "", "10.0.0.2"),
                        row("3.000000000", "", "", "", "", "", "1", "0x00001388", "1", "", "", "", "", "10.0.0.2"),
                        row("4.000000000", "", "", "1", "0x0002", "40", "", "", "", "", "", "", "", ""),
                        row("5.000000000", "", "", "1", "0x0018", "20", "", "", "", "", "", "", "", ""),
                        row("6.000000000", "", "", "", "", "", "", "", "1", "12", "16384", "0", "", ""),
                        row("7.000000000", "0x725d", "1", "", "", "", "", "0x00001388", "", "", "", "", "", "10.0.0.2"),
                        row("8.000000000", "0x90cd", "1", "", "", "", "", "", "", "", "", "", "5000", "10.0.0.2"),
                        row("9.000000000", "0xffff", "1", "", "", "", "", "", "", "", "", "", "", ""));
    }

    private static String row(String... columns) {
        return String.join("|", columns);
    }

    private static MemorySegment frame(String outerHex, int l4Length, String tailHex) {
        byte[] outer = HEX.parseHex(outerHex);
        byte[] tail = HEX.parseHex(tailHex);
        byte[] frame = new byte[outer.length + l4Length];
        System.arraycopy(outer, 0, frame, 0, outer.length);
        System.arraycopy(tail, 0, frame, frame.length - tail.length, tail.length);
        return MemorySegment.ofArray(frame);
    }

    private static List<String> tshark(Path file, String... fields) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "tshark",
                "-r",
                file.toString(),
                "-o",
                "udp.check_checksum:TRUE",
                "-o",
                "tcp.check_checksum:TRUE",
                "-T",
                "fields",
                "-E",
                "separator=|"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("tshark exit status").isZero();
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
