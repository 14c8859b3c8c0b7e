package io.jvswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.app.control.ControlClient;
import io.jvswitch.app.control.ControlProtocol;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every client command shares: which daemon to ask, and how to print what it answers. */
public final class ControlOptions {
    @Option(
            names = "--control",
            paramLabel = "SOCKET",
            description = "The daemon's control socket (default: $JVS_CONTROL, else /run/jvswitch/jvs.ctl).")
    Path control;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (as Open vSwitch prints it) or json, for commands that read.")
    Format format;

    /** How read commands answer. */
    enum Format {
        text,
        json
    }

    /** The socket to use. */
    public Path socket() {
        return ControlProtocol.socket(control, System.getenv());
    }

    /** Sends {@code request} (with the format) and returns the reply. */
    JsonNode call(ObjectNode request) throws ControlClient.ControlException {
        request.put("format", format.name());
        return ControlClient.call(socket(), request);
    }
}
