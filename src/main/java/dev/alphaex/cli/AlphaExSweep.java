package dev.alphaex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The entry point of the slim jar, {@code target/alphaex-sweep.jar}: only what a job needs on a cluster,
 * {@code sweep} and {@code search}, with the same words, output and exit codes as {@code alphaex.jar}
 * ({@code java -jar alphaex-sweep.jar sweep FILE INDEX}). It carries the sweeper, Jackson (JSON and YAML)
 * and picocli, and nothing of Camel or the campaign: keep its imports to those (SlimJarTest checks the
 * jar's classes with jdeps).
 */
@Command(name = "alphaex", mixinStandardHelpOptions = true, version = AlphaExSweep.VERSION,
        description = "The sweeper of AlphaEx on Camel: a sweep file's configurations by index, and the reverse search.",
        subcommands = {SweepCommand.class, SearchCommand.class, CommandLine.HelpCommand.class})
public final class AlphaExSweep extends CommandRunner {
    /** The version both jars print. */
    static final String VERSION = "alphaex 0.1.0";

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return CommandRunner.run(new AlphaExSweep(), args);
    }
}
