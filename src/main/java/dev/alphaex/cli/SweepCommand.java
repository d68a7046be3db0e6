package dev.alphaex.cli;

import dev.alphaex.sweep.Sweep;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "sweep", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print the configuration of each INDEX as one JSON object per line (with index and run),",
                "or the number of combinations (--count), or every configuration (--all)."})
final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The sweep file (.json, or .yaml/.yml).")
    Path file;

    @Parameters(index = "1..*", paramLabel = "INDEX", description = "Job indices (0 or more; indices past the total wrap, run = INDEX / total).")
    List<String> indices;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Mode mode;

    static final class Mode {
        @Option(names = "--count", description = "Print the number of combinations.")
        boolean count;

        @Option(names = "--all", description = "Print every configuration, indices 0 .. total*runs-1.")
        boolean all;
    }

    @Option(names = "--runs", defaultValue = "1", paramLabel = "R", description = "With --all: runs (seeds) per configuration (default ${DEFAULT-VALUE}).")
    long runs;

    @Override
    public Integer call() throws IOException {
        Sweep sweep = Sweep.load(file);
        boolean count = mode != null && mode.count;
        boolean all = mode != null && mode.all;
        if ((count || all) && indices != null && !indices.isEmpty()) {
            throw new IllegalArgumentException("give either INDEX... or " + (count ? "--count" : "--all") + ", not both");
        }
        if (count) {
            System.out.println(sweep.total());
            return 0;
        }
        try (JsonLines out = new JsonLines(System.out)) {
            if (all) {
                if (runs < 1) {
                    throw new IllegalArgumentException("--runs must be 1 or more, got " + runs);
                }
                long end = Math.multiplyExact(sweep.total(), runs);
                for (long i = 0; i < end; i++) {
                    out.write(sweep.parse(i).toJson(true));
                }
                return 0;
            }
            if (indices == null || indices.isEmpty()) {
                throw new IllegalArgumentException("give at least one INDEX, or --count, or --all");
            }
            long[] parsed = new long[indices.size()];
            for (int k = 0; k < parsed.length; k++) {
                parsed[k] = index(indices.get(k));
            }
            for (long i : parsed) {
                out.write(sweep.parse(i).toJson(true));
            }
        }
        return 0;
    }

    private long index(String text) {
        try {
            long i = Long.parseLong(text.trim());
            if (i >= 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ParameterException(spec.commandLine(), "INDEX must be a whole number 0 or more, got '" + text + "'");
    }
}
