package dev.alphaex.plot;

import dev.alphaex.merge.ConfigSummary;
import dev.alphaex.merge.ResultsSnapshot;
import dev.alphaex.merge.RunData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The single runs behind a snapshot's summaries, and each run's score: runs are read from the
 * store only when a figure needs them (bootstrap bands, resampling, scores), and scores are kept
 * in a cache the caller holds across replots (a merged run never changes).
 */
final class RunScores {
    private final ResultsSnapshot snap;
    private final Map<String, Double> cache;

    RunScores(ResultsSnapshot snap, Map<String, Double> cache) {
        this.snap = snap;
        this.cache = cache;
    }

    /** One merged run. */
    RunData run(long index) {
        try {
            return snap.run(index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run of index " + index, e);
        }
    }

    /**
     * Each run's score (unscaled), over the steps every run of the configuration logged (the
     * truncation policy: scores of runs of different lengths are not comparable), or null (with a
     * warning) when no step is logged by all runs.
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
        String who = Labels.describe(cs.configuration());
        if (Double.isNaN(upTo)) {
            warnings.add(who + ": no step is logged by all runs; left out");
            return null;
        }
        if (cut) {
            String w = who + ": runs of unequal lengths; each run scored up to step " + Labels.step(upTo)
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
            out[r] = cache.computeIfAbsent(key, k -> {
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

    /**
     * Each run's score by task (one member configuration per task), times the figure's scale, or
     * null (with a warning) when a task has no run to score.
     */
    double[][] byTask(FigureSpec f, FigureSpec.Score score, int m, List<ConfigSummary> members, List<String> warnings) {
        double[][] byTask = new double[members.size()][];
        for (int t = 0; t < byTask.length; t++) {
            double[] s = scores(score, f.metric(), m, members.get(t), warnings);
            if (s == null) {
                return null;
            }
            byTask[t] = new double[s.length];
            for (int r = 0; r < s.length; r++) {
                byTask[t][r] = s[r] * f.scale();
            }
        }
        return byTask;
    }
}
