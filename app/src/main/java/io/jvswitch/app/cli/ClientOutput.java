package io.jvswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvswitch.app.control.ControlClient;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** How client commands end: the daemon's output printed as it is, or its refusal on one line after the command. */
final class ClientOutput {
    /** The exit status of a refused request, or of a daemon that cannot be reached (ovs-vsctl's). */
    static final int FAILED = 1;

    private ClientOutput() {}

    static int print(CommandSpec spec, JsonNode reply) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(reply.path("output").asText(""));
        out.flush();
        return 0;
    }

    static int refused(CommandSpec spec, ControlClient.ControlException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + e.getMessage());
        err.flush();
        return FAILED;
    }
}
