package io.jvswitch.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jvs} command line: one subcommand per job, each with its own help. */
@Command(
        name = "jvs",
        mixinStandardHelpOptions = true,
        versionProvider = Jvs.Version.class,
        description = "jvswitch: a userspace overlay switch carrying Ethernet frames in GRE and VXLAN tunnels.",
        subcommands = {CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n")
public final class Jvs implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Jvs()).setCaseInsensitiveEnumValuesAllowed(true);
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
