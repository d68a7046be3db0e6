package dev.alphaex.plot;

import dev.alphaex.merge.ConfigSummary;
import dev.alphaex.plot.stats.Aggregates;
import dev.alphaex.plot.stats.Bootstrap;
import dev.alphaex.plot.stats.Interval;
import dev.alphaex.plot.stats.Scores;

import java.util.ArrayList;
import java.util.List;

/**
 * Every figure's table under its chart: the final score and the AUC per row (a configuration, or
 * a configuration of the RL statistics with one member per task), each with its stratified
 * bootstrap interval and n.
 */
final class ScoreTables {
    private final RunScores runs;

    ScoreTables(RunScores runs) {
        this.runs = runs;
    }

    /**
     * Final score (the figure's {last: f} score, else the last 10% of steps) and AUC per row, each
     * with its interval: the IQM over runs and tasks, or the mean (of the task means).
     *
     * @param rows per row, its members (one configuration per task)
     */
    FigureData.ScoreTable table(FigureSpec f, int m, List<String> labels, List<List<ConfigSummary>> rows, boolean iqm) {
        FigureSpec.Score last = f.score() != null && !f.score().auc() ? f.score() : new FigureSpec.Score(false, 0.1);
        FigureSpec.Score auc = new FigureSpec.Score(true, 0);
        List<FigureData.ScoreRow> out = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double[][] fin = runs.byTask(f, last, m, rows.get(i), ignored);
            double[][] area = runs.byTask(f, auc, m, rows.get(i), ignored);
            if (fin == null || area == null) {
                continue;
            }
            Scores sf = Scores.of(fin);
            Scores sa = Scores.of(area);
            Bootstrap.Statistic[] stats = iqm ? new Bootstrap.Statistic[]{c -> Aggregates.iqm(sf, c), c -> Aggregates.iqm(sa, c)}
                    : new Bootstrap.Statistic[]{c -> Aggregates.mean(sf, c), c -> Aggregates.mean(sa, c)};
            Interval[] iv = f.bootstrap().intervals(stats, sf);
            out.add(new FigureData.ScoreRow(labels.get(i), iv[0], iv[1]));
        }
        return new FigureData.ScoreTable(iqm ? "IQM" : "mean", last.describe(), f.bootstrap().confidence(), out);
    }

    /** The table of a plain figure: one row per configuration, the mean over its runs. */
    FigureData.ScoreTable perConfiguration(FigureSpec f, int m, List<String> labels, List<ConfigSummary> configs) {
        return table(f, m, labels, configs.stream().map(List::of).toList(), false);
    }
}
