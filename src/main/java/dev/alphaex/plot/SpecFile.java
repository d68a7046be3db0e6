package dev.alphaex.plot;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The plot spec file as written, bound by Jackson: every field optional (null when absent), types
 * and enumerations checked by the binding, unknown fields refused by it. The values that take
 * more than one form (a score, a smoothing) check themselves in their creators. {@link PlotSpec}
 * resolves the defaults and checks the rest against the sweep.
 */
record SpecFile(Fields defaults, List<Fields> figures) {

    /** The fields of a figure (and of the defaults). */
    record Fields(String name, FigureSpec.Kind kind, String title, String metric, String xLabel, String yLabel,
                  Double scale, JsonNode splitBy, Map<String, JsonNode> filter, Best best, Smoothing smoothing,
                  FigureSpec.Band band, Bootstrap bootstrap, FigureSpec.UnequalLength unequalLength,
                  Integer resamplePoints, Boolean logX, Boolean logY, Integer width, Integer height, String parameter,
                  Score score, String task, FigureSpec.Statistic statistic, Double gamma, List<Double> tau,
                  Integer points) {
    }

    /** {k: 3, score: auc, higherIsBetter: true}. */
    record Best(Integer k, Score score, Boolean higherIsBetter) {
        Best {
            if (k == null || k < 1) {
                throw new Problem("/k", "'k' must be a whole number of at least 1");
            }
        }
    }

    /** {resamples: 2000, confidence: 0.95, seed: 1}. */
    record Bootstrap(Integer resamples, Double confidence, Long seed) {
        Bootstrap {
            if (resamples != null && (resamples < 100 || resamples > 100_000)) {
                throw new Problem("/resamples", "'resamples' must be a whole number from 100 to 100000");
            }
            if (confidence != null && !(confidence > 0 && confidence < 1)) {
                throw new Problem("/confidence", "'confidence' must be between 0 and 1, e.g. 0.95");
            }
        }
    }

    /** auc | last | {last: 0.2}. */
    record Score(FigureSpec.Score value) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Score of(JsonNode v) {
            if (v.isTextual() && v.textValue().equals("auc")) {
                return new Score(new FigureSpec.Score(true, 0));
            }
            if (v.isTextual() && v.textValue().equals("last")) {
                return new Score(new FigureSpec.Score(false, 0.1));
            }
            if (v.isObject() && v.size() == 1 && v.has("last")) {
                JsonNode f = v.get("last");
                if (!f.isNumber() || !(f.asDouble() > 0 && f.asDouble() <= 1)) {
                    throw new Problem("/last", "'last' is the fraction of steps at the end, from 0 (excluded) to 1, "
                            + "e.g. 0.1 for the last 10%");
                }
                return new Score(new FigureSpec.Score(false, f.asDouble()));
            }
            throw new Problem("", "a score is 'auc' (area under the curve), 'last' (mean of the last 10% of steps) or "
                    + "{last: 0.2}");
        }
    }

    /** none | {exponential: 0.9} | {window: 10}. */
    record Smoothing(FigureSpec.Smoothing value) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Smoothing of(JsonNode v) {
            if (v.isTextual() && v.textValue().equals("none")) {
                return new Smoothing(FigureSpec.Smoothing.NONE);
            }
            if (v.isObject() && v.size() == 1 && v.has("exponential")) {
                JsonNode e = v.get("exponential");
                if (!e.isNumber() || !(e.asDouble() >= 0 && e.asDouble() < 1)) {
                    throw new Problem("/exponential", "the exponential smoothing weight must be from 0 to 1 (excluded), "
                            + "e.g. 0.9");
                }
                return new Smoothing(new FigureSpec.Smoothing(FigureSpec.Smoothing.Type.EXPONENTIAL, e.asDouble(), 0));
            }
            if (v.isObject() && v.size() == 1 && v.has("window")) {
                JsonNode n = v.get("window");
                if (!n.isIntegralNumber() || n.asInt() < 1) {
                    throw new Problem("/window", "the window must be a whole number of points, at least 1");
                }
                return new Smoothing(new FigureSpec.Smoothing(FigureSpec.Smoothing.Type.WINDOW, 0, n.asInt()));
            }
            throw new Problem("", "'smoothing' is none, {exponential: 0.9} or {window: 10}");
        }
    }

    /** What is wrong with a value, at a pointer below the value being bound ("" for the value itself). */
    static final class Problem extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String below;

        Problem(String below, String message) {
            super(message);
            this.below = below;
        }
    }
}
