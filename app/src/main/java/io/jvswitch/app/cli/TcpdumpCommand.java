package io.jvswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.app.control.ControlClient;
import io.jvswitch.app.demo.FrameSummary;
import io.jvswitch.wire.pcap.PcapWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jvs tcpdump}: a port's frames as the bridge sees them, as {@code ovs-tcpdump} shows them through a mirror. The
 * daemon copies the next frames the port receives or sends; this prints one line each, or writes them to a pcap file.
 */
@Command(
        name = "tcpdump",
        description = {
            "Capture a port's frames in the running switch, as ovs-tcpdump does.",
            "",
            "What the bridge receives from the port and sends to it: a tunnel port's frames before encapsulation and"
                    + " after decapsulation (for the underlay's packets, run tcpdump on the underlay interface)."
                    + " Ends after -c frames or --seconds, whichever comes first."
        },
        mixinStandardHelpOptions = true)
public final class TcpdumpCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Mixin
    ControlOptions control;

    @Option(names = "-i", paramLabel = "PORT", required = true, description = "The port (interface) to capture.")
    String port;

    @Option(
            names = "-c",
            paramLabel = "COUNT",
            defaultValue = "10",
            description = "Stop after COUNT frames, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--seconds",
            paramLabel = "S",
            defaultValue = "10",
            description = "Stop after S seconds, 1 to 3600, if fewer frames came (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "-w",
            paramLabel = "FILE",
            description = "Write the frames to a pcap file (Ethernet) instead of printing them.")
    Path file;

    @Override
    public Integer call() {
        ObjectNode request = ControlClient.request("capture");
        request.put("port", port).put("count", count).put("seconds", seconds);
        JsonNode reply;
        try {
            reply = control.call(request);
        } catch (ControlClient.ControlException e) {
            return ClientOutput.refused(spec, e);
        }
        JsonNode frames = reply.path("frames");
        PrintWriter out = spec.commandLine().getOut();
        HexFormat hex = HexFormat.of();
        try (PcapWriter pcap = file == null ? null : PcapWriter.create(file)) {
            FrameSummary summary = new FrameSummary();
            for (JsonNode frame : frames) {
                byte[] bytes = hex.parseHex(frame.path("hex").asText());
                long nanos = frame.path("time").asLong();
                if (pcap != null) {
                    pcap.write(nanos, bytes);
                } else {
                    String direction = frame.path("direction").asText().equals("in") ? "In " : "Out";
                    out.println(TIME.format(Instant.ofEpochSecond(0, nanos)) + " " + direction + " "
                            + summary.inner(bytes) + ", length " + bytes.length);
                }
            }
        } catch (IOException e) {
            spec.commandLine()
                    .getErr()
                    .println(spec.qualifiedName() + ": cannot write " + file + ": " + e.getMessage());
            return ClientOutput.FAILED;
        }
        out.println(frames.size() + (frames.size() == 1 ? " packet" : " packets") + " captured on " + port
                + (file != null ? ", written to " + file : ""));
        out.flush();
        return 0;
    }
}
