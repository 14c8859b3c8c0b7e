package io.jvswitch.app;

import io.jvswitch.app.cli.AgentCommand;
import io.jvswitch.app.cli.AppctlCommand;
import io.jvswitch.app.cli.DaemonCommand;
import io.jvswitch.app.cli.TcpdumpCommand;
import io.jvswitch.app.cli.VsctlCommand;
import io.jvswitch.app.command.DecodeCommand;
import io.jvswitch.app.command.EncapCommand;
import io.jvswitch.app.command.OfctlCommand;
import io.jvswitch.app.command.TraceCommand;
import io.jvswitch.app.demo.DemoCommand;
import io.jvswitch.app.demo.LabCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jvs} command line: one subcommand per job, each with its own help. */
@Command(
        name = "jvs",
        mixinStandardHelpOptions = true,
        versionProvider = Jvs.Version.class,
        description = "jvswitch: a userspace overlay switch carrying Ethernet frames in GRE and VXLAN tunnels.",
        subcommands = {
            DemoCommand.class,
            EncapCommand.class,
            DecodeCommand.class,
            TraceCommand.class,
            OfctlCommand.class,
            LabCommand.class,
            DaemonCommand.class,
            VsctlCommand.class,
            AppctlCommand.class,
            TcpdumpCommand.class,
            AgentCommand.class,
            CommandLine.HelpCommand.class
        },
        commandListHeading = "%nCommands:%n")
public final class Jvs implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line, shared by {@link #main} and the tests. Bad input exits 2 with one line saying what
     * is wrong (a flow's error adds its text and a caret line), after the command's full name ({@code jvs ofctl
     * diff-flows: }); a file that cannot be read exits 1 with its name and the problem; anything else is a bug and
     * shows its stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Jvs()).setCaseInsensitiveEnumValuesAllowed(true);
        // Every command's -V/--version (from mixinStandardHelpOptions) prints jvs's version, not nothing.
        giveVersion(commandLine);
        // vsctl's words are ovs-vsctl's: '--' joins commands and --may-exist belongs to one, so picocli keeps them.
        for (String words : new String[] {"vsctl", "appctl"}) {
            CommandLine sub = commandLine.getSubcommands().get(words);
            sub.setUnmatchedOptionsArePositionalParams(true);
            sub.setEndOfOptionsDelimiter(VsctlCommand.NO_END_OF_OPTIONS);
        }
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println(failed.getCommandSpec().qualifiedName() + ": " + message(e));
            err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            if (e instanceof IOException io) {
                PrintWriter err = failed.getErr();
                err.println(failed.getCommandSpec().qualifiedName() + ": " + describe(io));
                err.flush();
                return 1;
            }
            throw e;
        });
        return commandLine;
    }

    /**
     * What a parameter error says. A word where a command with subcommands expects one of them is an unknown command,
     * named with the commands there are (picocli would say "Unmatched argument at index 0").
     */
    static String message(CommandLine.ParameterException e) {
        CommandLine failed = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && !failed.getSubcommands().isEmpty()
                && failed.getCommandSpec().positionalParameters().isEmpty()
                && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().getFirst() + "' (commands: "
                    + String.join(", ", failed.getSubcommands().keySet()) + ")";
        }
        return e.getMessage();
    }

    private static void giveVersion(CommandLine commandLine) {
        commandLine.getCommandSpec().versionProvider(new Version());
        commandLine.getSubcommands().values().forEach(Jvs::giveVersion);
    }

    /**
     * One line for a failed file operation: the file, then the problem. Java leaves the problem out of the message of
     * the commonest failures (a missing file, a denied one), which would leave a bare path.
     */
    static String describe(IOException e) {
        if (e instanceof FileSystemException failure && failure.getReason() == null && failure.getFile() != null) {
            String problem = switch (failure) {
                case NoSuchFileException _ -> "no such file or directory";
                case AccessDeniedException _ -> "permission denied";
                case FileAlreadyExistsException _ -> "already exists";
                default -> "cannot be used";
            };
            return failure.getFile() + ": " + problem;
        }
        return e.getMessage();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Jvs.class.getPackage().getImplementationVersion();
            return new String[] {"jvs " + (version == null ? "(development build)" : version)};
        }
    }
}
