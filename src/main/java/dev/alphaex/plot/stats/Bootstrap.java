package dev.alphaex.plot.stats;

import java.util.Arrays;

/**
 * Percentile confidence intervals from a stratified bootstrap: the statistics are computed on
 * every resample (all of them on the same resamples), and the interval is the (1-c)/2 and (1+c)/2
 * quantiles of their bootstrap distribution, interpolated linearly as numpy's default
 * {@code percentile} does.
 */
public final class Bootstrap {
    private Bootstrap() {
    }

    /** A statistic of a resample, given as counts per run (see {@link Aggregates}). */
    @FunctionalInterface
    public interface Statistic {
        double of(int[][] counts);
    }

    /**
     * The statistics' values on {@code resamples} resamples: {@code [statistic][resample]}.
     */
    public static double[][] distribution(Resampler resampler, Statistic[] statistics, int resamples) {
        double[][] out = new double[statistics.length][resamples];
        int[][] counts = resampler.newCounts();
        for (int b = 0; b < resamples; b++) {
            resampler.next(counts);
            for (int k = 0; k < statistics.length; k++) {
                out[k][b] = statistics[k].of(counts);
            }
        }
        return out;
    }

    /** {lo, hi}: the percentile interval of a bootstrap distribution at this confidence. */
    public static double[] percentileInterval(double[] distribution, double confidence) {
        double[] sorted = distribution.clone();
        Arrays.sort(sorted);
        return new double[]{quantile(sorted, (1 - confidence) / 2), quantile(sorted, (1 + confidence) / 2)};
    }

    /** numpy's linear quantile of sorted values (its lerp: from the nearer end for t &gt;= 0.5). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        double t = pos - i;
        double a = sorted[i];
        double b = sorted[i + 1];
        double d = b - a;
        return t >= 0.5 ? b - d * (1 - t) : a + d * t;
    }

    /**
     * Point estimates (on the data) and percentile intervals of several statistics of one set of
     * scores, from {@code resamples} resamples of the resampler.
     */
    public static Interval[] intervals(Statistic[] statistics, int[][] once, Resampler resampler, int resamples,
                                       double confidence, int n) {
        double[][] dist = distribution(resampler, statistics, resamples);
        Interval[] out = new Interval[statistics.length];
        for (int k = 0; k < statistics.length; k++) {
            double[] ci = percentileInterval(dist[k], confidence);
            out[k] = new Interval(statistics[k].of(once), ci[0], ci[1], n);
        }
        return out;
    }
}
