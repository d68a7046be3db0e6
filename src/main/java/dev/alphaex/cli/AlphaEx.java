package dev.alphaex.cli;

import dev.alphaex.sweep.SweepException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * The command line: {@code java -jar target/alphaex.jar <command> ...}. Invalid input ends with
 * exit code 2 and one message on stderr; {@code --verbose} adds the stack trace.
 */
@Command(name = "alphaex", mixinStandardHelpOptions = true, version = "alphaex 0.1.0",
        description = "Sweeps, Slurm campaigns and plots for thousands of experiments (AlphaEx on Apache Camel).",
        subcommands = {SweepCommand.class, SearchCommand.class, RebuildResultsCommand.class, CommandLine.HelpCommand.class})
public final class AlphaEx {
    /** Exit code for input the command cannot use (a bad sweep file, a bad argument). */
    public static final int BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On errors, print the stack trace too.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        AlphaEx top = new AlphaEx();
        CommandLine cmd = new CommandLine(top);
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
