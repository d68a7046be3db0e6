package dev.alphaex.merge;

import dev.alphaex.sweep.Sweep;

import java.io.IOException;
import java.util.List;

/** The merged results at one moment: what the plotter draws. Immutable (single runs are read from the store). */
public final class ResultsSnapshot {
    private final MergeStore store;
    private final List<String> metrics;
    private final List<String> keys;
    private final List<ConfigSummary> configurations;
    private final int runs;
    private final long version;

    ResultsSnapshot(MergeStore store, List<String> metrics, List<String> keys, List<ConfigSummary> configurations,
                    int runs, long version) {
        this.store = store;
        this.metrics = metrics;
        this.keys = keys;
        this.configurations = List.copyOf(configurations);
        this.runs = runs;
        this.version = version;
    }

    /** The metric columns (the logs' columns but the step), empty before the first merge. */
    public List<String> metrics() {
        return metrics;
    }

    /** The sweep's keys. */
    public List<String> keys() {
        return keys;
    }

    /** Position of a metric in {@link #metrics()}, or -1. */
    public int metric(String name) {
        return metrics.indexOf(name);
    }

    /** Every configuration with at least one merged run, in sweep order. */
    public List<ConfigSummary> configurations() {
        return configurations;
    }

    /** Number of merged runs. */
    public int runs() {
        return runs;
    }

    /** The ledger sequence number this snapshot is current with: it grows with every merge. */
    public long version() {
        return version;
    }

    /** The sweep of the store. */
    public Sweep sweep() {
        return store.sweep();
    }

    /** Reads one merged run (its values never change once merged). */
    public RunData run(long index) throws IOException {
        return store.readRun(index);
    }
}
