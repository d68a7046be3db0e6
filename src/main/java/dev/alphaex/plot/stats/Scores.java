package dev.alphaex.plot.stats;

import java.util.Arrays;

/**
 * The per-run scores of one configuration, grouped by task (ragged: a task may have fewer runs),
 * with the orders the statistics walk in: every score of every task in one ascending order, and
 * each task's scores in ascending order. A bootstrap resample is a count per run (how many times
 * the resample drew it), so a statistic of a resample is a weighted walk over these orders and
 * no resample is ever sorted. Immutable.
 */
public final class Scores {
    private final double[][] byTask;
    private final int size;
    /** Pooled ascending order: task and run of each position. */
    final int[] pooledTask;
    final int[] pooledRun;
    final double[] pooledValue;
    /** Per task, its runs in ascending order of score. */
    final int[][] taskOrder;

    private Scores(double[][] byTask) {
        this.byTask = byTask;
        int n = 0;
        for (double[] t : byTask) {
            n += t.length;
        }
        size = n;
        Integer[] order = new Integer[n];
        int[] task = new int[n];
        int[] run = new int[n];
        double[] value = new double[n];
        int k = 0;
        for (int t = 0; t < byTask.length; t++) {
            for (int r = 0; r < byTask[t].length; r++) {
                task[k] = t;
                run[k] = r;
                value[k] = byTask[t][r];
                order[k] = k;
                k++;
            }
        }
        Arrays.sort(order, (a, b) -> Double.compare(value[a], value[b]));
        pooledTask = new int[n];
        pooledRun = new int[n];
        pooledValue = new double[n];
        for (int i = 0; i < n; i++) {
            pooledTask[i] = task[order[i]];
            pooledRun[i] = run[order[i]];
            pooledValue[i] = value[order[i]];
        }
        taskOrder = new int[byTask.length][];
        for (int t = 0; t < byTask.length; t++) {
            double[] v = byTask[t];
            taskOrder[t] = java.util.stream.IntStream.range(0, v.length).boxed()
                    .sorted((a, b) -> Double.compare(v[a], v[b])).mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * Scores of runs by task: {@code byTask[t][r]} is the score of run r of task t. Every task
     * needs at least one run and every score must be finite.
     */
    public static Scores of(double[][] byTask) {
        if (byTask.length == 0) {
            throw new IllegalArgumentException("no task");
        }
        double[][] copy = new double[byTask.length][];
        for (int t = 0; t < byTask.length; t++) {
            if (byTask[t].length == 0) {
                throw new IllegalArgumentException("task " + t + " has no run");
            }
            for (double v : byTask[t]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("task " + t + " has a score that is not finite: " + v);
                }
            }
            copy[t] = byTask[t].clone();
        }
        return new Scores(copy);
    }

    /** A single task. */
    public static Scores of(double[] runs) {
        return of(new double[][]{runs});
    }

    public int tasks() {
        return byTask.length;
    }

    public int runs(int task) {
        return byTask[task].length;
    }

    /** Runs of every task together. */
    public int size() {
        return size;
    }

    /** Runs per task (the strata of the bootstrap). */
    public int[] strata() {
        int[] s = new int[byTask.length];
        for (int t = 0; t < s.length; t++) {
            s[t] = byTask[t].length;
        }
        return s;
    }

    double value(int task, int run) {
        return byTask[task][run];
    }

    /** Counts of the data itself: every run once. */
    public int[][] once() {
        int[][] c = new int[byTask.length][];
        for (int t = 0; t < c.length; t++) {
            c[t] = new int[byTask[t].length];
            Arrays.fill(c[t], 1);
        }
        return c;
    }
}
