package io.jvswitch.app.command;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** How commands refuse bad input: a picocli parameter error, printed as one line plus a pointer to --help. */
public final class CliErrors {
    private CliErrors() {}

    public static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
