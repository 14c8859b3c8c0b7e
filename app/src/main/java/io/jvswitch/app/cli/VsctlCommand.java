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

/** {@code jvs vsctl}: ovs-vsctl's commands, sent to the running daemon as one transaction. */
@Command(
        name = "vsctl",
        description = {
            "Configure bridges and ports of the running switch, as ovs-vsctl.",
            "",
            "Commands: show, add-br, del-br, add-port, del-port, set bridge|port|interface, get, list"
                    + " bridge|port|interface, list-br, list-ports, br-exists; --may-exist and --if-exists before a"
                    + " command. Commands joined by -- are one transaction: all apply, or none. show answers in JSON"
                    + " with --format json; the other commands print text. Example:",
            "  jvs vsctl add-port br-tun gre-1 -- set interface gre-1 type=gre \\",
            "      options:remote_ip=198.18.0.2 options:key=flow"
        },
        mixinStandardHelpOptions = true)
public final class VsctlCommand implements Callable<Integer> {
    /** The end-of-options marker picocli would eat otherwise: vsctl's {@code --} joins commands. */
    public static final String NO_END_OF_OPTIONS = "--jvs-no-end-of-options";

    @Spec
    CommandSpec spec;

    @Mixin
    ControlOptions.ReadOptions control;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "ovs-vsctl's command words.")
    List<String> words;

    @Override
    public Integer call() {
        if (control.format() == ControlOptions.Format.json
                && !words.stream().filter(word -> !word.equals("--")).toList().equals(List.of("show"))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--format json: only show answers in JSON (" + String.join(" ", words) + " prints text)");
        }
        ObjectNode request = ControlClient.request("vsctl");
        ArrayNode args = request.putArray("args");
        words.forEach(args::add);
        try {
            return ClientOutput.print(spec, control.call(request));
        } catch (ControlClient.ControlException e) {
            return ClientOutput.refused(spec, e);
        }
    }
}
