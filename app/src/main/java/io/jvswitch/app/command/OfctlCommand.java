package io.jvswitch.app.command;

import io.jvswitch.app.cli.ControlOptions;
import io.jvswitch.app.cli.FlowRequests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jvs ofctl}: ovs-ofctl's commands, one subcommand each. diff-flows works on files alone; the others ask the
 * running daemon.
 */
@Command(
        name = "ofctl",
        // The first line is the summary `jvs --help` lists: it must fit one line there.
        description = {
            "Flow tables of the running switch or of files, as ovs-ofctl.",
            "Commands named and behaving as ovs-ofctl's, with flows in its syntax."
        },
        mixinStandardHelpOptions = true,
        subcommands = {DiffFlowsCommand.class},
        commandListHeading = "%nCommands:%n")
public final class OfctlCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add-flow", description = "Add a flow to a bridge.", mixinStandardHelpOptions = true)
    int addFlow(
            @Mixin ControlOptions control,
            @Parameters(paramLabel = "BRIDGE", description = "The bridge.") String bridge,
            @Parameters(paramLabel = "FLOW", description = "A flow in ovs-ofctl syntax: in_port=1,actions=drop")
                    String flow) {
        return FlowRequests.send(spec(), control, "add-flow", bridge, List.of(flow), "flow", false);
    }

    @Command(name = "add-flows", description = "Add the flows of a file to a bridge.", mixinStandardHelpOptions = true)
    int addFlows(
            @Mixin ControlOptions control,
            @Parameters(paramLabel = "BRIDGE", description = "The bridge.") String bridge,
            @Parameters(paramLabel = "FILE", description = "Flows, one per line: add-flow lines or a saved dump-flows.")
                    Path file)
            throws IOException {
        return FlowRequests.send(spec(), control, "add-flows", bridge, FlowFiles.read(file), file.toString(), false);
    }

    @Command(name = "mod-flows", description = "Change the actions of matching flows.", mixinStandardHelpOptions = true)
    int modFlows(
            @Mixin ControlOptions control,
            @Option(names = "--strict", description = "Only the flow with exactly this match and priority.")
                    boolean strict,
            @Parameters(paramLabel = "BRIDGE", description = "The bridge.") String bridge,
            @Parameters(paramLabel = "FLOW", description = "The flows to change and their new actions=...")
                    String flow) {
        return FlowRequests.send(spec(), control, "mod-flows", bridge, List.of(flow), "flow", strict);
    }

    @Command(name = "del-flows", description = "Delete matching flows, or every flow.", mixinStandardHelpOptions = true)
    int delFlows(
            @Mixin ControlOptions control,
            @Option(names = "--strict", description = "Only the flow with exactly this match and priority.")
                    boolean strict,
            @Parameters(paramLabel = "BRIDGE", description = "The bridge.") String bridge,
            @Parameters(
                            paramLabel = "MATCH",
                            arity = "0..1",
                            description = "The flows to delete (default: every flow).")
                    String match) {
        return FlowRequests.send(
                spec(), control, "del-flows", bridge, match == null ? List.of() : List.of(match), "flow", strict);
    }

    @Command(name = "dump-flows", description = "Print a bridge's flows.", mixinStandardHelpOptions = true)
    int dumpFlows(
            @Mixin ControlOptions.ReadOptions control,
            @Parameters(paramLabel = "BRIDGE", description = "The bridge.") String bridge,
            @Parameters(paramLabel = "MATCH", arity = "0..1", description = "Only the flows within this match.")
                    String match) {
        return FlowRequests.dump(spec(), control, bridge, match);
    }

    @Command(name = "dump-ports", description = "Print a bridge's port counters.", mixinStandardHelpOptions = true)
    int dumpPorts(
            @Mixin ControlOptions.ReadOptions control,
            @Parameters(paramLabel = "BRIDGE", description = "The bridge.") String bridge) {
        return FlowRequests.send(spec(), control, "dump-ports", bridge, null, null, false);
    }

    @Command(
            name = "replace-flows",
            description = "Make a bridge hold exactly the flows of a file.",
            mixinStandardHelpOptions = true)
    int replaceFlows(
            @Mixin ControlOptions control,
            @Parameters(paramLabel = "BRIDGE", description = "The bridge.") String bridge,
            @Parameters(paramLabel = "FILE", description = "Flows, one per line: add-flow lines or a saved dump-flows.")
                    Path file)
            throws IOException {
        return FlowRequests.send(
                spec(), control, "replace-flows", bridge, FlowFiles.read(file), file.toString(), false);
    }

    /** The spec of the method subcommand that runs: its name is the one errors start with. */
    private CommandSpec spec() {
        return spec.commandLine().getParseResult().subcommand().commandSpec();
    }
}
