package dev.alphaex.plot;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The arithmetic of curves: smoothing, scores, interpolation, bootstrap intervals. Static and pure. */
final class Series {
    private Series() {
    }

    /** Exponential smoothing with bias correction (as TensorBoard): s = w*s + (1-w)*x, divided by 1-w^t. */
    static double[] exponential(double[] x, double w) {
        double[] out = new double[x.length];
        double s = 0;
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            s = w * s + (1 - w) * x[i];
            norm = w * norm + (1 - w);
            out[i] = s / norm;
        }
        return out;
    }

    /** Trailing moving average over up to {@code window} points (fewer at the start). */
    static double[] window(double[] x, int window) {
        double[] out = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i];
            if (i >= window) {
                sum -= x[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    static double[] smooth(double[] y, FigureSpec.Smoothing s) {
        switch (s.type()) {
            case EXPONENTIAL:
                return exponential(y, s.weight());
            case WINDOW:
                return window(y, s.window());
            default:
                return y;
        }
    }

    /** Multiplies a curve and its band by a factor (a negative one swaps the band's bounds). */
    static void scale(double s, double[] y, double[] lo, double[] hi) {
        for (int i = 0; i < y.length; i++) {
            y[i] *= s;
            double a = lo[i] * s;
            double b = hi[i] * s;
            lo[i] = Math.min(a, b);
            hi[i] = Math.max(a, b);
        }
    }

    /** Area under the curve by the trapezoid rule (a single point: its value). */
    static double auc(double[] x, double[] y, int length) {
        if (length == 1) {
            return y[0];
        }
        double a = 0;
        for (int i = 1; i < length; i++) {
            a += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }
        return a;
    }

    /** Mean of the last {@code fraction} of the first {@code length} points (at least one point). */
    static double lastMean(double[] y, int length, double fraction) {
        int k = Math.max(1, (int) Math.ceil(fraction * length - 1e-9));
        double sum = 0;
        for (int i = length - k; i < length; i++) {
            sum += y[i];
        }
        return sum / k;
    }

    static double score(FigureSpec.Score s, double[] x, double[] y, int length) {
        return s.auc() ? auc(x, y, length) : lastMean(y, length, s.lastFraction());
    }

    /** Linear interpolation of (xs, ys) at x, for x within [xs[0], xs[last]]. */
    static double interpolate(double[] xs, double[] ys, double x) {
        int i = Arrays.binarySearch(xs, x);
        if (i >= 0) {
            return ys[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        double t = (x - xs[lo]) / (xs[hi] - xs[lo]);
        return ys[lo] + t * (ys[hi] - ys[lo]);
    }

    /** Evenly spaced points from a to b. */
    static double[] grid(double a, double b, int points) {
        double[] g = new double[points];
        for (int i = 0; i < points; i++) {
            g[i] = i == points - 1 ? b : a + (b - a) * i / (points - 1);
        }
        return g;
    }

    /** Column means and standard errors of a runs x points matrix. */
    static double[][] meanAndStdErr(double[][] v, int points) {
        int r = v.length;
        double[] mean = new double[points];
        double[] se = new double[points];
        for (int p = 0; p < points; p++) {
            double mu = 0;
            double m2 = 0;
            for (int k = 0; k < r; k++) {
                double d = v[k][p] - mu;
                mu += d / (k + 1);
                m2 += d * (v[k][p] - mu);
            }
            mean[p] = mu;
            se[p] = r < 2 ? Double.NaN : Math.sqrt(m2 / (r - 1) / r);
        }
        return new double[][]{mean, se};
    }

    /**
     * Percentile bootstrap interval of the mean over runs at every point: each resample draws
     * runs with replacement (whole runs, so a resampled curve is a curve of real runs).
     *
     * @return {lo, hi}
     */
    static double[][] bootstrap(double[][] v, int points, FigureSpec.Bootstrap b) {
        int r = v.length;
        double[][] means = new double[points][b.resamples()];
        SplittableRandom rnd = new SplittableRandom(b.seed());
        int[] pick = new int[r];
        double[] acc = new double[points];
        for (int s = 0; s < b.resamples(); s++) {
            for (int k = 0; k < r; k++) {
                pick[k] = rnd.nextInt(r);
            }
            Arrays.fill(acc, 0);
            for (int k = 0; k < r; k++) {
                double[] row = v[pick[k]];
                for (int p = 0; p < points; p++) {
                    acc[p] += row[p];
                }
            }
            for (int p = 0; p < points; p++) {
                means[p][s] = acc[p] / r;
            }
        }
        double alpha = (1 - b.confidence()) / 2;
        double[] lo = new double[points];
        double[] hi = new double[points];
        for (int p = 0; p < points; p++) {
            Arrays.sort(means[p]);
            lo[p] = quantile(means[p], alpha);
            hi[p] = quantile(means[p], 1 - alpha);
        }
        return new double[][]{lo, hi};
    }

    /** Linear-interpolated quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }
}
