package io.jvswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.app.control.ControlClient;
import io.jvswitch.app.control.ControlProtocol;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The option every client command shares: which daemon to ask. Commands whose answer can be JSON use {@link
 * ReadOptions}, which adds {@code --format}; the others answer in text.
 */
public class ControlOptions {
    @Option(
            names = "--control",
            paramLabel = "SOCKET",
            description = "The daemon's control socket (default: $JVS_CONTROL, else /run/jvswitch/jvs.ctl).")
    Path control;

    /** How read commands answer. */
    public enum Format {
        text,
        json
    }

    /** The socket to use. */
    public Path socket() {
        return ControlProtocol.socket(control, System.getenv());
    }

    /** How the daemon is asked to answer: text, unless the command has {@code --format} and it says json. */
    public Format format() {
        return Format.text;
    }

    /** Sends {@code request} (with the format) and returns the reply. */
    JsonNode call(ObjectNode request) throws ControlClient.ControlException {
        request.put("format", format().name());
        return ControlClient.call(socket(), request);
    }

    /** {@link ControlOptions} with {@code --format}, for the commands that can answer in JSON. */
    public static final class ReadOptions extends ControlOptions {
        @Option(
                names = "--format",
                paramLabel = "FORMAT",
                defaultValue = "text",
                description = "text (as Open vSwitch prints it) or json.")
        Format format;

        @Override
        public Format format() {
            return format;
        }
    }
}
