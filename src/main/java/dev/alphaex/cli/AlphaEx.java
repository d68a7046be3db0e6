package dev.alphaex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code java -jar target/alphaex.jar <command> ...}. Invalid input ends with
 * exit code 2 and one message on stderr; {@code --verbose} adds the stack trace. The commands a job
 * needs on a cluster ({@code sweep}, {@code search}) are also in the slim jar ({@link AlphaExSweep}).
 */
@Command(name = "alphaex", mixinStandardHelpOptions = true, version = AlphaExSweep.VERSION,
        description = "Sweeps, Slurm campaigns and plots for thousands of experiments (AlphaEx on Apache Camel).",
        subcommands = {SweepCommand.class, SearchCommand.class, RebuildResultsCommand.class, CommandLine.HelpCommand.class})
public final class AlphaEx extends CommandRunner {
    /** Exit code for input the command cannot use (a bad sweep file, a bad argument). */
    public static final int BAD_INPUT = CommandRunner.BAD_INPUT;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return CommandRunner.run(new AlphaEx(), args);
    }
}
