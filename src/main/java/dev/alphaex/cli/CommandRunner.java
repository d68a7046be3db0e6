package dev.alphaex.cli;

import dev.alphaex.sweep.SweepException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * What every entry point of the command line shares: the {@code --verbose} option and the rule for
 * errors (invalid input ends with exit code {@link #BAD_INPUT} and one message on stderr; {@code --verbose}
 * adds the stack trace). Depends on picocli and the sweeper only, so that the slim jar can carry it.
 */
abstract class CommandRunner {
    /** Exit code for input the command cannot use (a bad sweep file, a bad argument). */
    static final int BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On errors, print the stack trace too.")
    boolean verbose;

    /** Runs {@code top}'s command line and returns its exit code. */
    static int run(CommandRunner top, String... args) {
        CommandLine cmd = new CommandLine(top);
        cmd.setUsageHelpWidth(120); // the commands' descriptions are written as lines of up to 118 characters
        // a bad argument: one line that says what is wrong and where the usage is (not the whole usage text)
        cmd.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(usageError(e));
            err.flush();
            return BAD_INPUT;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof CommandLine.ParameterException) {
                err.println(usageError((CommandLine.ParameterException) e));
            } else if (e instanceof SweepException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                err.println("alphaex: " + e.getMessage());
            } else {
                err.println("alphaex: " + e);
            }
            if (top.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
        });
        return cmd.execute(args);
    }

    private static String usageError(CommandLine.ParameterException e) {
        String name = e.getCommandLine().getCommandSpec().qualifiedName();
        return name + ": " + e.getMessage() + " (" + name + " --help shows the usage)";
    }
}
