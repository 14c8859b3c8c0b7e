package io.jvswitch.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.app.control.ControlClient;
import java.util.List;
import java.util.Set;
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
            "Ask the running switch as ovs-appctl: traces, MACs, drops, megaflows.",
            "",
            "Commands: ofproto/trace BRIDGE FLOW, fdb/show BRIDGE, tnl/ports/show, dpif/show-drops, dpctl/show,"
                    + " dpctl/dump-flows, dpif/dump-flows BRIDGE. fdb/show, tnl/ports/show and dpif/show-drops"
                    + " answer in JSON with --format json; the others in text only. ofproto/trace changes nothing, as Open vSwitch's trace of"
                    + " a flow: it shows the flow a learn action would add, and neither it nor NORMAL learns."
        },
        mixinStandardHelpOptions = true)
public final class AppctlCommand implements Callable<Integer> {
    /** The commands that answer in Open vSwitch's text only. */
    private static final Set<String> TEXT_ONLY =
            Set.of("ofproto/trace", "dpctl/show", "dpctl/dump-flows", "dpif/dump-flows");

    @Spec
    CommandSpec spec;

    @Mixin
    ControlOptions.ReadOptions control;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> words;

    @Override
    public Integer call() {
        if (control.format() == ControlOptions.Format.json && TEXT_ONLY.contains(words.getFirst())) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--format json: " + words.getFirst() + " answers in text only, as Open vSwitch's does");
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
