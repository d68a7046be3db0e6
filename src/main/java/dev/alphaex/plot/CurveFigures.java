package dev.alphaex.plot;

import dev.alphaex.merge.ConfigSummary;
import dev.alphaex.merge.RunData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Learning curves: one curve per configuration, the mean over its runs with a band (standard
 * error from the summaries, or a bootstrap interval over its runs), under the figure's
 * unequal-length policy (truncate or resample), best k, scaling and smoothing.
 */
final class CurveFigures {
    private final List<String> keys;
    private final Palette palette;
    private final Set<String> splitKeys;
    private final RunScores runs;
    private final ScoreTables tables;

    CurveFigures(List<String> keys, Palette palette, Set<String> splitKeys, RunScores runs, ScoreTables tables) {
        this.keys = keys;
        this.palette = palette;
        this.splitKeys = splitKeys;
        this.runs = runs;
        this.tables = tables;
    }

    /** A configuration's curve before labels, scaling and smoothing. */
    private static final class Candidate {
        ConfigSummary cs;
        double[] x;
        double[] y;
        double[] lo;
        double[] hi;
        int runs;
        double score;
        final List<String> warnings = new ArrayList<>();
    }

    FigureData curves(FigureSpec f, int m, String file, List<String> split, List<ConfigSummary> group) {
        List<String> warnings = new ArrayList<>();
        List<Candidate> cands = new ArrayList<>();
        for (ConfigSummary cs : group) {
            List<String> own = new ArrayList<>();
            Candidate c = stats(f, m, cs, own);
            if (c != null) {
                c.warnings.addAll(own);
                cands.add(c);
            } else {
                warnings.addAll(own); // a configuration that cannot be drawn is always reported
            }
        }
        List<String> notes = new ArrayList<>(split);
        if (!f.filterText().isEmpty()) {
            notes.add(f.filterText());
        }
        if (f.best() != null && cands.size() > f.best().k()) {
            FigureSpec.Best b = f.best();
            for (Candidate c : cands) {
                c.score = Series.score(b.score(), c.x, c.y, c.x.length);
            }
            Comparator<Candidate> order = Comparator.comparingDouble(c -> c.score);
            cands.sort(b.higherIsBetter() ? order.reversed() : order);
            notes.add("best " + b.k() + " of " + cands.size() + " by " + b.score().describe()
                    + (b.higherIsBetter() ? "" : " (lower is better)"));
            cands = new ArrayList<>(cands.subList(0, b.k()));
            cands.sort(Comparator.comparingLong(c -> c.cs.combination()));
        }
        if (f.smoothing().type() != FigureSpec.Smoothing.Type.NONE) {
            notes.add(f.smoothing().describe());
        }
        if (f.band() == FigureSpec.Band.BOOTSTRAP) {
            notes.add("bands: " + Math.round(f.bootstrap().confidence() * 100) + "% bootstrap intervals");
        } else if (f.band() == FigureSpec.Band.STDERR) {
            notes.add("bands: \u00b1 1 standard error");
        }
        for (Candidate c : cands) {
            warnings.addAll(c.warnings); // only the curves drawn
        }
        Set<String> excluded = new HashSet<>(f.splitBy());
        List<String> labelKeys = Labels.varyingKeys(keys, cands.stream().map(c -> c.cs.configuration()).toList(), excluded);
        List<FigureData.Curve> curves = new ArrayList<>();
        List<String> tableLabels = new ArrayList<>();
        for (Candidate c : cands) {
            double[] y = c.y.clone();
            double[] lo = c.lo.clone();
            double[] hi = c.hi.clone();
            Series.scale(f.scale(), y, lo, hi);
            y = Series.smooth(y, f.smoothing());
            lo = Series.smooth(lo, f.smoothing());
            hi = Series.smooth(hi, f.smoothing());
            int[] style = palette.style(splitKeys, excluded, c.cs.configuration());
            String label = Labels.label(c.cs.configuration(), labelKeys, excluded);
            curves.add(new FigureData.Curve(label + " (n=" + c.runs + ")", style[0], style[1], c.x, y, lo, hi, c.runs));
            tableLabels.add(label);
        }
        String message = curves.isEmpty() ? "No curve to draw: see the warnings" : null;
        FigureData.ScoreTable table = tables.perConfiguration(f, m, tableLabels, cands.stream().map(c -> c.cs).toList());
        return FigureData.ofCurves(file, f.title(), String.join("; ", notes), f.xLabel(), f.yLabel(), f.logX(), f.logY(),
                f.width(), f.height(), curves, List.of(), false, warnings, message).withTable(table);
    }

    /** The mean curve and band of one configuration under the figure's unequal-length policy. */
    private Candidate stats(FigureSpec f, int m, ConfigSummary cs, List<String> warnings) {
        int runCount = cs.runs();
        double[] steps = cs.steps();
        long[] n = cs.n();
        int full = 0;
        for (long k : n) {
            if (k == runCount) {
                full++;
            }
        }
        boolean equal = full == steps.length;
        String who = Labels.describe(cs.configuration());
        Candidate c = new Candidate();
        c.cs = cs;
        c.runs = runCount;
        if (equal || f.unequalLength() == FigureSpec.UnequalLength.TRUNCATE) {
            if (!equal) {
                if (full == 0) {
                    warnings.add(who + ": no step is logged by all " + runCount + " runs, so truncating leaves nothing; "
                            + "use unequalLength: resample");
                    return null;
                }
                warnings.add(who + ": the " + runCount + " runs have unequal lengths (" + lengths(cs) + "); truncated to the "
                        + full + " of " + steps.length + " steps that every run logged, so every point averages all "
                        + runCount + " runs");
            }
            double[] mean = cs.mean(m);
            double[] se = cs.stdErr(m);
            c.x = new double[full];
            c.y = new double[full];
            double[] s = new double[full];
            for (int i = 0, j = 0; i < steps.length; i++) {
                if (n[i] == runCount) {
                    c.x[j] = steps[i];
                    c.y[j] = mean[i];
                    s[j] = se[i];
                    j++;
                }
            }
            if (f.band() == FigureSpec.Band.BOOTSTRAP && runCount >= 2) {
                double[][] lohi = Series.bootstrap(matrix(cs, m, c.x), c.x.length, f.bootstrap());
                c.lo = lohi[0];
                c.hi = lohi[1];
            } else {
                band(f, c, s);
            }
        } else {
            if (!resample(f, m, cs, c, who, warnings)) {
                return null;
            }
        }
        if (runCount < 2 && f.band() != FigureSpec.Band.NONE) {
            warnings.add(who + ": a single run, so no band");
        }
        return c;
    }

    private static void band(FigureSpec f, Candidate c, double[] se) {
        c.lo = new double[c.y.length];
        c.hi = new double[c.y.length];
        for (int i = 0; i < c.y.length; i++) {
            double s = f.band() == FigureSpec.Band.STDERR && !Double.isNaN(se[i]) ? se[i] : 0;
            c.lo[i] = c.y[i] - s;
            c.hi[i] = c.y[i] + s;
        }
    }

    private String lengths(ConfigSummary cs) {
        double shortest = Double.POSITIVE_INFINITY;
        double longest = Double.NEGATIVE_INFINITY;
        for (long index : cs.indices()) {
            double[] s = runs.run(index).steps();
            shortest = Math.min(shortest, s[s.length - 1]);
            longest = Math.max(longest, s[s.length - 1]);
        }
        return "the shortest ends at step " + Labels.step(shortest) + ", the longest at step " + Labels.step(longest);
    }

    /** Every run's values at the given steps (which every run logged): runs x points. */
    private double[][] matrix(ConfigSummary cs, int m, double[] x) {
        long[] indices = cs.indices();
        double[][] v = new double[indices.length][x.length];
        for (int r = 0; r < indices.length; r++) {
            RunData run = runs.run(indices[r]);
            double[] steps = run.steps();
            double[] values = run.values(m);
            int from = 0;
            for (int p = 0; p < x.length; p++) {
                int i = Arrays.binarySearch(steps, from, steps.length, x[p]);
                v[r][p] = values[i];
                from = i + 1;
            }
        }
        return v;
    }

    private boolean resample(FigureSpec f, int m, ConfigSummary cs, Candidate c, String who, List<String> warnings) {
        long[] indices = cs.indices();
        RunData[] all = new RunData[indices.length];
        double a = Double.NEGATIVE_INFINITY;
        double b = Double.POSITIVE_INFINITY;
        for (int r = 0; r < all.length; r++) {
            all[r] = runs.run(indices[r]);
            double[] s = all[r].steps();
            a = Math.max(a, s[0]);
            b = Math.min(b, s[s.length - 1]);
        }
        if (!(a < b)) {
            warnings.add(who + ": the runs share no range of steps to resample on (every run must cover it); no curve");
            return false;
        }
        c.x = Series.grid(a, b, f.resamplePoints());
        double[][] v = new double[all.length][c.x.length];
        for (int r = 0; r < all.length; r++) {
            for (int p = 0; p < c.x.length; p++) {
                v[r][p] = Series.interpolate(all[r].steps(), all[r].values(m), c.x[p]);
            }
        }
        double[][] ms = Series.meanAndStdErr(v, c.x.length);
        c.y = ms[0];
        if (f.band() == FigureSpec.Band.BOOTSTRAP && all.length >= 2) {
            double[][] lohi = Series.bootstrap(v, c.x.length, f.bootstrap());
            c.lo = lohi[0];
            c.hi = lohi[1];
        } else {
            band(f, c, ms[1]);
        }
        warnings.add(who + ": the " + all.length + " runs do not all log the same steps (lengths or step values differ); "
                + "each run was interpolated linearly on " + f.resamplePoints() + " points from step " + Labels.step(a)
                + " to " + Labels.step(b) + ", the range every run covers");
        return true;
    }
}
