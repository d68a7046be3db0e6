package dev.alphaex.plot.stats;

import java.util.Arrays;

/**
 * The aggregate metrics of Agarwal et al., "Deep Reinforcement Learning at the Edge of the
 * Statistical Precipice" (NeurIPS 2021), as the rliable library defines them, on scores that may
 * have a different number of runs per task. Each takes the counts of a resample ({@code
 * counts[t][r]}: how many times run r of task t was drawn; {@link Scores#once()} for the data
 * itself), so a bootstrap never copies or sorts a resample. With every task's runs once and equal
 * runs per task they are rliable's functions on the runs x tasks matrix:
 * <ul>
 * <li>IQM: the 25% trimmed mean of all scores of all runs and tasks together
 *     ({@code scipy.stats.trim_mean(x, 0.25)}: {@code int(0.25 n)} cut at each end);</li>
 * <li>mean and median: of the per-task mean scores;</li>
 * <li>optimality gap: {@code gamma - mean(min(x, gamma))} over all scores;</li>
 * <li>score distribution (performance profile): the fraction of all scores above tau;</li>
 * <li>probability of improvement: per task, P(X &gt; Y) + P(X = Y)/2 over all pairs of a run of X
 *     and a run of Y (the Mann-Whitney U of X over nx ny), averaged over tasks.</li>
 * </ul>
 */
public final class Aggregates {
    private Aggregates() {
    }

    /** Interquartile mean. */
    public static double iqm(Scores s, int[][] counts) {
        int n = s.size();
        int cut = (int) (0.25 * n);
        int from = cut;
        int to = n - cut;
        double sum = 0;
        int pos = 0;
        for (int i = 0; i < n && pos < to; i++) {
            int c = counts[s.pooledTask[i]][s.pooledRun[i]];
            if (c == 0) {
                continue;
            }
            int a = Math.max(pos, from);
            int b = Math.min(pos + c, to);
            if (b > a) {
                sum += s.pooledValue[i] * (b - a);
            }
            pos += c;
        }
        return sum / (to - from);
    }

    /** Mean score of each task. */
    static double[] taskMeans(Scores s, int[][] counts) {
        double[] m = new double[s.tasks()];
        for (int t = 0; t < m.length; t++) {
            double sum = 0;
            int[] c = counts[t];
            for (int r = 0; r < c.length; r++) {
                sum += c[r] * s.value(t, r);
            }
            m[t] = sum / s.runs(t);
        }
        return m;
    }

    /** Mean over tasks of the per-task mean scores. */
    public static double mean(Scores s, int[][] counts) {
        double[] m = taskMeans(s, counts);
        double sum = 0;
        for (double v : m) {
            sum += v;
        }
        return sum / m.length;
    }

    /** Median over tasks of the per-task mean scores (the mean of the two middle ones for an even count). */
    public static double median(Scores s, int[][] counts) {
        double[] m = taskMeans(s, counts);
        Arrays.sort(m);
        int k = m.length / 2;
        return m.length % 2 == 1 ? m[k] : (m[k - 1] + m[k]) / 2;
    }

    /** How far the scores fall short of gamma: gamma - mean(min(score, gamma)) over all runs and tasks. */
    public static double optimalityGap(Scores s, int[][] counts, double gamma) {
        double sum = 0;
        for (int t = 0; t < s.tasks(); t++) {
            int[] c = counts[t];
            for (int r = 0; r < c.length; r++) {
                sum += c[r] * Math.min(s.value(t, r), gamma);
            }
        }
        return gamma - sum / s.size();
    }

    /** The score distribution: for each tau (ascending or not), the fraction of all scores above it. */
    public static double[] fractionAbove(Scores s, int[][] counts, double[] taus) {
        int n = s.size();
        long[] below = new long[n + 1]; // below[i]: drawn scores at pooled positions < i
        for (int i = 0; i < n; i++) {
            below[i + 1] = below[i] + counts[s.pooledTask[i]][s.pooledRun[i]];
        }
        double[] out = new double[taus.length];
        for (int k = 0; k < taus.length; k++) {
            int p = upperBound(s.pooledValue, taus[k]);
            out[k] = (double) (n - below[p]) / n;
        }
        return out;
    }

    /** First position whose value is above x. */
    private static int upperBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Probability that a run of X scores above a run of Y (ties count half), per task, averaged
     * over tasks. Task t of X is compared with task t of Y.
     */
    public static double probabilityOfImprovement(Scores x, int[][] cx, Scores y, int[][] cy) {
        if (x.tasks() != y.tasks()) {
            throw new IllegalArgumentException("X has " + x.tasks() + " tasks, Y " + y.tasks());
        }
        double sum = 0;
        for (int t = 0; t < x.tasks(); t++) {
            int[] ox = x.taskOrder[t];
            int[] oy = y.taskOrder[t];
            double u = 0;
            long below = 0; // drawn Y runs scoring below the current x
            int j = 0;
            for (int i = 0; i < ox.length; i++) {
                int c = cx[t][ox[i]];
                if (c == 0) {
                    continue;
                }
                double v = x.value(t, ox[i]);
                while (j < oy.length && y.value(t, oy[j]) < v) {
                    below += cy[t][oy[j]];
                    j++;
                }
                long equal = 0;
                for (int k = j; k < oy.length && y.value(t, oy[k]) == v; k++) {
                    equal += cy[t][oy[k]];
                }
                u += c * (below + 0.5 * equal);
            }
            sum += u / ((double) x.runs(t) * y.runs(t));
        }
        return sum / x.tasks();
    }
}
