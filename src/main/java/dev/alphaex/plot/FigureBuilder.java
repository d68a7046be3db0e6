package dev.alphaex.plot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.merge.ConfigSummary;
import dev.alphaex.merge.ResultsSnapshot;
import dev.alphaex.merge.RunData;
import dev.alphaex.merge.Values;
import dev.alphaex.sweep.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a figure of the spec and a snapshot of the merged results into the charts' data: filter,
 * split, one curve per configuration with its band, the unequal-length policy, best k,
 * scaling, smoothing, labels with n, colours. Pure computation (single runs are read from the
 * store only for bootstrap bands, resampling and sensitivity scores).
 */
final class FigureBuilder {
    private final ResultsSnapshot snap;
    private final Palette palette;
    private final Map<String, Double> runScores;
    private final Set<String> splitKeys;
    private final RlFigures rl;

    /**
     * @param runScores cache of per-run scores, kept by the caller across replots (a merged run never changes)
     * @param splitKeys the keys some figure of the spec splits by (they set dashes, the other keys colours)
     */
    FigureBuilder(ResultsSnapshot snap, Palette palette, Map<String, Double> runScores, Set<String> splitKeys) {
        this.snap = snap;
        this.palette = palette;
        this.runScores = runScores;
        this.splitKeys = splitKeys;
        this.rl = new RlFigures(this, palette, splitKeys, snap.keys());
    }

    List<FigureData> build(FigureSpec f) {
        int m = snap.metric(f.metric());
        if (snap.metrics().isEmpty()) {
            return List.of(empty(f, f.name(), "", "No run merged yet: the charts appear when the first logs arrive"));
        }
        if (m < 0) {
            String problem = "metric '" + f.metric() + "' is not a column of the merged logs (" + String.join(", ",
                    snap.metrics()) + ")";
            FigureData d = empty(f, f.name(), "", problem);
            return List.of(withWarning(d, "figure '" + f.name() + "': " + problem));
        }
        List<ConfigSummary> configs = new ArrayList<>();
        for (ConfigSummary cs : snap.configurations()) {
            if (f.allowed() == null || f.allowed().contains(cs.combination())) {
                configs.add(cs);
            }
        }
        if (configs.isEmpty()) {
            return List.of(empty(f, f.name(), f.filterText(), "No merged run passes the filter " + f.filterText() + " yet"));
        }
        Map<List<String>, List<ConfigSummary>> groups = new LinkedHashMap<>();
        for (ConfigSummary cs : configs) {
            List<String> key = new ArrayList<>();
            for (String k : f.splitBy()) {
                key.add(k + "=" + Values.text(cs.configuration().get(k)));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(cs);
        }
        List<FigureData> out = new ArrayList<>();
        Set<String> files = new HashSet<>();
        for (Map.Entry<List<String>, List<ConfigSummary>> g : groups.entrySet()) {
            String file = fileName(f.name(), g.getKey(), files);
            List<ConfigSummary> members = g.getValue();
            out.add(switch (f.kind()) {
                case SENSITIVITY -> sensitivity(f, m, file, g.getKey(), members).withTable(sensitivityTable(f, m, members));
                case AGGREGATE -> rl.aggregate(f, m, file, g.getKey(), members).withTable(rl.table(f, m, members));
                case PROFILE -> rl.profile(f, m, file, g.getKey(), members).withTable(rl.table(f, m, members));
                case IMPROVEMENT -> rl.improvement(f, m, file, g.getKey(), members).withTable(rl.table(f, m, members));
                case CURVES -> f.statistic() == FigureSpec.Statistic.IQM
                        ? rl.iqmCurves(f, m, file, g.getKey(), members).withTable(rl.table(f, m, members))
                        : curves(f, m, file, g.getKey(), members);
            });
        }
        return out;
    }

    private static String fileName(String name, List<String> split, Set<String> taken) {
        String base = name;
        if (!split.isEmpty()) {
            base = name + "--" + String.join("--", split).replaceAll("[^A-Za-z0-9_.=-]", "_");
        }
        String file = base;
        for (int i = 2; !taken.add(file); i++) {
            file = base + "-" + i;
        }
        return file;
    }

    private FigureData empty(FigureSpec f, String file, String subtitle, String message) {
        return FigureData.ofCurves(file, f.title(), subtitle, f.xLabel(), f.yLabel(), f.logX(), f.logY(), f.width(),
                f.height(), List.of(), List.of(), false, List.of(), message);
    }

    private static FigureData withWarning(FigureData d, String w) {
        List<String> ws = new ArrayList<>(d.warnings());
        ws.add(w);
        return d.withCurves(d.curves(), ws);
    }

    static String describe(Configuration c) {
        List<String> parts = new ArrayList<>();
        c.values().forEach((k, v) -> parts.add(k + "=" + Values.text(v)));
        return parts.isEmpty() ? "the only configuration" : String.join(", ", parts);
    }

    // ---------------------------------------------------------------- learning curves

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

    private FigureData curves(FigureSpec f, int m, String file, List<String> split, List<ConfigSummary> group) {
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
        List<String> labelKeys = varyingKeys(cands.stream().map(c -> c.cs.configuration()).toList(), excluded);
        List<FigureData.Curve> curves = new ArrayList<>();
        for (Candidate c : cands) {
            double[] y = c.y.clone();
            double[] lo = c.lo.clone();
            double[] hi = c.hi.clone();
            scale(f.scale(), y, lo, hi);
            y = Series.smooth(y, f.smoothing());
            lo = Series.smooth(lo, f.smoothing());
            hi = Series.smooth(hi, f.smoothing());
            int[] style = palette.style(splitKeys, excluded, c.cs.configuration());
            curves.add(new FigureData.Curve(label(c.cs.configuration(), labelKeys, excluded) + " (n=" + c.runs + ")",
                    style[0], style[1], c.x, y, lo, hi, c.runs));
        }
        String message = curves.isEmpty() ? "No curve to draw: see the warnings" : null;
        List<String> tableLabels = new ArrayList<>();
        List<List<ConfigSummary>> tableRows = new ArrayList<>();
        for (Candidate c : cands) {
            tableLabels.add(label(c.cs.configuration(), labelKeys, excluded));
            tableRows.add(List.of(c.cs));
        }
        FigureData.ScoreTable table = rl.table(f, m, tableLabels, tableRows, false);
        return FigureData.ofCurves(file, f.title(), String.join("; ", notes), f.xLabel(), f.yLabel(), f.logX(), f.logY(),
                f.width(), f.height(), curves, List.of(), false, warnings, message).withTable(table);
    }

    /** The table of a sensitivity plot: one row per configuration (mean over runs). */
    private FigureData.ScoreTable sensitivityTable(FigureSpec f, int m, List<ConfigSummary> group) {
        Set<String> excluded = new HashSet<>(f.splitBy());
        List<String> labelKeys = varyingKeys(group.stream().map(ConfigSummary::configuration).toList(), excluded);
        List<String> labels = new ArrayList<>();
        List<List<ConfigSummary>> rows = new ArrayList<>();
        for (ConfigSummary cs : group) {
            labels.add(label(cs.configuration(), labelKeys, excluded));
            rows.add(List.of(cs));
        }
        return rl.table(f, m, labels, rows, false);
    }

    private static void scale(double s, double[] y, double[] lo, double[] hi) {
        for (int i = 0; i < y.length; i++) {
            y[i] *= s;
            double a = lo[i] * s;
            double b = hi[i] * s;
            lo[i] = Math.min(a, b);
            hi[i] = Math.max(a, b);
        }
    }

    /** Keys (not excluded) whose values differ among the configurations: they tell the curves apart. */
    List<String> varyingKeys(List<Configuration> configs, Set<String> excluded) {
        List<String> keys = new ArrayList<>();
        for (String k : snap.keys()) {
            if (excluded.contains(k)) {
                continue;
            }
            Set<String> seen = new LinkedHashSet<>();
            for (Configuration c : configs) {
                JsonNode v = c.get(k);
                seen.add(v == null ? "\u0000" : Values.text(v));
            }
            if (seen.size() > 1) {
                keys.add(k);
            }
        }
        return keys;
    }

    static String label(Configuration c, List<String> keys, Set<String> excluded) {
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            JsonNode v = c.get(k);
            if (v != null) {
                parts.add(k + "=" + Values.text(v));
            }
        }
        if (parts.isEmpty()) {
            c.values().forEach((k, v) -> {
                if (!excluded.contains(k)) {
                    parts.add(k + "=" + Values.text(v));
                }
            });
        }
        return parts.isEmpty() ? "all runs" : String.join(", ", parts);
    }

    /** The mean curve and band of one configuration under the figure's unequal-length policy. */
    private Candidate stats(FigureSpec f, int m, ConfigSummary cs, List<String> warnings) {
        int runs = cs.runs();
        double[] steps = cs.steps();
        long[] n = cs.n();
        int full = 0;
        for (long k : n) {
            if (k == runs) {
                full++;
            }
        }
        boolean equal = full == steps.length;
        String who = describe(cs.configuration());
        Candidate c = new Candidate();
        c.cs = cs;
        c.runs = runs;
        if (equal || f.unequalLength() == FigureSpec.UnequalLength.TRUNCATE) {
            if (!equal) {
                if (full == 0) {
                    warnings.add(who + ": no step is logged by all " + runs + " runs, so truncating leaves nothing; "
                            + "use unequalLength: resample");
                    return null;
                }
                warnings.add(who + ": the " + runs + " runs have unequal lengths (" + lengths(cs) + "); truncated to the "
                        + full + " of " + steps.length + " steps that every run logged, so every point averages all "
                        + runs + " runs");
            }
            double[] mean = cs.mean(m);
            double[] se = cs.stdErr(m);
            c.x = new double[full];
            c.y = new double[full];
            double[] s = new double[full];
            for (int i = 0, j = 0; i < steps.length; i++) {
                if (n[i] == runs) {
                    c.x[j] = steps[i];
                    c.y[j] = mean[i];
                    s[j] = se[i];
                    j++;
                }
            }
            if (f.band() == FigureSpec.Band.BOOTSTRAP && runs >= 2) {
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
        if (runs < 2 && f.band() != FigureSpec.Band.NONE) {
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
            double[] s = run(index).steps();
            shortest = Math.min(shortest, s[s.length - 1]);
            longest = Math.max(longest, s[s.length - 1]);
        }
        return "the shortest ends at step " + step(shortest) + ", the longest at step " + step(longest);
    }

    /** A step as text: whole steps without a decimal point. */
    static String step(double s) {
        return s == Math.rint(s) && Math.abs(s) < 1e15 ? Long.toString((long) s) : Values.number(s);
    }

    RunData run(long index) {
        try {
            return snap.run(index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run of index " + index, e);
        }
    }

    /** Every run's values at the given steps (which every run logged): runs x points. */
    private double[][] matrix(ConfigSummary cs, int m, double[] x) {
        long[] indices = cs.indices();
        double[][] v = new double[indices.length][x.length];
        for (int r = 0; r < indices.length; r++) {
            RunData run = run(indices[r]);
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
        RunData[] runs = new RunData[indices.length];
        double a = Double.NEGATIVE_INFINITY;
        double b = Double.POSITIVE_INFINITY;
        for (int r = 0; r < runs.length; r++) {
            runs[r] = run(indices[r]);
            double[] s = runs[r].steps();
            a = Math.max(a, s[0]);
            b = Math.min(b, s[s.length - 1]);
        }
        if (!(a < b)) {
            warnings.add(who + ": the runs share no range of steps to resample on (every run must cover it); no curve");
            return false;
        }
        c.x = Series.grid(a, b, f.resamplePoints());
        double[][] v = new double[runs.length][c.x.length];
        for (int r = 0; r < runs.length; r++) {
            for (int p = 0; p < c.x.length; p++) {
                v[r][p] = Series.interpolate(runs[r].steps(), runs[r].values(m), c.x[p]);
            }
        }
        double[][] ms = Series.meanAndStdErr(v, c.x.length);
        c.y = ms[0];
        if (f.band() == FigureSpec.Band.BOOTSTRAP && runs.length >= 2) {
            double[][] lohi = Series.bootstrap(v, c.x.length, f.bootstrap());
            c.lo = lohi[0];
            c.hi = lohi[1];
        } else {
            band(f, c, ms[1]);
        }
        warnings.add(who + ": the " + runs.length + " runs do not all log the same steps (lengths or step values differ); "
                + "each run was interpolated linearly on " + f.resamplePoints() + " points from step " + step(a) + " to "
                + step(b) + ", the range every run covers");
        return true;
    }

    // ---------------------------------------------------------------- sensitivity

    private FigureData sensitivity(FigureSpec f, int m, String file, List<String> split, List<ConfigSummary> group) {
        List<String> warnings = new ArrayList<>();
        String param = f.parameter();
        boolean numeric = true;
        for (ConfigSummary cs : group) {
            JsonNode v = cs.configuration().get(param);
            numeric &= v != null && v.isNumber();
        }
        List<String> categories = new ArrayList<>();
        if (!numeric) {
            for (ConfigSummary cs : group) {
                String t = Values.text(cs.configuration().get(param));
                if (!categories.contains(t)) {
                    categories.add(t);
                }
            }
        }
        Set<String> excluded = new HashSet<>(f.splitBy());
        excluded.add(param);
        // one line per value of the other keys
        Map<List<String>, List<ConfigSummary>> lines = new LinkedHashMap<>();
        for (ConfigSummary cs : group) {
            List<String> id = new ArrayList<>();
            for (String k : snap.keys()) {
                if (!excluded.contains(k)) {
                    id.add(Values.text(cs.configuration().get(k)));
                }
            }
            lines.computeIfAbsent(id, k -> new ArrayList<>()).add(cs);
        }
        List<String> labelKeys = varyingKeys(group.stream().map(ConfigSummary::configuration).toList(), excluded);
        List<FigureData.Curve> curves = new ArrayList<>();
        for (List<ConfigSummary> line : lines.values()) {
            TreeMap<Double, double[]> points = new TreeMap<>();
            int minRuns = Integer.MAX_VALUE;
            int maxRuns = 0;
            for (ConfigSummary cs : line) {
                double[] stat = runScores(f, m, cs, warnings);
                if (stat == null) {
                    continue;
                }
                JsonNode pv = cs.configuration().get(param);
                double x = numeric ? pv.asDouble() : categories.indexOf(Values.text(pv));
                points.put(x, stat);
                minRuns = Math.min(minRuns, cs.runs());
                maxRuns = Math.max(maxRuns, cs.runs());
            }
            if (points.isEmpty()) {
                continue;
            }
            int k = points.size();
            double[] x = new double[k];
            double[] y = new double[k];
            double[] lo = new double[k];
            double[] hi = new double[k];
            int i = 0;
            for (Map.Entry<Double, double[]> p : points.entrySet()) {
                x[i] = p.getKey();
                y[i] = p.getValue()[0];
                double s = f.band() == FigureSpec.Band.NONE || Double.isNaN(p.getValue()[1]) ? 0 : p.getValue()[1];
                lo[i] = y[i] - s;
                hi[i] = y[i] + s;
                i++;
            }
            scale(f.scale(), y, lo, hi);
            Configuration first = line.get(0).configuration();
            // a line here is a group of configurations (all values of the parameter): coloured by what tells lines apart
            int rank = palette.rank(excluded, first);
            int[] style = {rank, Palette.dashOf(rank)};
            String n = minRuns == maxRuns ? "n=" + minRuns : "n=" + minRuns + ".." + maxRuns;
            String label = labelKeys.isEmpty() ? f.metric() : label(first, labelKeys, excluded);
            curves.add(new FigureData.Curve(label + " (" + n + ")", style[0], style[1], x, y, lo, hi, minRuns));
        }
        List<String> notes = new ArrayList<>(split);
        if (!f.filterText().isEmpty()) {
            notes.add(f.filterText());
        }
        notes.add("each point: " + f.score().describe() + " per run, mean over runs");
        if (f.band() != FigureSpec.Band.NONE) {
            notes.add("bands: \u00b1 1 standard error over runs");
        }
        if (f.band() == FigureSpec.Band.BOOTSTRAP) {
            warnings.add("figure '" + f.name() + "': sensitivity plots show standard errors; bootstrap bands are for "
                    + "learning curves");
        }
        return FigureData.ofCurves(file, f.title(), String.join("; ", notes), f.xLabel(), f.yLabel(), f.logX(), f.logY(),
                f.width(), f.height(), curves, categories, true, warnings, curves.isEmpty() ? "No point to draw" : null);
    }

    /** Mean and standard error over runs of each run's score (see {@link #scores}), or null when none can be scored. */
    private double[] runScores(FigureSpec f, int m, ConfigSummary cs, List<String> warnings) {
        double[] scores = scores(f.score(), f.metric(), m, cs, warnings);
        if (scores == null) {
            return null;
        }
        double mean = 0;
        double m2 = 0;
        for (int r = 0; r < scores.length; r++) {
            double d = scores[r] - mean;
            mean += d / (r + 1);
            m2 += d * (scores[r] - mean);
        }
        int runs = scores.length;
        return new double[]{mean, runs < 2 ? Double.NaN : Math.sqrt(m2 / (runs - 1) / runs)};
    }

    /**
     * Each run's score (unscaled), over the steps every run of the configuration logged (the
     * truncation policy: scores of runs of different lengths are not comparable), or null (with a
     * warning) when no step is logged by all runs. Scores are cached: a merged run never changes.
     */
    double[] scores(FigureSpec.Score score, String metric, int m, ConfigSummary cs, List<String> warnings) {
        double[] steps = cs.steps();
        long[] n = cs.n();
        double upTo = Double.NaN;
        boolean cut = false;
        for (int i = 0; i < steps.length; i++) {
            if (n[i] == cs.runs()) {
                upTo = steps[i];
            } else {
                cut = true;
            }
        }
        String who = describe(cs.configuration());
        if (Double.isNaN(upTo)) {
            warnings.add(who + ": no step is logged by all runs; left out");
            return null;
        }
        if (cut) {
            String w = who + ": runs of unequal lengths; each run scored up to step " + step(upTo)
                    + ", the last step every run logged";
            if (!warnings.contains(w)) {
                warnings.add(w);
            }
        }
        long[] indices = cs.indices();
        final double limit = upTo;
        double[] out = new double[indices.length];
        for (int r = 0; r < indices.length; r++) {
            String key = indices[r] + "/" + metric + "/" + score + "/" + limit;
            int rr = r;
            out[r] = runScores.computeIfAbsent(key, k -> {
                RunData run = run(indices[rr]);
                double[] st = run.steps();
                int len = 0;
                while (len < st.length && st[len] <= limit) {
                    len++;
                }
                return Series.score(score, st, run.values(m), len);
            });
        }
        return out;
    }
}
