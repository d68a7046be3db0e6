package dev.alphaex.plot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.merge.Values;
import dev.alphaex.sweep.Match;
import dev.alphaex.sweep.Sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The plot spec: which figures to draw from the merged results (YAML or JSON, e.g.
 * {@code config/plots.yaml}). A top-level {@code figures} list, and optional {@code defaults}
 * that every figure inherits:
 * <pre>
 * defaults:
 *   band: stderr              # stderr (default) | bootstrap | none
 *   bootstrap: {resamples: 1000, confidence: 0.95, seed: 1}
 *   unequalLength: truncate   # truncate (default) | resample
 *   resamplePoints: 200
 *   smoothing: none           # none | {exponential: 0.9} | {window: 10}
 *   width: 900
 *   height: 560
 * figures:
 *   - name: average-reward    # the chart's file name
 *     title: Average reward
 *     metric: reward          # a column of the logs
 *     scale: 1                # e.g. 100 for a percentage of a 0/1 column
 *     xLabel: Steps
 *     yLabel: Average reward
 *     splitBy: [env]          # one figure per value of these keys
 *     filter: {epsilon: [0.01, 0.1]}   # only configurations with these values
 *     best: {k: 3, score: auc, higherIsBetter: true}   # score: auc | last | {last: 0.1}
 *     logX: false
 *     logY: false
 *   - name: reward-sensitivity
 *     kind: sensitivity       # a per-run score against a key's values
 *     parameter: epsilon
 *     metric: reward
 *     score: {last: 0.1}      # default: mean of the last 10% of steps
 * </pre>
 * Everything is checked when the spec is loaded: unknown fields (typos), values of the wrong
 * kind, keys the sweep does not have, repeated names. Errors name the file, line, column and
 * the place. Metrics are checked against the merged logs when the figures are drawn.
 */
public final class PlotSpec {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Set<String> TOP = Set.of("defaults", "figures");
    private static final Set<String> FIELDS = Set.of("name", "kind", "title", "metric", "xLabel", "yLabel", "scale",
            "splitBy", "filter", "best", "smoothing", "band", "bootstrap", "unequalLength", "resamplePoints", "logX",
            "logY", "width", "height", "parameter", "score");
    /** Fields that only make sense per figure. */
    private static final Set<String> PER_FIGURE = Set.of("name", "title", "metric", "parameter");

    private final String source;
    private final List<FigureSpec> figures;

    private PlotSpec(String source, List<FigureSpec> figures) {
        this.source = source;
        this.figures = List.copyOf(figures);
    }

    /** The file the spec was read from. */
    public String source() {
        return source;
    }

    /** The figures, in the file's order. */
    public List<FigureSpec> figures() {
        return figures;
    }

    /** Reads a spec file (UTF-8). */
    public static PlotSpec load(Path file, Sweep sweep) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PlotSpecException(file.toString(), 0, 0, null, "cannot read the plot spec: " + e);
        }
        return parse(text, file.toString(), sweep);
    }

    /** Reads a spec from text; {@code source} names it in errors. */
    public static PlotSpec parse(String text, String source, Sweep sweep) {
        YamlTree tree = YamlTree.parse(text, source);
        JsonNode root = tree.root;
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw tree.error("", "the plot spec is empty: it needs a list of figures");
        }
        if (!root.isObject()) {
            throw tree.error("", "the plot spec must be a mapping with 'figures' (and optional 'defaults')");
        }
        checkFields(tree, root, "", TOP);
        JsonNode defaults = root.get("defaults");
        if (defaults != null) {
            if (!defaults.isObject()) {
                throw tree.error("/defaults", "'defaults' must be a mapping of figure fields");
            }
            checkFields(tree, defaults, "/defaults", FIELDS);
            for (String f : PER_FIGURE) {
                if (defaults.has(f)) {
                    throw tree.error("/defaults/" + f, "'" + f + "' belongs to each figure, not to the defaults");
                }
            }
        }
        JsonNode list = root.get("figures");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw tree.error(list == null ? "" : "/figures", "'figures' must be a non-empty list of figures");
        }
        List<FigureSpec> figures = new ArrayList<>();
        Map<String, Integer> names = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "/figures/" + i;
            JsonNode fig = list.get(i);
            if (!fig.isObject()) {
                throw tree.error(at, "a figure must be a mapping (name, metric, ...)");
            }
            checkFields(tree, fig, at, FIELDS);
            FigureSpec spec = new Figure(tree, fig, at, defaults, sweep).read();
            Integer before = names.putIfAbsent(spec.name(), i);
            if (before != null) {
                throw tree.error(at + "/name", "the name '" + spec.name() + "' is also the name of figure " + before
                        + ": chart files would overwrite each other");
            }
            figures.add(spec);
        }
        return new PlotSpec(source, figures);
    }

    private static void checkFields(YamlTree tree, JsonNode node, String at, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw tree.error(at + "/" + f, "unknown field '" + f + "'; known: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** Reads one figure, each field from the figure, else from the defaults, else the built-in default. */
    private static final class Figure {
        private final YamlTree tree;
        private final JsonNode fig;
        private final String at;
        private final JsonNode defaults;
        private final Sweep sweep;

        Figure(YamlTree tree, JsonNode fig, String at, JsonNode defaults, Sweep sweep) {
            this.tree = tree;
            this.fig = fig;
            this.at = at;
            this.defaults = defaults;
            this.sweep = sweep;
        }

        /** The pointer a field's value comes from, or null when neither the figure nor the defaults set it. */
        private String where(String field) {
            if (fig.has(field)) {
                return at + "/" + field;
            }
            if (defaults != null && defaults.has(field)) {
                return "/defaults/" + field;
            }
            return null;
        }

        private JsonNode value(String field) {
            return fig.has(field) ? fig.get(field) : defaults != null ? defaults.get(field) : null;
        }

        private PlotSpecException error(String field, String problem) {
            String w = where(field);
            return tree.error(w == null ? at : w, problem);
        }

        private String string(String field, String otherwise) {
            JsonNode v = value(field);
            if (v == null || v.isNull()) {
                return otherwise;
            }
            if (!v.isValueNode() || v.isBoolean()) {
                throw error(field, "'" + field + "' must be text");
            }
            return v.asText();
        }

        private boolean bool(String field) {
            JsonNode v = value(field);
            if (v == null || v.isNull()) {
                return false;
            }
            if (!v.isBoolean()) {
                throw error(field, "'" + field + "' must be true or false");
            }
            return v.booleanValue();
        }

        private int integer(JsonNode v, String field, int min, int max) {
            if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
                throw error(field, "'" + field + "' must be a whole number from " + min + " to " + max + ", found " + v);
            }
            return v.asInt();
        }

        private int integer(String field, int otherwise, int min, int max) {
            JsonNode v = value(field);
            return v == null || v.isNull() ? otherwise : integer(v, field, min, max);
        }

        private <E extends Enum<E>> E choice(String field, Class<E> type, E otherwise) {
            String s = string(field, null);
            if (s == null) {
                return otherwise;
            }
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s)) {
                    return e;
                }
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(Locale.ROOT));
            }
            throw error(field, "'" + field + "' is '" + s + "'; use one of " + String.join(", ", names));
        }

        private String key(JsonNode v, String pointer, String what) {
            if (v == null || !v.isTextual()) {
                throw tree.error(pointer, what + " must be a key of the sweep, given as text");
            }
            String k = v.textValue();
            if (!sweep.keys().contains(k)) {
                throw tree.error(pointer, what + " '" + k + "' is not a key of the sweep " + sweep.source() + " (keys: "
                        + String.join(", ", sweep.keys()) + ")");
            }
            return k;
        }

        FigureSpec read() {
            String name = string("name", null);
            if (name == null) {
                throw tree.error(at, "a figure needs a 'name' (its chart's file name)");
            }
            if (!NAME.matcher(name).matches()) {
                throw error("name", "the name '" + name + "' must be a file name of letters, digits, '-', '_' and '.'");
            }
            FigureSpec.Kind kind = choice("kind", FigureSpec.Kind.class, FigureSpec.Kind.CURVES);
            String metric = string("metric", null);
            if (metric == null) {
                throw tree.error(at, "figure '" + name + "' needs a 'metric' (a column of the logs)");
            }
            String parameter = null;
            if (kind == FigureSpec.Kind.SENSITIVITY) {
                if (where("parameter") == null) {
                    throw tree.error(at, "sensitivity figure '" + name + "' needs a 'parameter' (a key of the sweep)");
                }
                parameter = key(value("parameter"), where("parameter"), "'parameter'");
            } else if (where("parameter") != null) {
                throw error("parameter", "'parameter' is for figures of kind sensitivity");
            }
            double scale = 1;
            JsonNode s = value("scale");
            if (s != null && !s.isNull()) {
                if (!s.isNumber() || !Double.isFinite(s.asDouble()) || s.asDouble() == 0) {
                    throw error("scale", "'scale' must be a non-zero number");
                }
                scale = s.asDouble();
            }
            List<String> splitBy = splitBy(parameter);
            Set<Long> allowed = null;
            StringBuilder filterText = new StringBuilder();
            JsonNode filter = value("filter");
            if (filter != null && !filter.isNull()) {
                allowed = filter(filter, filterText);
            }
            FigureSpec.Best best = best();
            FigureSpec.Score score = kind == FigureSpec.Kind.SENSITIVITY
                    ? score(value("score"), where("score"), new FigureSpec.Score(false, 0.1)) : null;
            if (kind == FigureSpec.Kind.CURVES && where("score") != null) {
                throw error("score", "'score' is for sensitivity figures; to rank curves use best: {k: 3, score: auc}");
            }
            FigureSpec.Bootstrap bootstrap = bootstrap();
            String title = string("title", name);
            String xLabel = string("xLabel", kind == FigureSpec.Kind.SENSITIVITY ? parameter : "Steps");
            String yLabel = string("yLabel", kind == FigureSpec.Kind.SENSITIVITY ? metric + " (" + score.describe() + ")"
                    : metric);
            return new FigureSpec(name, kind, title, metric, xLabel, yLabel, scale, splitBy, allowed,
                    filterText.toString(), best, smoothing(), choice("band", FigureSpec.Band.class, FigureSpec.Band.STDERR),
                    bootstrap, choice("unequalLength", FigureSpec.UnequalLength.class, FigureSpec.UnequalLength.TRUNCATE),
                    integer("resamplePoints", 200, 2, 100_000), bool("logX"), bool("logY"),
                    integer("width", 900, 200, 4000), integer("height", 560, 150, 4000), parameter, score);
        }

        private List<String> splitBy(String parameter) {
            JsonNode v = value("splitBy");
            List<String> keys = new ArrayList<>();
            if (v == null || v.isNull()) {
                return keys;
            }
            String w = where("splitBy");
            if (v.isTextual()) {
                keys.add(key(v, w, "'splitBy'"));
            } else if (v.isArray()) {
                for (int i = 0; i < v.size(); i++) {
                    String k = key(v.get(i), w + "/" + i, "'splitBy'");
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
            return keys;
        }

        /** The sweep positions whose values pass the filter, found with the sweep's own search (Python equality). */
        private Set<Long> filter(JsonNode filter, StringBuilder text) {
            String w = where("filter");
            if (!filter.isObject() || filter.isEmpty()) {
                throw tree.error(w, "'filter' must be a mapping of keys to a value or a list of values, "
                        + "e.g. {epsilon: [0.01, 0.1]}");
            }
            List<String> keys = new ArrayList<>();
            List<List<JsonNode>> choices = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String pointer = w + "/" + e.getKey();
                key(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()), pointer, "filter key");
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

        private FigureSpec.Score score(JsonNode v, String pointer, FigureSpec.Score otherwise) {
            if (v == null || v.isNull()) {
                return otherwise;
            }
            if (v.isTextual() && v.textValue().equals("auc")) {
                return new FigureSpec.Score(true, 0);
            }
            if (v.isTextual() && v.textValue().equals("last")) {
                return new FigureSpec.Score(false, 0.1);
            }
            if (v.isObject() && v.size() == 1 && v.has("last")) {
                JsonNode f = v.get("last");
                if (!f.isNumber() || !(f.asDouble() > 0 && f.asDouble() <= 1)) {
                    throw tree.error(pointer + "/last", "'last' is the fraction of steps at the end, from 0 (excluded) to 1, "
                            + "e.g. 0.1 for the last 10%");
                }
                return new FigureSpec.Score(false, f.asDouble());
            }
            throw tree.error(pointer, "a score is 'auc' (area under the curve), 'last' (mean of the last 10% of steps) or "
                    + "{last: 0.2}");
        }

        private FigureSpec.Best best() {
            JsonNode v = value("best");
            if (v == null || v.isNull()) {
                return null;
            }
            String w = where("best");
            if (!v.isObject() || !v.has("k")) {
                throw tree.error(w, "'best' must be a mapping like {k: 3, score: auc, higherIsBetter: true}");
            }
            checkFields(tree, v, w, Set.of("k", "score", "higherIsBetter"));
            JsonNode k = v.get("k");
            if (!k.isIntegralNumber() || k.asInt() < 1) {
                throw tree.error(w + "/k", "'k' must be a whole number of at least 1");
            }
            JsonNode hib = v.get("higherIsBetter");
            if (hib != null && !hib.isBoolean()) {
                throw tree.error(w + "/higherIsBetter", "'higherIsBetter' must be true or false");
            }
            return new FigureSpec.Best(k.asInt(), score(v.get("score"), w + "/score", new FigureSpec.Score(true, 0)),
                    hib == null || hib.booleanValue());
        }

        private FigureSpec.Smoothing smoothing() {
            JsonNode v = value("smoothing");
            String w = where("smoothing");
            if (v == null || v.isNull() || (v.isTextual() && v.textValue().equals("none"))) {
                return FigureSpec.Smoothing.NONE;
            }
            if (v.isObject() && v.size() == 1 && v.has("exponential")) {
                JsonNode e = v.get("exponential");
                if (!e.isNumber() || !(e.asDouble() >= 0 && e.asDouble() < 1)) {
                    throw tree.error(w + "/exponential", "the exponential smoothing weight must be from 0 to 1 (excluded), "
                            + "e.g. 0.9");
                }
                return new FigureSpec.Smoothing(FigureSpec.Smoothing.Type.EXPONENTIAL, e.asDouble(), 0);
            }
            if (v.isObject() && v.size() == 1 && v.has("window")) {
                JsonNode n = v.get("window");
                if (!n.isIntegralNumber() || n.asInt() < 1) {
                    throw tree.error(w + "/window", "the window must be a whole number of points, at least 1");
                }
                return new FigureSpec.Smoothing(FigureSpec.Smoothing.Type.WINDOW, 0, n.asInt());
            }
            throw tree.error(w, "'smoothing' is none, {exponential: 0.9} or {window: 10}");
        }

        private FigureSpec.Bootstrap bootstrap() {
            JsonNode v = value("bootstrap");
            if (v == null || v.isNull()) {
                return new FigureSpec.Bootstrap(1000, 0.95, 1);
            }
            String w = where("bootstrap");
            if (!v.isObject()) {
                throw tree.error(w, "'bootstrap' must be a mapping like {resamples: 1000, confidence: 0.95, seed: 1}");
            }
            checkFields(tree, v, w, Set.of("resamples", "confidence", "seed"));
            int resamples = 1000;
            if (v.has("resamples")) {
                JsonNode r = v.get("resamples");
                if (!r.isIntegralNumber() || r.asInt() < 100 || r.asInt() > 100_000) {
                    throw tree.error(w + "/resamples", "'resamples' must be a whole number from 100 to 100000");
                }
                resamples = r.asInt();
            }
            double confidence = 0.95;
            if (v.has("confidence")) {
                JsonNode c = v.get("confidence");
                if (!c.isNumber() || !(c.asDouble() > 0 && c.asDouble() < 1)) {
                    throw tree.error(w + "/confidence", "'confidence' must be between 0 and 1, e.g. 0.95");
                }
                confidence = c.asDouble();
            }
            long seed = 1;
            if (v.has("seed")) {
                if (!v.get("seed").isIntegralNumber()) {
                    throw tree.error(w + "/seed", "'seed' must be a whole number");
                }
                seed = v.get("seed").asLong();
            }
            return new FigureSpec.Bootstrap(resamples, confidence, seed);
        }
    }
}
