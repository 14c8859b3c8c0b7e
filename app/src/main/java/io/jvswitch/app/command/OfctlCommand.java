package io.jvswitch.app.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jvs ofctl}: ovs-ofctl's commands, one subcommand each; for now those that need no running switch. */
@Command(
        name = "ofctl",
        // The first line is the summary `jvs --help` lists: it must fit one line there.
        description = {
            "Flow tables, as ovs-ofctl handles them (diff-flows).",
            "Commands named and behaving as ovs-ofctl's, on flow files in its syntax."
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
}
