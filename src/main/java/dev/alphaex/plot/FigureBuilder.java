package dev.alphaex.plot;

import dev.alphaex.merge.ConfigSummary;
import dev.alphaex.merge.ResultsSnapshot;
import dev.alphaex.merge.Values;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a figure of the spec and a snapshot of the merged results into the charts' data: checks
 * the metric, applies the filter, splits into one chart per value of the split keys (each with
 * its own file name), and hands each chart to the builder of its kind ({@link CurveFigures},
 * {@link SensitivityFigures}, {@link RlFigures}), with its table ({@link ScoreTables}). Pure
 * computation (single runs are read from the store only for bootstrap bands, resampling and scores).
 */
final class FigureBuilder {
    private final ResultsSnapshot snap;
    private final CurveFigures curves;
    private final SensitivityFigures sensitivity;
    private final RlFigures rl;

    /**
     * @param runScores cache of per-run scores, kept by the caller across replots (a merged run never changes)
     * @param splitKeys the keys some figure of the spec splits by (they set dashes, the other keys colours)
     */
    FigureBuilder(ResultsSnapshot snap, Palette palette, Map<String, Double> runScores, Set<String> splitKeys) {
        this.snap = snap;
        RunScores runs = new RunScores(snap, runScores);
        ScoreTables tables = new ScoreTables(runs);
        this.curves = new CurveFigures(snap.keys(), palette, splitKeys, runs, tables);
        this.sensitivity = new SensitivityFigures(snap.keys(), palette, runs, tables);
        this.rl = new RlFigures(snap.keys(), palette, splitKeys, runs, tables);
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
                case SENSITIVITY -> sensitivity.sensitivity(f, m, file, g.getKey(), members)
                        .withTable(sensitivity.table(f, m, members));
                case AGGREGATE -> rl.aggregate(f, m, file, g.getKey(), members).withTable(rl.table(f, m, members));
                case PROFILE -> rl.profile(f, m, file, g.getKey(), members).withTable(rl.table(f, m, members));
                case IMPROVEMENT -> rl.improvement(f, m, file, g.getKey(), members).withTable(rl.table(f, m, members));
                case CURVES -> f.statistic() == FigureSpec.Statistic.IQM
                        ? rl.iqmCurves(f, m, file, g.getKey(), members).withTable(rl.table(f, m, members))
                        : curves.curves(f, m, file, g.getKey(), members);
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

    private static FigureData empty(FigureSpec f, String file, String subtitle, String message) {
        return FigureData.ofCurves(file, f.title(), subtitle, f.xLabel(), f.yLabel(), f.logX(), f.logY(), f.width(),
                f.height(), List.of(), List.of(), false, List.of(), message);
    }

    private static FigureData withWarning(FigureData d, String w) {
        List<String> ws = new ArrayList<>(d.warnings());
        ws.add(w);
        return d.withCurves(d.curves(), ws);
    }
}
