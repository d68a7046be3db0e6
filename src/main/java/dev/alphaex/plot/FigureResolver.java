package dev.alphaex.plot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.merge.Values;
import dev.alphaex.sweep.Match;
import dev.alphaex.sweep.Sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Resolves one figure of the plot spec into a {@link FigureSpec}: each field from the figure, else
 * from the defaults, else the built-in default; checks which fields its kind takes, the sweep's
 * keys it names, its filter (found with the sweep's own search) and its numbers, each error naming
 * the place (a JSON pointer) the value came from.
 */
final class FigureResolver {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private final YamlTree tree;
    private final String at;
    private final SpecFile.Fields fig;
    private final SpecFile.Fields defaults;
    private final Sweep sweep;

    FigureResolver(YamlTree tree, String at, SpecFile.Fields fig, SpecFile.Fields defaults, Sweep sweep) {
        this.tree = tree;
        this.at = at;
        this.fig = fig;
        this.defaults = defaults;
        this.sweep = sweep;
    }

    /** A field's value from the figure, else the defaults (null when neither has it). */
    private <T> T value(Function<SpecFile.Fields, T> field) {
        T v = field.apply(fig);
        return v != null || defaults == null ? v : field.apply(defaults);
    }

    /** The pointer a field's value comes from, or the figure's when neither sets it. */
    private String where(String name, Function<SpecFile.Fields, ?> field) {
        if (field.apply(fig) != null) {
            return at + "/" + name;
        }
        return defaults != null && field.apply(defaults) != null ? "/defaults/" + name : at;
    }

    private PlotSpecException error(String name, Function<SpecFile.Fields, ?> field, String problem) {
        return tree.error(where(name, field), problem);
    }

    private static <T> T or(T v, T otherwise) {
        return v != null ? v : otherwise;
    }

    private int range(String name, Function<SpecFile.Fields, Integer> field, int otherwise,
                      int min, int max) {
        Integer v = value(field);
        if (v == null) {
            return otherwise;
        }
        if (v < min || v > max) {
            throw error(name, field, "'" + name + "' must be a whole number from " + min + " to " + max + ", found " + v);
        }
        return v;
    }

    private String key(String value, String pointer, String what) {
        if (!sweep.keys().contains(value)) {
            throw tree.error(pointer, what + " '" + value + "' is not a key of the sweep " + sweep.source() + " (keys: "
                    + String.join(", ", sweep.keys()) + ")");
        }
        return value;
    }

    /** A field only some kinds take: set on the figure itself for another kind, it is an error. */
    private void onlyFor(String name, Function<SpecFile.Fields, ?> field, boolean allowed,
                         String fix) {
        if (!allowed && field.apply(fig) != null) {
            throw tree.error(at + "/" + name, fix);
        }
    }

    FigureSpec resolve() {
        String name = fig.name();
        if (name == null) {
            throw tree.error(at, "a figure needs a 'name' (its chart's file name)");
        }
        if (!NAME.matcher(name).matches()) {
            throw tree.error(at + "/name", "the name '" + name + "' must be a file name of letters, digits, '-', '_' and '.'");
        }
        FigureSpec.Kind kind = or(value(SpecFile.Fields::kind), FigureSpec.Kind.CURVES);
        String metric = fig.metric();
        if (metric == null) {
            throw tree.error(at, "figure '" + name + "' needs a 'metric' (a column of the logs)");
        }
        boolean sensitivity = kind == FigureSpec.Kind.SENSITIVITY;
        boolean curves = kind == FigureSpec.Kind.CURVES;
        String parameter = null;
        if (sensitivity) {
            if (fig.parameter() == null) {
                throw tree.error(at, "sensitivity figure '" + name + "' needs a 'parameter' (a key of the sweep)");
            }
            parameter = key(fig.parameter(), at + "/parameter", "'parameter'");
        } else if (fig.parameter() != null) {
            throw tree.error(at + "/parameter", "'parameter' is for figures of kind sensitivity");
        }
        double scale = or(value(SpecFile.Fields::scale), 1.0);
        if (!Double.isFinite(scale) || scale == 0) {
            throw error("scale", SpecFile.Fields::scale, "'scale' must be a non-zero number");
        }
        FigureSpec.Statistic statistic = curves ? or(value(SpecFile.Fields::statistic), FigureSpec.Statistic.MEAN) : null;
        onlyFor("statistic", SpecFile.Fields::statistic, curves, "'statistic' is for learning curves (kind curves): "
                + "mean or iqm; aggregate figures show IQM, median, mean and optimality gap");
        boolean iqm = statistic == FigureSpec.Statistic.IQM;
        String task = value(SpecFile.Fields::task);
        onlyFor("task", SpecFile.Fields::task, kind.rl() || iqm, "'task' is for kinds aggregate, profile, improvement "
                + "and IQM curves (statistic: iqm); to draw one chart per task use splitBy");
        if (!(kind.rl() || iqm)) {
            task = null;
        } else if (task != null) {
            task = key(task, where("task", SpecFile.Fields::task), "'task'");
        }
        List<String> splitBy = splitBy(parameter, task);
        StringBuilder filterText = new StringBuilder();
        Set<Long> allowed = value(SpecFile.Fields::filter) == null ? null : filter(filterText);
        SpecFile.Best best = value(SpecFile.Fields::best);
        onlyFor("best", SpecFile.Fields::best, curves, "'best' picks the best learning curves; it is for kind curves");
        FigureSpec.Best bestK = !curves || best == null ? null : new FigureSpec.Best(best.k(),
                best.score() == null ? new FigureSpec.Score(true, 0) : best.score().value(), or(best.higherIsBetter(), true));
        onlyFor("score", SpecFile.Fields::score, !curves, "'score' is for sensitivity and the RL statistics; "
                + "to rank curves use best: {k: 3, score: auc}");
        FigureSpec.Score score = curves ? null : value(SpecFile.Fields::score) == null ? new FigureSpec.Score(false, 0.1)
                : value(SpecFile.Fields::score).value();
        onlyFor("band", SpecFile.Fields::band, !kind.rl(), "the RL statistics always show bootstrap intervals; "
                + "'band' is for learning curves and sensitivity plots");
        FigureSpec.Band band = or(fig.band(), iqm ? FigureSpec.Band.BOOTSTRAP : or(value(SpecFile.Fields::band),
                FigureSpec.Band.STDERR));
        if (iqm && band == FigureSpec.Band.STDERR) {
            throw error("band", SpecFile.Fields::band, "IQM curves have bootstrap bands (or none); use band: bootstrap");
        }
        if (kind.rl()) {
            band = FigureSpec.Band.BOOTSTRAP;
        }
        Double gamma = value(SpecFile.Fields::gamma);
        onlyFor("gamma", SpecFile.Fields::gamma, kind == FigureSpec.Kind.AGGREGATE, "'gamma' is the optimality gap's "
                + "threshold: it is for kind aggregate");
        if (kind != FigureSpec.Kind.AGGREGATE) {
            gamma = null;
        } else if (gamma != null && !Double.isFinite(gamma)) {
            throw error("gamma", SpecFile.Fields::gamma, "'gamma' must be a finite number");
        }
        double[] taus = taus(kind);
        int points = range("points", SpecFile.Fields::points, 100, 2, 10_000);
        onlyFor("points", SpecFile.Fields::points, iqm, "'points' is for IQM curves (statistic: iqm)");
        SpecFile.Bootstrap b = value(SpecFile.Fields::bootstrap);
        int defaultResamples = kind.rl() || iqm ? 2000 : 1000;
        FigureSpec.Bootstrap bootstrap = b == null ? new FigureSpec.Bootstrap(defaultResamples, 0.95, 1)
                : new FigureSpec.Bootstrap(or(b.resamples(), defaultResamples), or(b.confidence(), 0.95), or(b.seed(), 1L));
        String title = or(fig.title(), name);
        String xLabel = or(fig.xLabel(), defaultXLabel(kind, parameter));
        String yLabel = or(fig.yLabel(), sensitivity ? metric + " (" + score.describe() + ")" : defaultYLabel(kind, metric, iqm));
        SpecFile.Smoothing smoothing = value(SpecFile.Fields::smoothing);
        return new FigureSpec(name, kind, title, metric, xLabel, yLabel, scale, splitBy, allowed, filterText.toString(),
                bestK, smoothing == null ? FigureSpec.Smoothing.NONE : smoothing.value(), band, bootstrap,
                or(value(SpecFile.Fields::unequalLength), FigureSpec.UnequalLength.TRUNCATE),
                range("resamplePoints", SpecFile.Fields::resamplePoints, 200, 2, 100_000),
                or(value(SpecFile.Fields::logX), false), or(value(SpecFile.Fields::logY), false),
                range("width", SpecFile.Fields::width, 900, 200, 4000), range("height", SpecFile.Fields::height, 560, 150, 4000),
                parameter, score, task, statistic, gamma, taus, points);
    }

    private static String defaultXLabel(FigureSpec.Kind kind, String parameter) {
        return switch (kind) {
            case SENSITIVITY -> parameter;
            case PROFILE -> "Score threshold \u03c4";
            case AGGREGATE -> "Score";
            case IMPROVEMENT -> "P(X > Y)";
            default -> "Steps";
        };
    }

    private static String defaultYLabel(FigureSpec.Kind kind, String metric, boolean iqm) {
        return switch (kind) {
            case PROFILE -> "Fraction of runs with score > \u03c4";
            case AGGREGATE, IMPROVEMENT -> "";
            default -> iqm ? "IQM of " + metric : metric;
        };
    }

    private double[] taus(FigureSpec.Kind kind) {
        List<Double> tau = value(SpecFile.Fields::tau);
        onlyFor("tau", SpecFile.Fields::tau, kind == FigureSpec.Kind.PROFILE, "'tau' lists the thresholds of a "
                + "performance profile: it is for kind profile");
        if (kind != FigureSpec.Kind.PROFILE || tau == null) {
            return null;
        }
        String w = where("tau", SpecFile.Fields::tau);
        if (tau.isEmpty()) {
            throw tree.error(w, "'tau' must list at least one threshold, e.g. [0, 0.5, 1]");
        }
        double[] out = new double[tau.size()];
        for (int i = 0; i < out.length; i++) {
            if (tau.get(i) == null || !Double.isFinite(tau.get(i))) {
                throw tree.error(w + "/" + i, "a threshold must be a finite number");
            }
            out[i] = tau.get(i);
        }
        Arrays.sort(out);
        return out;
    }

    private List<String> splitBy(String parameter, String task) {
        JsonNode v = value(SpecFile.Fields::splitBy);
        List<String> keys = new ArrayList<>();
        if (v == null || v.isNull()) {
            return keys;
        }
        String w = where("splitBy", SpecFile.Fields::splitBy);
        if (v.isTextual()) {
            keys.add(key(v.textValue(), w, "'splitBy'"));
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) {
                    throw tree.error(w + "/" + i, "'splitBy' must be a key of the sweep, given as text");
                }
                String k = key(v.get(i).textValue(), w + "/" + i, "'splitBy'");
                if (keys.contains(k)) {
                    throw tree.error(w + "/" + i, "'" + k + "' is listed twice in 'splitBy'");
                }
                keys.add(k);
            }
        } else {
            throw tree.error(w, "'splitBy' must be a key or a list of keys of the sweep");
        }
        if (parameter != null && keys.contains(parameter)) {
            throw tree.error(w, "'splitBy' cannot contain the sensitivity parameter '" + parameter + "'");
        }
        if (task != null && keys.contains(task)) {
            throw tree.error(w, "'splitBy' cannot contain the task key '" + task + "': the statistics aggregate over tasks");
        }
        return keys;
    }

    /** The sweep positions whose values pass the filter, found with the sweep's own search (Python equality). */
    private Set<Long> filter(StringBuilder text) {
        Map<String, JsonNode> filter = value(SpecFile.Fields::filter);
        String w = where("filter", SpecFile.Fields::filter);
        if (filter.isEmpty()) {
            throw tree.error(w, "'filter' must be a mapping of keys to a value or a list of values, "
                    + "e.g. {epsilon: [0.01, 0.1]}");
        }
        List<String> keys = new ArrayList<>();
        List<List<JsonNode>> choices = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : filter.entrySet()) {
            String pointer = w + "/" + e.getKey();
            key(e.getKey(), pointer, "filter key");
            List<JsonNode> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                if (e.getValue().isEmpty()) {
                    throw tree.error(pointer, "the filter on '" + e.getKey() + "' lists no value: no configuration would pass");
                }
                e.getValue().forEach(values::add);
            } else {
                values.add(e.getValue());
            }
            keys.add(e.getKey());
            choices.add(values);
            if (text.length() > 0) {
                text.append(", ");
            }
            List<String> shown = new ArrayList<>();
            values.forEach(v -> shown.add(Values.text(v)));
            text.append(e.getKey()).append(values.size() == 1 ? "=" + shown.get(0) : " in {" + String.join(", ", shown) + "}");
        }
        Set<Long> allowed = new HashSet<>();
        cross(keys, choices, 0, new LinkedHashMap<>(), allowed);
        if (allowed.isEmpty()) {
            throw tree.error(w, "no configuration of the sweep " + sweep.source() + " has " + text);
        }
        return allowed;
    }

    private void cross(List<String> keys, List<List<JsonNode>> choices, int k, Map<String, JsonNode> picked,
                       Set<Long> out) {
        if (k == keys.size()) {
            for (Match m : sweep.search(picked, 1)) {
                out.add(m.ids()[0]);
            }
            return;
        }
        for (JsonNode v : choices.get(k)) {
            picked.put(keys.get(k), v);
            cross(keys, choices, k + 1, picked, out);
        }
        picked.remove(keys.get(k));
    }
}
