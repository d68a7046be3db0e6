package dev.alphaex.plot.stats;

/**
 * The probability of improvement of X over Y with its stratified bootstrap interval: X and Y are
 * resampled independently (each task's runs within the task), as rliable's
 * StratifiedIndependentBootstrap does. Tasks are paired by position.
 */
public final class Improvement {
    private final Scores x;
    private final Scores y;

    public Improvement(Scores x, Scores y) {
        if (x.tasks() != y.tasks()) {
            throw new IllegalArgumentException("X has " + x.tasks() + " tasks, Y " + y.tasks());
        }
        this.x = x;
        this.y = y;
    }

    /** The strata of one resample: X's tasks, then Y's. */
    public int[] strata() {
        int k = x.tasks();
        int[] s = new int[2 * k];
        for (int t = 0; t < k; t++) {
            s[t] = x.runs(t);
            s[k + t] = y.runs(t);
        }
        return s;
    }

    private double of(int[][] counts) {
        int k = x.tasks();
        int[][] cx = new int[k][];
        int[][] cy = new int[k][];
        for (int t = 0; t < k; t++) {
            cx[t] = counts[t];
            cy[t] = counts[k + t];
        }
        return Aggregates.probabilityOfImprovement(x, cx, y, cy);
    }

    /** P(X &gt; Y) on the data, and its percentile interval from the resampler's resamples. */
    public Interval interval(Resampler resampler, int resamples, double confidence) {
        int[][] once = new int[2 * x.tasks()][];
        int[][] ox = x.once();
        int[][] oy = y.once();
        for (int t = 0; t < x.tasks(); t++) {
            once[t] = ox[t];
            once[x.tasks() + t] = oy[t];
        }
        return Bootstrap.intervals(new Bootstrap.Statistic[]{this::of}, once, resampler, resamples, confidence,
                x.size() + y.size())[0];
    }
}
