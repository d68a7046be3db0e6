package dev.alphaex.plot;

import dev.alphaex.merge.ConfigSummary;
import dev.alphaex.merge.RunData;
import dev.alphaex.merge.Values;
import dev.alphaex.plot.stats.Aggregates;
import dev.alphaex.plot.stats.Bootstrap;
import dev.alphaex.plot.stats.Improvement;
import dev.alphaex.plot.stats.Interval;
import dev.alphaex.plot.stats.Scores;
import dev.alphaex.sweep.Configuration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures of rliable's statistics (aggregate metrics, performance profiles, probability of
 * improvement, IQM curves) and their tables (IQM of the final score and AUC, {@link ScoreTables}). A configuration here
 * is the values of the keys other than the figure's task key; its runs are grouped by task, and
 * every interval is a stratified percentile bootstrap (runs resampled within each task) with the
 * figure's resamples, confidence and seed (see {@link dev.alphaex.plot.stats}).
 */
final class RlFigures {
    /** More configurations than this: the probability of improvement is shown against the first only. */
    private static final int ALL_PAIRS_UP_TO = 8;
    private final List<String> keys;
    private final Palette palette;
    private final Set<String> splitKeys;
    private final RunScores runs;
    private final ScoreTables tables;

    RlFigures(List<String> keys, Palette palette, Set<String> splitKeys, RunScores runs, ScoreTables tables) {
        this.keys = keys;
        this.palette = palette;
        this.splitKeys = splitKeys;
        this.runs = runs;
        this.tables = tables;
    }

    /** A configuration of the statistics: one member (a configuration of the sweep) per task, in sweep order. */
    record Group(String label, int colour, int dash, List<String> tasks, List<ConfigSummary> members) {
        int runs() {
            return members.stream().mapToInt(ConfigSummary::runs).sum();
        }
    }

    /** The figure's configurations: the sweep's, grouped by their values of every key but the task key. */
    List<Group> groups(FigureSpec f, List<ConfigSummary> configs) {
        Map<List<String>, List<ConfigSummary>> byId = new LinkedHashMap<>();
        for (ConfigSummary cs : configs) {
            List<String> id = new ArrayList<>();
            for (String k : keys) {
                if (!k.equals(f.task())) {
                    id.add(Values.text(cs.configuration().get(k)));
                }
            }
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(cs);
        }
        Set<String> excluded = new HashSet<>(f.splitBy());
        if (f.task() != null) {
            excluded.add(f.task());
        }
        List<Configuration> firsts = byId.values().stream().map(l -> l.get(0).configuration()).toList();
        List<String> labelKeys = Labels.varyingKeys(keys, firsts, excluded);
        List<Group> out = new ArrayList<>();
        for (List<ConfigSummary> members : byId.values()) {
            Configuration first = members.get(0).configuration();
            int[] style = palette.style(splitKeys, excluded, first);
            List<String> tasks = new ArrayList<>();
            for (ConfigSummary cs : members) {
                tasks.add(f.task() == null ? "" : Values.text(cs.configuration().get(f.task())));
            }
            out.add(new Group(Labels.label(first, labelKeys, excluded), style[0], style[1], tasks, members));
        }
        return out;
    }

    private List<String> notes(FigureSpec f, List<String> split, List<Group> groups) {
        List<String> notes = new ArrayList<>(split);
        if (!f.filterText().isEmpty()) {
            notes.add(f.filterText());
        }
        if (f.kind() != FigureSpec.Kind.CURVES) {
            notes.add("score per run: " + f.score().describe());
        }
        if (f.task() != null) {
            Set<String> tasks = new java.util.LinkedHashSet<>();
            groups.forEach(g -> tasks.addAll(g.tasks()));
            notes.add("tasks: " + f.task() + " (" + tasks.size() + ")");
        }
        notes.add(Math.round(f.bootstrap().confidence() * 100) + "% stratified bootstrap intervals ("
                + f.bootstrap().resamples() + " resamples)");
        return notes;
    }

    private FigureData figure(FigureSpec f, String file, List<String> notes, List<FigureData.Curve> curves,
                              List<FigureData.Panel> panels, List<String> warnings) {
        boolean empty = curves.isEmpty() && panels.stream().allMatch(p -> p.rows().isEmpty());
        return new FigureData(file, f.title(), String.join("; ", notes), f.xLabel(), f.yLabel(), f.logX(), f.logY(),
                f.width(), f.height(), curves, List.of(), false, panels, null, warnings,
                empty ? "Nothing to draw: see the warnings" : null);
    }

    /** IQM, median, mean (and optimality gap with gamma) per configuration, with intervals. */
    FigureData aggregate(FigureSpec f, int m, String file, List<String> split, List<ConfigSummary> configs) {
        List<String> warnings = new ArrayList<>();
        List<Group> groups = groups(f, configs);
        String[] names = f.gamma() == null ? new String[]{"IQM", "Median", "Mean"}
                : new String[]{"IQM", "Median", "Mean", "Optimality gap (\u03b3 = " + Values.number(f.gamma()) + ")"};
        List<List<FigureData.Row>> rows = new ArrayList<>();
        for (String ignored : names) {
            rows.add(new ArrayList<>());
        }
        for (Group g : groups) {
            double[][] byTask = runs.byTask(f, f.score(), m, g.members(), warnings);
            if (byTask == null) {
                continue;
            }
            Scores s = Scores.of(byTask);
            List<Bootstrap.Statistic> stats = new ArrayList<>(List.of(c -> Aggregates.iqm(s, c),
                    c -> Aggregates.median(s, c), c -> Aggregates.mean(s, c)));
            if (f.gamma() != null) {
                stats.add(c -> Aggregates.optimalityGap(s, c, f.gamma()));
            }
            Interval[] iv = f.bootstrap().intervals(stats.toArray(new Bootstrap.Statistic[0]), s);
            for (int k = 0; k < names.length; k++) {
                rows.get(k).add(new FigureData.Row(g.label() + " (n=" + s.size() + ")", g.colour(), iv[k]));
            }
        }
        List<FigureData.Panel> panels = new ArrayList<>();
        for (int k = 0; k < names.length; k++) {
            panels.add(new FigureData.Panel(names[k], rows.get(k), null));
        }
        List<String> notes = notes(f, split, groups);
        if (f.gamma() == null) {
            notes.add("optimality gap: set gamma");
        }
        return figure(f, file, notes, List.of(), panels, warnings);
    }

    /** Performance profiles: the fraction of runs (of all tasks) scoring above each tau, with bands. */
    FigureData profile(FigureSpec f, int m, String file, List<String> split, List<ConfigSummary> configs) {
        List<String> warnings = new ArrayList<>();
        List<Group> groups = groups(f, configs);
        List<Group> drawn = new ArrayList<>();
        List<Scores> scores = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Group g : groups) {
            double[][] byTask = runs.byTask(f, f.score(), m, g.members(), warnings);
            if (byTask != null) {
                drawn.add(g);
                scores.add(Scores.of(byTask));
                for (double[] t : byTask) {
                    for (double v : t) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
        }
        double[] taus = f.taus();
        if (taus == null && !scores.isEmpty()) {
            taus = max > min ? Series.grid(min, max, 50) : new double[]{min};
        }
        List<FigureData.Curve> curves = new ArrayList<>();
        for (int i = 0; i < drawn.size(); i++) {
            Scores s = scores.get(i);
            Group g = drawn.get(i);
            double[] ts = taus;
            Bootstrap.Statistic[] stats = new Bootstrap.Statistic[ts.length];
            for (int k = 0; k < ts.length; k++) {
                double[] tau = {ts[k]};
                stats[k] = c -> Aggregates.fractionAbove(s, c, tau)[0];
            }
            Interval[] iv = f.bootstrap().intervals(stats, s);
            curves.add(curve(g.label() + " (n=" + s.size() + ")", g, ts, iv, s.size()));
        }
        return figure(f, file, notes(f, split, groups), curves, List.of(), warnings);
    }

    private static FigureData.Curve curve(String label, Group g, double[] x, Interval[] iv, int n) {
        double[] y = new double[iv.length];
        double[] lo = new double[iv.length];
        double[] hi = new double[iv.length];
        for (int k = 0; k < iv.length; k++) {
            y[k] = iv[k].estimate();
            lo[k] = iv[k].lo();
            hi[k] = iv[k].hi();
        }
        return new FigureData.Curve(label, g.colour(), g.dash(), x, y, lo, hi, n);
    }

    /** P(X &gt; Y) for pairs of configurations (every pair up to 8 configurations, else each against the first). */
    FigureData improvement(FigureSpec f, int m, String file, List<String> split, List<ConfigSummary> configs) {
        List<String> warnings = new ArrayList<>();
        List<Group> groups = groups(f, configs);
        List<Group> ok = new ArrayList<>();
        List<double[][]> scores = new ArrayList<>();
        for (Group g : groups) {
            double[][] s = runs.byTask(f, f.score(), m, g.members(), warnings);
            if (s != null) {
                ok.add(g);
                scores.add(s);
            }
        }
        List<FigureData.Row> rows = new ArrayList<>();
        if (ok.size() > ALL_PAIRS_UP_TO) {
            warnings.add(ok.size() + " configurations: each is compared with the first (" + ok.get(0).label()
                    + ") only; use filter to compare fewer configurations pair by pair");
        }
        for (int y = 0; y < ok.size(); y++) {
            for (int x = y + 1; x < ok.size(); x++) {
                if (ok.size() > ALL_PAIRS_UP_TO && y > 0) {
                    break;
                }
                Group gx = ok.get(x);
                Group gy = ok.get(y);
                List<String> common = new ArrayList<>(gx.tasks());
                common.retainAll(gy.tasks());
                if (common.isEmpty()) {
                    warnings.add(gx.label() + " vs " + gy.label() + ": no task in common; not compared");
                    continue;
                }
                if (common.size() < gx.tasks().size() || common.size() < gy.tasks().size()) {
                    warnings.add(gx.label() + " vs " + gy.label() + ": compared on the " + common.size()
                            + " tasks both have");
                }
                Scores sx = Scores.of(pick(scores.get(x), gx.tasks(), common));
                Scores sy = Scores.of(pick(scores.get(y), gy.tasks(), common));
                Improvement poi = new Improvement(sx, sy);
                Interval iv = poi.interval(f.bootstrap().resampler(poi.strata()), f.bootstrap().resamples(),
                        f.bootstrap().confidence());
                rows.add(new FigureData.Row(gx.label() + " vs " + gy.label() + " (n=" + sx.size() + " vs " + sy.size() + ")",
                        gx.colour(), iv));
            }
        }
        if (ok.size() == 1) {
            warnings.add("a single configuration: nothing to compare");
        }
        List<String> notes = notes(f, split, groups);
        notes.add("P(X > Y): a run of X scores above a run of Y (ties half), averaged over tasks");
        return figure(f, file, notes, List.of(), List.of(new FigureData.Panel("P(X > Y)", rows, 0.5)), warnings);
    }

    private static double[][] pick(double[][] byTask, List<String> tasks, List<String> wanted) {
        double[][] out = new double[wanted.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = byTask[tasks.indexOf(wanted.get(i))];
        }
        return out;
    }

    /** IQM over runs (and tasks) at up to {@code points} steps, with stratified bootstrap bands. */
    FigureData iqmCurves(FigureSpec f, int m, String file, List<String> split, List<ConfigSummary> configs) {
        List<String> warnings = new ArrayList<>();
        List<Group> groups = groups(f, configs);
        List<FigureData.Curve> curves = new ArrayList<>();
        for (Group g : groups) {
            double[] steps = commonSteps(g);
            if (steps.length == 0) {
                warnings.add(g.label() + ": no step is logged by every run of every task; no curve");
                continue;
            }
            double[] x = pickPoints(steps, f.points());
            double[][][] byPoint = new double[x.length][g.members().size()][];
            for (int t = 0; t < g.members().size(); t++) {
                long[] indices = g.members().get(t).indices();
                for (int p = 0; p < x.length; p++) {
                    byPoint[p][t] = new double[indices.length];
                }
                for (int r = 0; r < indices.length; r++) {
                    RunData run = runs.run(indices[r]);
                    double[] st = run.steps();
                    double[] v = run.values(m);
                    int from = 0;
                    for (int p = 0; p < x.length; p++) {
                        int i = Arrays.binarySearch(st, from, st.length, x[p]);
                        byPoint[p][t][r] = v[i] * f.scale();
                        from = i + 1;
                    }
                }
            }
            Scores[] s = new Scores[x.length];
            Bootstrap.Statistic[] stats = new Bootstrap.Statistic[x.length];
            for (int p = 0; p < x.length; p++) {
                Scores sp = Scores.of(byPoint[p]);
                s[p] = sp;
                stats[p] = c -> Aggregates.iqm(sp, c);
            }
            int n = s[0].size();
            Interval[] iv = f.band() == FigureSpec.Band.NONE ? pointOnly(stats, s[0].once(), n)
                    : f.bootstrap().intervals(stats, s[0]);
            FigureData.Curve c = curve(g.label() + " (n=" + n + ")", g, x, iv, n);
            curves.add(new FigureData.Curve(c.label(), c.colour(), c.dash(), x, Series.smooth(c.y(), f.smoothing()),
                    Series.smooth(c.lo(), f.smoothing()), Series.smooth(c.hi(), f.smoothing()), n));
        }
        List<String> notes = notes(f, split, groups);
        notes.set(notes.size() - 1, f.band() == FigureSpec.Band.NONE ? "IQM over runs" : "IQM over runs with "
                + notes.get(notes.size() - 1));
        if (f.smoothing().type() != FigureSpec.Smoothing.Type.NONE) {
            notes.add(f.smoothing().describe());
        }
        return figure(f, file, notes, curves, List.of(), warnings);
    }

    private static Interval[] pointOnly(Bootstrap.Statistic[] stats, int[][] once, int n) {
        Interval[] out = new Interval[stats.length];
        for (int k = 0; k < stats.length; k++) {
            double v = stats[k].of(once);
            out[k] = new Interval(v, v, v, n);
        }
        return out;
    }

    /** The steps every run of every member logged. */
    private static double[] commonSteps(Group g) {
        double[] common = null;
        for (ConfigSummary cs : g.members()) {
            double[] steps = cs.steps();
            long[] n = cs.n();
            double[] full = java.util.stream.IntStream.range(0, steps.length).filter(i -> n[i] == cs.runs())
                    .mapToDouble(i -> steps[i]).toArray();
            if (common == null) {
                common = full;
            } else {
                double[] c = common;
                common = Arrays.stream(full).filter(v -> Arrays.binarySearch(c, v) >= 0).toArray();
            }
        }
        return common == null ? new double[0] : common;
    }

    /** Up to {@code points} of the steps, evenly spread, first and last included. */
    static double[] pickPoints(double[] steps, int points) {
        if (steps.length <= points) {
            return steps;
        }
        double[] out = new double[points];
        for (int k = 0; k < points; k++) {
            out[k] = steps[(int) Math.round((double) k * (steps.length - 1) / (points - 1))];
        }
        return out;
    }

    /** The table of an RL figure: one row per configuration of the statistics (IQM). */
    FigureData.ScoreTable table(FigureSpec f, int m, List<ConfigSummary> configs) {
        List<Group> groups = groups(f, configs);
        return tables.table(f, m, groups.stream().map(Group::label).toList(), groups.stream().map(Group::members).toList(), true);
    }
}
