package io.jvswitch.app.command;

import io.jvswitch.app.cli.ControlOptions;
import io.jvswitch.app.cli.FlowRequests;
import io.jvswitch.app.control.ControlClient;
import io.jvswitch.ofproto.table.FlowDiff;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.text.FlowParseException;
import io.jvswitch.ofproto.text.FlowParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jvs ofctl diff-flows FILE1 FILE2}: what ovs-ofctl's diff-flows prints for two flow files, and its exit status
 * (utilities/ovs-ofctl.c, {@code ofctl_diff_flows}: 0 when the same, 2 when they differ).
 */
@Command(
        name = "diff-flows",
        // The first line is the summary `jvs ofctl --help` lists: it must fit one line there.
        description = {
            "Show how the flows of two files or bridges differ.",
            "",
            "FILE1 and FILE2 may also name bridges of the running switch (a name that is no file). A file holds"
                    + " add-flow lines or a saved dump-flows (counters and ages are ignored). A flow is known by"
                    + " its table, match and priority; two with the same differ when their actions, cookie or"
                    + " timeouts do. Each difference prints as '-' and the flow in FILE1, '+' and the flow in FILE2;"
                    + " nothing prints when the files hold the same flows."
        },
        mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:The files hold the same flows.",
            "1:A file cannot be read.",
            "2:The flows differ, or a file has an error (it is shown)."
        })
public final class DiffFlowsCommand implements Callable<Integer> {
    /** What ovs-ofctl diff-flows exits with when the flows differ. */
    static final int DIFFERENT = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    ControlOptions control;

    @Parameters(index = "0", paramLabel = "FILE1", description = "Flows to compare from ('-' lines).")
    Path first;

    @Parameters(index = "1", paramLabel = "FILE2", description = "Flows to compare to ('+' lines).")
    Path second;

    @Override
    public Integer call() throws IOException {
        List<FlowMod> from = flows(first);
        List<FlowMod> to = flows(second);
        List<String> lines = FlowDiff.format(FlowDiff.compare(from, to));
        PrintWriter out = spec.commandLine().getOut();
        for (String line : lines) {
            out.println(line);
        }
        out.flush();
        return lines.isEmpty() ? 0 : DIFFERENT;
    }

    private List<FlowMod> flows(Path file) throws IOException {
        // As ovs-ofctl: a name that is no file and no path is a bridge of the running switch.
        boolean bridge = !Files.exists(file) && file.getNameCount() == 1 && !file.isAbsolute();
        List<String> lines = bridge ? bridgeLines(file) : FlowFiles.read(file);
        try {
            return FlowParser.parseLines(lines, FlowMod.Command.ADD, file.toString());
        } catch (FlowParseException e) {
            throw CliErrors.usage(spec, e.getMessage());
        }
    }

    /** The flows of the bridge {@code name} names; failing, it says the name was no file either (a mistyped path). */
    private List<String> bridgeLines(Path name) throws IOException {
        try {
            return FlowRequests.lines(control, name.toString());
        } catch (ControlClient.ControlException e) {
            throw new IOException(name + ": no such file, nor a bridge of the running switch (" + e.getMessage() + ")");
        }
    }
}
