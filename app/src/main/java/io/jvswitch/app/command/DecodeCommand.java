package io.jvswitch.app.command;

import io.jvswitch.wire.pcap.PcapFormatException;
import io.jvswitch.wire.pcap.PcapReader;
import io.jvswitch.wire.pcap.PcapRecord;
import io.jvswitch.wire.text.Dissector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jvs decode}: every packet of a pcap file, layer by layer, tunnels opened up. */
@Command(
        name = "decode",
        // The first line is the summary `jvs --help` lists: it must fit one line there.
        description = {
            "Print the packets of a pcap file layer by layer, tunnels opened.",
            "Outer Ethernet, IP, UDP, GRE or VXLAN fields, then the inner frame, indented. Checksums present are"
                    + " verified.",
            "Reads classic pcap with Ethernet (1) or raw IP (101, 228, 229) link types."
        },
        mixinStandardHelpOptions = true)
public final class DecodeCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A pcap file.")
    Path file;

    @Option(
            names = {"-x", "--hex"},
            description = "Also print each packet's bytes in hex.")
    boolean hex;

    @Override
    public Integer call() throws IOException {
        // A file that cannot be read is not a usage error: it exits 1 like any other unreadable file (see Jvs).
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a pcap file");
        }
        PrintWriter out = spec.commandLine().getOut();
        int count = 0;
        try (PcapReader reader = PcapReader.open(file)) {
            int linkType = reader.linkType();
            boolean rawIp = linkType == 101 || linkType == 228 || linkType == 229;
            if (linkType != 1 && !rawIp) {
                throw new PcapFormatException(file + ": link type " + linkType
                        + " is neither Ethernet (1) nor raw IP (101, 228, 229); jvs decodes those only");
            }
            for (PcapRecord record = reader.next(); record != null; record = reader.next()) {
                count++;
                byte[] data = record.data();
                out.printf(
                        "packet %d: %d bytes%s, %s%n",
                        count,
                        data.length,
                        record.originalLength() != data.length
                                ? " (of " + record.originalLength() + " on the wire)"
                                : "",
                        TIME.format(Instant.ofEpochSecond(0, record.timestampNanos())));
                List<String> lines = rawIp ? Dissector.describeIp(data) : Dissector.describe(data);
                for (String line : lines) {
                    out.println("  " + line);
                }
                if (hex) {
                    hexDump(out, data);
                }
                out.println();
            }
        }
        out.printf("%d packet%s%n", count, count == 1 ? "" : "s");
        out.flush();
        return 0;
    }

    private static void hexDump(PrintWriter out, byte[] data) {
        HexFormat format = HexFormat.of();
        for (int i = 0; i < data.length; i += 16) {
            StringBuilder line = new StringBuilder(String.format("  %04x: ", i));
            for (int j = i; j < Math.min(i + 16, data.length); j += 2) {
                line.append(format.toHexDigits(data[j]));
                if (j + 1 < data.length && j + 1 < i + 16) {
                    line.append(format.toHexDigits(data[j + 1]));
                }
                line.append(' ');
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
