package io.jvswitch.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.app.control.ControlClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jvs appctl}: ovs-appctl's commands for the running daemon. */
@Command(
        name = "appctl",
        description = {
            "Ask the running switch, as ovs-appctl: traces, MAC tables, drops.",
            "",
            "Commands: ofproto/trace BRIDGE FLOW, fdb/show BRIDGE, tnl/ports/show, dpif/show-drops. All but"
                    + " ofproto/trace answer in JSON with --format json. ofproto/trace changes nothing, as Open"
                    + " vSwitch's trace of a flow: it shows the flow a learn action would add, and neither it nor"
                    + " NORMAL learns."
        },
        mixinStandardHelpOptions = true)
public final class AppctlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ControlOptions.ReadOptions control;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> words;

    @Override
    public Integer call() {
        if (control.format() == ControlOptions.Format.json && words.getFirst().equals("ofproto/trace")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--format json: ofproto/trace answers in text only, as Open vSwitch's does");
        }
        ObjectNode request = ControlClient.request("appctl");
        ArrayNode args = request.putArray("args");
        words.forEach(args::add);
        try {
            return ClientOutput.print(spec, control.call(request));
        } catch (ControlClient.ControlException e) {
            return ClientOutput.refused(spec, e);
        }
    }
}
