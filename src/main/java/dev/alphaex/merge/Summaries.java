package dev.alphaex.merge;

import dev.alphaex.sweep.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * Per configuration, the running summaries of its merged runs ({@link Accumulator}), their files
 * ({@code summaries/<configuration>.csv}, written at flush) and immutable snapshots for the plotter
 * (shared between snapshots until the configuration changes). Thread-safe.
 */
final class Summaries {
    private static final Logger LOG = LoggerFactory.getLogger(Summaries.class);

    /** Reads one merged run (for a summary that must be rebuilt). */
    interface RunReader {
        RunData read(StoreDb.LogRow row) throws IOException;
    }

    private final Path folder;
    private final LongFunction<Configuration> configurations;
    private final TreeMap<Long, Accumulator> accumulators = new TreeMap<>();
    private final Set<Long> unsaved = new TreeSet<>();
    private final Map<Long, ConfigSummary> snapshots = new HashMap<>();

    Summaries(Path folder, LongFunction<Configuration> configurations) {
        this.folder = folder;
        this.configurations = configurations;
    }

    private Path file(long combination) {
        return folder.resolve(combination + ".csv");
    }

    /** At opening: each configuration's summary from its file when current, else rebuilt from its runs. */
    synchronized void restore(Schema schema, List<StoreDb.LogRow> logs, RunReader runs) throws IOException {
        Map<Long, List<StoreDb.LogRow>> byCombination = new TreeMap<>();
        for (StoreDb.LogRow row : logs) {
            byCombination.computeIfAbsent(row.combination(), c -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<Long, List<StoreDb.LogRow>> e : byCombination.entrySet()) {
            long combination = e.getKey();
            List<StoreDb.LogRow> rows = e.getValue();
            Accumulator acc = new Accumulator(combination, schema.metrics.size());
            long[] indices = rows.stream().mapToLong(StoreDb.LogRow::index).toArray();
            if (!SummaryFile.restore(file(combination), schema, acc, indices, rows.get(rows.size() - 1).seq())) {
                LOG.info("Results store {}: rebuilding the summary of configuration {} ({} runs)", folder.getParent(),
                        combination, rows.size());
                for (StoreDb.LogRow row : rows) {
                    RunData run = runs.read(row);
                    double[][] v = new double[schema.metrics.size()][];
                    for (int m = 0; m < v.length; m++) {
                        v[m] = run.values(m);
                    }
                    acc.add(row.index(), row.seq(), run.steps(), v);
                }
                unsaved.add(combination);
            }
            accumulators.put(combination, acc);
        }
    }

    /** Adds a committed run. */
    synchronized void add(StoreDb.LogRow row, int metrics, double[] steps, double[][] values) {
        accumulators.computeIfAbsent(row.combination(), c -> new Accumulator(c, metrics)).add(row.index(), row.seq(), steps, values);
        unsaved.add(row.combination());
        snapshots.remove(row.combination());
    }

    /** Writes the summaries changed since the last flush (one small file per configuration). */
    synchronized void flush(Schema schema) throws IOException {
        for (long c : unsaved) {
            SummaryFile.write(file(c), schema, configurations.apply(c), accumulators.get(c));
        }
        unsaved.clear();
    }

    /** Every configuration with runs, in sweep order. */
    synchronized List<ConfigSummary> snapshot() {
        List<ConfigSummary> list = new ArrayList<>(accumulators.size());
        for (Accumulator acc : accumulators.values()) {
            ConfigSummary s = snapshots.get(acc.combination);
            if (s == null) {
                s = new ConfigSummary(acc.combination, configurations.apply(acc.combination), acc.indices(), acc.snapshot());
                snapshots.put(acc.combination, s);
            }
            list.add(s);
        }
        return list;
    }

    synchronized int configurations() {
        return accumulators.size();
    }
}
