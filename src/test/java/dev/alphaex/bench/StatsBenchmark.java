package dev.alphaex.bench;

import dev.alphaex.plot.stats.Aggregates;
import dev.alphaex.plot.stats.Bootstrap;
import dev.alphaex.plot.stats.Interval;
import dev.alphaex.plot.stats.Resampler;
import dev.alphaex.plot.stats.Scores;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * IQM with a 95% stratified bootstrap interval (2,000 resamples) over 10,000 runs (one task of
 * 10,000 runs, and 10 tasks of 1,000), as the aggregate figures compute it (a resample is counts
 * per run walked in one pre-sorted order), next to the naive computation measured in the same
 * run: each resample copied and sorted, then trimmed. Both draw the same resamples and must give
 * the same interval.
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.bench.StatsBenchmark
 * </pre>
 * {@code -Dexec.args="RUNS RESAMPLES ROUNDS"} (defaults 10000 2000 5).
 */
public final class StatsBenchmark {
    private StatsBenchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int resamples = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        System.out.printf(Locale.ROOT, "IQM, 95%% stratified bootstrap, %d resamples, %d runs; median of %d rounds "
                + "(after one warm-up round)%n", resamples, runs, rounds);
        for (int tasks : new int[]{1, 10}) {
            double[][] data = scores(tasks, runs / tasks);
            Scores s = Scores.of(data);
            double[] fast = new double[rounds];
            double[] naive = new double[rounds];
            Interval a = null;
            double[] b = null;
            for (int r = -1; r < rounds; r++) {
                long t0 = System.nanoTime();
                a = Bootstrap.intervals(new Bootstrap.Statistic[]{c -> Aggregates.iqm(s, c)}, s.once(),
                        Resampler.random(s.strata(), 1), resamples, 0.95, s.size())[0];
                long t1 = System.nanoTime();
                b = naive(data, resamples);
                long t2 = System.nanoTime();
                if (r >= 0) {
                    fast[r] = (t1 - t0) / 1e9;
                    naive[r] = (t2 - t1) / 1e9;
                }
            }
            if (Math.abs(a.lo() - b[0]) > 1e-9 || Math.abs(a.hi() - b[1]) > 1e-9) {
                throw new AssertionError("the two computations disagree: " + a + " against " + Arrays.toString(b));
            }
            double f = median(fast);
            double n = median(naive);
            System.out.printf(Locale.ROOT, "%2d task(s) x %5d runs: counts walk %.3f s (%.3f-%.3f), naive sort per resample "
                            + "%.3f s (%.3f-%.3f): %.1fx faster; IQM %.4f [%.4f, %.4f], target <= 1 s: %s%n",
                    tasks, runs / tasks, f, min(fast), max(fast), n, min(naive), max(naive), n / f, a.estimate(), a.lo(),
                    a.hi(), f <= 1 ? "met" : "MISSED");
        }
    }

    private static double[][] scores(int tasks, int runs) {
        SplittableRandom rnd = new SplittableRandom(42);
        double[][] s = new double[tasks][runs];
        for (int t = 0; t < tasks; t++) {
            for (int r = 0; r < runs; r++) {
                s[t][r] = (1 + t) * (0.5 + rnd.nextGaussian()); // tasks on different scales, as raw scores are
            }
        }
        return s;
    }

    /** The baseline: every resample drawn (same generator, same order), copied, sorted and trimmed. */
    private static double[] naive(double[][] data, int resamples) {
        SplittableRandom rnd = new SplittableRandom(1);
        int tasks = data.length;
        int runs = data[0].length;
        int n = tasks * runs;
        double[] values = new double[n];
        double[] iqm = new double[resamples];
        int cut = (int) (0.25 * n);
        for (int b = 0; b < resamples; b++) {
            int k = 0;
            for (int t = 0; t < tasks; t++) {
                for (int r = 0; r < runs; r++) {
                    values[k++] = data[t][rnd.nextInt(runs)];
                }
            }
            Arrays.sort(values);
            double sum = 0;
            for (int i = cut; i < n - cut; i++) {
                sum += values[i];
            }
            iqm[b] = sum / (n - 2 * cut);
        }
        return Bootstrap.percentileInterval(iqm, 0.95);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
