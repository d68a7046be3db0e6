package dev.alphaex.plot.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Stratified bootstrap resamples: in each resample, every task (stratum) draws as many runs as it
 * has, with replacement, from its own runs only. A resample is given as counts per run.
 * {@link #random} draws them from a seeded generator in a fixed order (resample by resample,
 * task by task, run by run: {@code nextInt(runs of the task)}), so a seed always gives the same
 * resamples and {@link #indices} can write them out for a reference computation.
 */
public abstract class Resampler {
    private final int[] strata;

    Resampler(int[] strata) {
        this.strata = strata.clone();
    }

    /** Runs per task. */
    public int[] strata() {
        return strata.clone();
    }

    /** Fills {@code counts} (zeroed first) with the next resample. */
    public abstract void next(int[][] counts);

    /** Counts arrays shaped for these strata. */
    public int[][] newCounts() {
        int[][] c = new int[strata.length][];
        for (int t = 0; t < c.length; t++) {
            c[t] = new int[strata[t]];
        }
        return c;
    }

    /** Resamples drawn from a {@link SplittableRandom} with this seed. */
    public static Resampler random(int[] strata, long seed) {
        return new Resampler(strata) {
            private final SplittableRandom rnd = new SplittableRandom(seed);

            @Override
            public void next(int[][] counts) {
                for (int t = 0; t < counts.length; t++) {
                    int[] c = counts[t];
                    Arrays.fill(c, 0);
                    int n = c.length;
                    for (int k = 0; k < n; k++) {
                        c[rnd.nextInt(n)]++;
                    }
                }
            }
        };
    }

    /** The resamples {@link #random} draws, as run indices: {@code [resample][task][draw]}. */
    public static int[][][] indices(int[] strata, long seed, int resamples) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][][] out = new int[resamples][strata.length][];
        for (int b = 0; b < resamples; b++) {
            for (int t = 0; t < strata.length; t++) {
                int n = strata[t];
                out[b][t] = new int[n];
                for (int k = 0; k < n; k++) {
                    out[b][t][k] = rnd.nextInt(n);
                }
            }
        }
        return out;
    }

    /** Resamples given as run indices {@code [resample][task][draw]} (a reference computation's). */
    public static Resampler of(int[] strata, int[][][] indices) {
        return new Resampler(strata) {
            private int b;

            @Override
            public void next(int[][] counts) {
                int[][] drawn = indices[b++];
                for (int t = 0; t < counts.length; t++) {
                    Arrays.fill(counts[t], 0);
                    for (int r : drawn[t]) {
                        counts[t][r]++;
                    }
                }
            }
        };
    }
}
