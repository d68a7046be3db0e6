package dev.alphaex.plot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.merge.ConfigSummary;
import dev.alphaex.merge.Values;
import dev.alphaex.sweep.Configuration;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sensitivity plots: a per-run score against the values of one key (numbers on a numeric axis,
 * anything else as categories), one line per values of the other keys, each point the mean over
 * runs with a standard-error band; and their table (one row per configuration).
 */
final class SensitivityFigures {
    private final List<String> keys;
    private final Palette palette;
    private final RunScores runs;
    private final ScoreTables tables;

    SensitivityFigures(List<String> keys, Palette palette, RunScores runs, ScoreTables tables) {
        this.keys = keys;
        this.palette = palette;
        this.runs = runs;
        this.tables = tables;
    }

    FigureData sensitivity(FigureSpec f, int m, String file, List<String> split, List<ConfigSummary> group) {
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
            for (String k : keys) {
                if (!excluded.contains(k)) {
                    id.add(Values.text(cs.configuration().get(k)));
                }
            }
            lines.computeIfAbsent(id, k -> new ArrayList<>()).add(cs);
        }
        List<String> labelKeys = Labels.varyingKeys(keys, group.stream().map(ConfigSummary::configuration).toList(), excluded);
        List<FigureData.Curve> curves = new ArrayList<>();
        for (List<ConfigSummary> line : lines.values()) {
            TreeMap<Double, double[]> points = new TreeMap<>();
            int minRuns = Integer.MAX_VALUE;
            int maxRuns = 0;
            for (ConfigSummary cs : line) {
                double[] stat = meanScore(f, m, cs, warnings);
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
            Series.scale(f.scale(), y, lo, hi);
            Configuration first = line.get(0).configuration();
            // a line here is a group of configurations (all values of the parameter): coloured by what tells lines apart
            int rank = palette.rank(excluded, first);
            int[] style = {rank, Palette.dashOf(rank)};
            String n = minRuns == maxRuns ? "n=" + minRuns : "n=" + minRuns + ".." + maxRuns;
            String label = labelKeys.isEmpty() ? f.metric() : Labels.label(first, labelKeys, excluded);
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

    /** Mean and standard error over runs of each run's score, or null when none can be scored. */
    private double[] meanScore(FigureSpec f, int m, ConfigSummary cs, List<String> warnings) {
        double[] scores = runs.scores(f.score(), f.metric(), m, cs, warnings);
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
        int count = scores.length;
        return new double[]{mean, count < 2 ? Double.NaN : Math.sqrt(m2 / (count - 1) / count)};
    }

    /** The table of a sensitivity plot: one row per configuration (mean over runs). */
    FigureData.ScoreTable table(FigureSpec f, int m, List<ConfigSummary> group) {
        Set<String> excluded = new HashSet<>(f.splitBy());
        List<String> labelKeys = Labels.varyingKeys(keys, group.stream().map(ConfigSummary::configuration).toList(), excluded);
        List<String> labels = new ArrayList<>();
        for (ConfigSummary cs : group) {
            labels.add(Labels.label(cs.configuration(), labelKeys, excluded));
        }
        return tables.perConfiguration(f, m, labels, group);
    }
}
