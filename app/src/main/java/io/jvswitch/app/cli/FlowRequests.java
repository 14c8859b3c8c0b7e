package io.jvswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.app.control.ControlClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The ofctl requests the daemon answers, built and sent for the ofctl subcommands. */
public final class FlowRequests {
    private FlowRequests() {}

    /** Sends an ofctl {@code command} on {@code bridge} with these flows (null for none), prints the answer. */
    public static int send(
            CommandSpec spec,
            ControlOptions control,
            String command,
            String bridge,
            List<String> flows,
            String source,
            boolean strict) {
        ObjectNode request = ControlClient.request("ofctl")
                .put("command", command)
                .put("bridge", bridge)
                .put("strict", strict);
        if (source != null) {
            request.put("source", source);
        }
        if (flows != null) {
            ArrayNode array = request.putArray("flows");
            flows.forEach(array::add);
        }
        try {
            return ClientOutput.print(spec, control.call(request));
        } catch (ControlClient.ControlException e) {
            return ClientOutput.refused(spec, e);
        }
    }

    /** dump-flows, of every flow or those within {@code match}. */
    public static int dump(CommandSpec spec, ControlOptions control, String bridge, String match) {
        ObjectNode request =
                ControlClient.request("ofctl").put("command", "dump-flows").put("bridge", bridge);
        if (match != null) {
            request.put("match", match);
        }
        try {
            return ClientOutput.print(spec, control.call(request));
        } catch (ControlClient.ControlException e) {
            return ClientOutput.refused(spec, e);
        }
    }

    /** A bridge's flows as add-flow lines, for diff-flows. */
    public static List<String> lines(ControlOptions control, String bridge) throws ControlClient.ControlException {
        JsonNode reply = control.call(
                ControlClient.request("ofctl").put("command", "flow-lines").put("bridge", bridge));
        List<String> lines = new ArrayList<>();
        reply.path("lines").forEach(line -> lines.add(line.asText()));
        return lines;
    }
}
