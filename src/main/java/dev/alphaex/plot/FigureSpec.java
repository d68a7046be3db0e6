package dev.alphaex.plot;

import dev.alphaex.plot.stats.Interval;
import dev.alphaex.plot.stats.Resampler;
import dev.alphaex.plot.stats.Scores;

import java.util.List;
import java.util.Set;

/**
 * One entry of the plot spec, with every default resolved. See {@link PlotSpec} for the file.
 *
 * @param name          file name of the chart (without extension); split figures add their values
 * @param kind          learning curves (a metric against steps) or a sensitivity plot
 * @param metric        the logged column to plot
 * @param scale         factor applied to the metric (100 turns a 0/1 column into percent)
 * @param splitBy       keys whose values each get a figure of their own
 * @param allowed       the configurations (sweep positions) the filter keeps, or null for all
 * @param filterText    the filter in words, for the subtitle ("" without a filter)
 * @param best          keep only the best k configurations of each figure, or null
 * @param parameter     for a sensitivity plot: the key on the x axis
 * @param score         for a sensitivity plot and the RL statistics: the per-run summary of the metric
 * @param task          for the RL statistics: the sweep key whose values are tasks (runs are resampled within
 *                      each task, and a configuration is the other keys' values), or null
 * @param statistic     for learning curves: the mean over runs, or the IQM over runs (and tasks)
 * @param gamma         for aggregate figures: the optimality gap's threshold, or null (no optimality gap)
 * @param taus          for performance profiles: the thresholds, or null (50 from the lowest score to the highest)
 * @param points        for IQM curves: at most this many steps carry the estimate and its interval
 */
public record FigureSpec(String name, Kind kind, String title, String metric, String xLabel, String yLabel,
                         double scale, List<String> splitBy, Set<Long> allowed, String filterText, Best best,
                         Smoothing smoothing, Band band, Bootstrap bootstrap, UnequalLength unequalLength,
                         int resamplePoints, boolean logX, boolean logY, int width, int height, String parameter,
                         Score score, String task, Statistic statistic, Double gamma, double[] taus, int points) {

    /** What a figure shows. */
    public enum Kind {
        /** A metric against steps, one curve per configuration. */
        CURVES,
        /** A per-run summary of a metric against a hyper-parameter's values. */
        SENSITIVITY,
        /** IQM, median, mean and optimality gap of a per-run score per configuration, with bootstrap intervals. */
        AGGREGATE,
        /** Performance profiles: the fraction of runs scoring above tau, against tau, with bootstrap bands. */
        PROFILE,
        /** Probability of improvement between configurations, with bootstrap intervals. */
        IMPROVEMENT;

        /** Whether the kind summarises each run by a score and compares configurations with rliable's statistics. */
        public boolean rl() {
            return this == AGGREGATE || this == PROFILE || this == IMPROVEMENT;
        }
    }

    /** What a learning curve shows at each step. */
    public enum Statistic {
        /** The mean over runs (the default), with a standard-error or bootstrap band. */
        MEAN,
        /** The interquartile mean over runs (and tasks), with a stratified bootstrap band. */
        IQM
    }

    /** The shaded band around each mean. */
    public enum Band {
        /** Mean plus and minus one standard error (the default). */
        STDERR,
        /** A percentile bootstrap interval of the mean over runs. */
        BOOTSTRAP,
        /** No band. */
        NONE
    }

    /** What to do when the runs of a configuration do not cover the same steps. */
    public enum UnequalLength {
        /** Keep only the steps every run logged (the default), and say so. */
        TRUNCATE,
        /** Interpolate every run on a common grid over the range all runs cover, and say so. */
        RESAMPLE
    }

    /** How runs are ranked (best k) or summarised (sensitivity): area under the curve or mean of the last part. */
    public record Score(boolean auc, double lastFraction) {
        public String describe() {
            return auc ? "area under the curve" : "mean of the last " + percent(lastFraction);
        }

        private static String percent(double f) {
            double p = f * 100;
            return (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + "% of steps";
        }
    }

    /** Keep the k best configurations by a score. */
    public record Best(int k, Score score, boolean higherIsBetter) {
    }

    /** Smoothing of the plotted curves (and their bands); off by default. */
    public record Smoothing(Type type, double weight, int window) {
        public static final Smoothing NONE = new Smoothing(Type.NONE, 0, 0);

        /** The kind of smoothing. */
        public enum Type { NONE, EXPONENTIAL, WINDOW }

        public String describe() {
            switch (type) {
                case EXPONENTIAL:
                    return "exponential smoothing " + weight;
                case WINDOW:
                    return "moving average over " + window + " points";
                default:
                    return "";
            }
        }
    }

    /** The bootstrap interval's settings. */
    public record Bootstrap(int resamples, double confidence, long seed) {
        /** Stratified resampling of runs within each stratum (task), seeded with these settings. */
        public Resampler resampler(int[] strata) {
            return Resampler.random(strata, seed);
        }

        /** Stratified percentile intervals of statistics of the scores, with these settings. */
        public Interval[] intervals(dev.alphaex.plot.stats.Bootstrap.Statistic[] statistics, Scores s) {
            return dev.alphaex.plot.stats.Bootstrap.intervals(statistics, s.once(), resampler(s.strata()), resamples,
                    confidence, s.size());
        }
    }
}
