package dev.alphaex.merge;

import dev.alphaex.sweep.Configuration;

import java.util.Arrays;

/**
 * The merged runs of one configuration at one moment: for every step value, how many runs reached
 * it and, per metric, the mean over those runs and its standard error (sample standard deviation
 * over the square root of n; NaN while n &lt; 2). Immutable.
 */
public final class ConfigSummary {
    private final long combination;
    private final Configuration configuration;
    private final long[] indices;
    private final double[] steps;
    private final long[] n;
    private final double[][] mean;
    private final double[][] stdErr;

    ConfigSummary(long combination, Configuration configuration, long[] indices, Accumulator.State state) {
        this.combination = combination;
        this.configuration = configuration;
        this.indices = indices;
        this.steps = state.steps;
        this.n = state.n;
        this.mean = state.mean;
        this.stdErr = new double[state.m2.length][];
        for (int m = 0; m < state.m2.length; m++) {
            double[] se = new double[steps.length];
            for (int i = 0; i < se.length; i++) {
                se[i] = n[i] < 2 ? Double.NaN : Math.sqrt(state.m2[m][i] / (n[i] - 1) / n[i]);
            }
            stdErr[m] = se;
        }
    }

    /** The configuration's position in the sweep ({@code index % total}). */
    public long combination() {
        return combination;
    }

    /** The configuration's keys and values (its {@code run} is 0). */
    public Configuration configuration() {
        return configuration;
    }

    /** Number of merged runs. */
    public int runs() {
        return indices.length;
    }

    /** The indices of the merged runs, in merge order. */
    public long[] indices() {
        return indices.clone();
    }

    /** The step values, increasing. */
    public double[] steps() {
        return steps.clone();
    }

    /** Per step, the number of runs that logged it. */
    public long[] n() {
        return n.clone();
    }

    /** Per step, the mean of metric {@code m} (position in the store's metric list). */
    public double[] mean(int m) {
        return mean[m].clone();
    }

    /** Per step, the standard error of the mean of metric {@code m}; NaN where n &lt; 2. */
    public double[] stdErr(int m) {
        return stdErr[m].clone();
    }

    @Override
    public String toString() {
        return "configuration " + combination + " " + configuration.values() + ": " + runs() + " runs, "
                + steps.length + " steps" + (steps.length > 0 ? " " + steps[0] + ".." + steps[steps.length - 1] : "")
                + " n=" + (n.length > 0 ? Arrays.stream(n).min().getAsLong() + ".." + Arrays.stream(n).max().getAsLong() : "-");
    }
}
