package io.jvswitch.app.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.app.daemon.DaemonException;
import io.jvswitch.app.daemon.PortCapture;
import io.jvswitch.app.daemon.SwitchDaemon;
import io.jvswitch.app.daemon.SwitchDaemon.Format;
import io.jvswitch.ofproto.table.FlowMod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Turns control requests ({@link ControlProtocol}) into calls on the {@link SwitchDaemon}, and checks their shape. */
public final class DaemonRequests implements ControlServer.Handler {
    private final SwitchDaemon daemon;

    public DaemonRequests(SwitchDaemon daemon) {
        this.daemon = daemon;
    }

    @Override
    public ObjectNode handle(JsonNode request) throws ControlServer.RequestException {
        String op = text(request, "op");
        try {
            return switch (op) {
                case "vsctl" -> output(daemon.vsctl(strings(request, "args"), format(request)));
                case "ofctl" -> ofctl(request);
                case "appctl" -> output(daemon.appctl(strings(request, "args"), format(request)));
                case "agent" -> {
                    JsonNode host = request.get("host");
                    if (host == null || !host.isObject()) {
                        throw new ControlServer.RequestException("agent: \"host\" must be an object (the host file)");
                    }
                    yield output(daemon.agent(host, optionalText(request, "source", "host")));
                }
                case "capture" -> capture(request);
                default ->
                    throw new ControlServer.RequestException(
                            "unknown op \"" + op + "\" (ops: vsctl, ofctl, appctl, agent, capture)");
            };
        } catch (DaemonException e) {
            throw new ControlServer.RequestException(e.getMessage());
        }
    }

    private ObjectNode ofctl(JsonNode request) throws ControlServer.RequestException, DaemonException {
        String command = text(request, "command");
        String bridge = text(request, "bridge");
        boolean strict = request.path("strict").asBoolean(false);
        String source = optionalText(request, "source", "flow");
        return switch (command) {
            case "add-flow", "add-flows" ->
                output(daemon.modifyFlows(bridge, FlowMod.Command.ADD, strings(request, "flows"), source));
            case "mod-flows" ->
                output(daemon.modifyFlows(
                        bridge,
                        strict ? FlowMod.Command.MODIFY_STRICT : FlowMod.Command.MODIFY,
                        strings(request, "flows"),
                        source));
            case "del-flows" ->
                output(daemon.modifyFlows(
                        bridge,
                        strict ? FlowMod.Command.DELETE_STRICT : FlowMod.Command.DELETE,
                        strings(request, "flows"),
                        source));
            case "replace-flows" -> output(daemon.replaceFlows(bridge, strings(request, "flows"), source));
            case "dump-flows" ->
                output(daemon.dumpFlows(bridge, optionalText(request, "match", null), format(request)));
            case "dump-ports" -> output(daemon.dumpPorts(bridge, format(request)));
            case "flow-lines" -> {
                ObjectNode reply = output("");
                ArrayNode lines = reply.putArray("lines");
                daemon.flowLines(bridge).forEach(lines::add);
                yield reply;
            }
            default ->
                throw new ControlServer.RequestException("unknown ofctl command \"" + command
                        + "\" (add-flow, add-flows, mod-flows, del-flows, replace-flows, dump-flows, dump-ports,"
                        + " flow-lines)");
        };
    }

    /**
     * {@code {"op":"capture","port":P,"count":N,"seconds":S}}: the port's next N frames, waiting at most S seconds;
     * the reply holds {@code "frames"}, each with its {@code time} (nanoseconds since the epoch), {@code direction}
     * ({@code in} or {@code out}) and bytes in {@code hex}.
     */
    private ObjectNode capture(JsonNode request) throws ControlServer.RequestException, DaemonException {
        String port = text(request, "port");
        int count = number(request, "count");
        int seconds = number(request, "seconds");
        List<PortCapture.Frame> frames;
        try {
            frames = daemon.capture(port, count, Duration.ofSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlServer.RequestException("capture: interrupted");
        }
        ObjectNode reply = ControlProtocol.JSON.createObjectNode();
        ArrayNode list = reply.putArray("frames");
        HexFormat hex = HexFormat.of();
        for (PortCapture.Frame frame : frames) {
            list.addObject()
                    .put("time", frame.timeNanos())
                    .put("direction", frame.received() ? "in" : "out")
                    .put("hex", hex.formatHex(frame.bytes()));
        }
        return reply;
    }

    private static int number(JsonNode request, String field) throws ControlServer.RequestException {
        JsonNode value = request.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new ControlServer.RequestException("request needs \"" + field + "\" as a whole number");
        }
        return value.asInt();
    }

    private static ObjectNode output(String text) {
        return ControlProtocol.JSON.createObjectNode().put("output", text);
    }

    private static String text(JsonNode request, String field) throws ControlServer.RequestException {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual()) {
            throw new ControlServer.RequestException("request needs \"" + field + "\" as a string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode request, String field, String fallback)
            throws ControlServer.RequestException {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new ControlServer.RequestException("\"" + field + "\" must be a string");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode request, String field) throws ControlServer.RequestException {
        JsonNode value = request.get(field);
        if (value == null || !value.isArray()) {
            throw new ControlServer.RequestException("request needs \"" + field + "\" as an array of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode each : value) {
            if (!each.isTextual()) {
                throw new ControlServer.RequestException("\"" + field + "\" must hold only strings");
            }
            list.add(each.asText());
        }
        return list;
    }

    private static Format format(JsonNode request) throws ControlServer.RequestException {
        String format = optionalText(request, "format", "text");
        return switch (format) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default ->
                throw new ControlServer.RequestException("format \"" + format + "\" is not known (text or json)");
        };
    }
}
