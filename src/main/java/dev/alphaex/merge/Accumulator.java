package dev.alphaex.merge;

import java.util.Arrays;

/**
 * Per step summaries of one configuration's runs, updated one run at a time with Welford's
 * algorithm: for every step value, the number of runs that reached it and, per metric, the mean
 * and the sum of squared deviations (M2). Adding a run costs time proportional to its length
 * (plus the configuration's own steps when the run logs steps the others do not).
 * Not thread-safe: the store guards it.
 */
final class Accumulator {
    final long combination;
    private final int metrics;
    private double[] steps = new double[0];
    private long[] n = new long[0];
    private double[][] mean;
    private double[][] m2;
    private int length;
    private long[] indices = new long[4];
    private int runs;
    /** Ledger sequence number of the last run added. */
    long lastSeq = -1;

    Accumulator(long combination, int metrics) {
        this.combination = combination;
        this.metrics = metrics;
        this.mean = new double[metrics][0];
        this.m2 = new double[metrics][0];
    }

    int runs() {
        return runs;
    }

    long[] indices() {
        return Arrays.copyOf(indices, runs);
    }

    void add(long index, long seq, double[] runSteps, double[][] values) {
        int rows = runSteps.length;
        if (isPrefixAligned(runSteps)) {
            if (rows > length) {
                grow(rows);
                System.arraycopy(runSteps, length, steps, length, rows - length);
                length = rows;
            }
            for (int m = 0; m < metrics; m++) {
                double[] mu = mean[m];
                double[] s2 = m2[m];
                double[] x = values[m];
                for (int i = 0; i < rows; i++) {
                    double d = x[i] - mu[i];
                    mu[i] += d / (n[i] + 1);
                    s2[i] += d * (x[i] - mu[i]);
                }
            }
            for (int i = 0; i < rows; i++) {
                n[i]++;
            }
        } else {
            addUnaligned(runSteps, values);
        }
        if (runs == indices.length) {
            indices = Arrays.copyOf(indices, runs * 2);
        }
        indices[runs++] = index;
        lastSeq = seq;
    }

    private boolean isPrefixAligned(double[] runSteps) {
        int common = Math.min(length, runSteps.length);
        for (int i = 0; i < common; i++) {
            if (steps[i] != runSteps[i]) {
                return false;
            }
        }
        return true;
    }

    private void grow(int capacity) {
        if (capacity <= steps.length) {
            return;
        }
        int cap = Math.max(capacity, steps.length * 2);
        steps = Arrays.copyOf(steps, cap);
        n = Arrays.copyOf(n, cap);
        for (int m = 0; m < metrics; m++) {
            mean[m] = Arrays.copyOf(mean[m], cap);
            m2[m] = Arrays.copyOf(m2[m], cap);
        }
    }

    /** Merges a run whose steps interleave with the ones already here: a sorted union of steps. */
    private void addUnaligned(double[] runSteps, double[][] values) {
        int rows = runSteps.length;
        int cap = length + rows;
        double[] st = new double[cap];
        long[] cnt = new long[cap];
        double[][] mu = new double[metrics][cap];
        double[][] s2 = new double[metrics][cap];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < length || j < rows) {
            boolean takeOld = j >= rows || (i < length && steps[i] <= runSteps[j]);
            boolean takeNew = i >= length || (j < rows && runSteps[j] <= steps[i]);
            if (takeOld) {
                st[k] = steps[i];
                cnt[k] = n[i];
                for (int m = 0; m < metrics; m++) {
                    mu[m][k] = mean[m][i];
                    s2[m][k] = m2[m][i];
                }
                i++;
            } else {
                st[k] = runSteps[j];
            }
            if (takeNew) {
                double count = cnt[k] + 1;
                for (int m = 0; m < metrics; m++) {
                    double x = values[m][j];
                    double d = x - mu[m][k];
                    mu[m][k] += d / count;
                    s2[m][k] += d * (x - mu[m][k]);
                }
                cnt[k]++;
                j++;
            }
            k++;
        }
        steps = st;
        n = cnt;
        mean = mu;
        m2 = s2;
        length = k;
    }

    /** Restores the state written by {@link #snapshot()} (from a summary file). */
    void restore(double[] steps, long[] n, double[][] mean, double[][] m2, long[] indices, long lastSeq) {
        this.steps = steps;
        this.n = n;
        this.mean = mean;
        this.m2 = m2;
        this.length = steps.length;
        this.indices = indices.length == 0 ? new long[4] : indices;
        this.runs = indices.length;
        this.lastSeq = lastSeq;
    }

    /** An immutable copy with standard errors. */
    State snapshot() {
        double[][] mu = new double[metrics][];
        double[][] s2 = new double[metrics][];
        for (int m = 0; m < metrics; m++) {
            mu[m] = Arrays.copyOf(mean[m], length);
            s2[m] = Arrays.copyOf(m2[m], length);
        }
        return new State(Arrays.copyOf(steps, length), Arrays.copyOf(n, length), mu, s2);
    }

    /** The summaries at one moment: per step value, n and per metric mean and M2. */
    static final class State {
        final double[] steps;
        final long[] n;
        final double[][] mean;
        final double[][] m2;

        State(double[] steps, long[] n, double[][] mean, double[][] m2) {
            this.steps = steps;
            this.n = n;
            this.mean = mean;
            this.m2 = m2;
        }
    }
}
