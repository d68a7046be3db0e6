package dev.alphaex.plot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.alphaex.sweep.Sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The plot spec: which figures to draw from the merged results (YAML or JSON, e.g.
 * {@code config/plots.yaml}; the fields are described in README.md, "Plot spec"). A top-level
 * {@code figures} list, and optional {@code defaults} that every figure inherits. The file is
 * bound by Jackson into {@link SpecFile} (types, enumerations, unknown fields), then each figure is
 * resolved into a {@link FigureSpec} by {@link FigureResolver} (defaults, the fields each kind takes,
 * keys of the sweep, filters); repeated names are refused here. Errors name the file, line, column
 * and the place (a JSON pointer), and what to write instead. Metrics are checked against the merged logs when the figures are drawn.
 */
public final class PlotSpec {
    /** Fields that only make sense per figure. */
    private static final List<String> PER_FIGURE = List.of("name", "title", "metric", "parameter");
    private static final ObjectMapper BINDER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

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
        SpecFile file = bind(tree, root);
        if (file.defaults() != null) {
            for (String f : PER_FIGURE) {
                if (root.get("defaults").has(f)) {
                    throw tree.error("/defaults/" + f, "'" + f + "' belongs to each figure, not to the defaults");
                }
            }
        }
        if (file.figures() == null || file.figures().isEmpty()) {
            throw tree.error(root.has("figures") ? "/figures" : "", "'figures' must be a non-empty list of figures");
        }
        List<FigureSpec> figures = new ArrayList<>();
        Map<String, Integer> names = new LinkedHashMap<>();
        for (int i = 0; i < file.figures().size(); i++) {
            String at = "/figures/" + i;
            if (file.figures().get(i) == null) {
                throw tree.error(at, "a figure must be a mapping (name, metric, ...)");
            }
            FigureSpec spec = new FigureResolver(tree, at, file.figures().get(i), file.defaults(), sweep).resolve();
            Integer before = names.putIfAbsent(spec.name(), i);
            if (before != null) {
                throw tree.error(at + "/name", "the name '" + spec.name() + "' is also the name of figure " + before
                        + ": chart files would overwrite each other");
            }
            figures.add(spec);
        }
        return new PlotSpec(source, figures);
    }

    /** Binds the tree with Jackson; its exceptions become messages that name the place and the fix. */
    private static SpecFile bind(YamlTree tree, JsonNode root) {
        try {
            return BINDER.treeToValue(root, SpecFile.class);
        } catch (JsonMappingException e) {
            String at = pointer(e);
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SpecFile.Problem p) {
                    throw tree.error(at + p.below, p.getMessage());
                }
            }
            String field = field(e);
            if (e instanceof UnrecognizedPropertyException u) {
                Set<String> known = new TreeSet<>();
                u.getKnownPropertyIds().forEach(k -> known.add(k.toString()));
                throw tree.error(at, "unknown field '" + u.getPropertyName() + "'; known: " + String.join(", ", known));
            }
            if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
                List<String> names = new ArrayList<>();
                for (Object c : f.getTargetType().getEnumConstants()) {
                    names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT));
                }
                throw tree.error(at, "'" + field + "' is '" + f.getValue() + "'; use one of " + String.join(", ", names));
            }
            if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
                throw tree.error(at, mismatch(field, m.getTargetType()));
            }
            throw tree.error(at, "cannot be read: " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw tree.error("", "cannot be read: " + e.getOriginalMessage());
        }
    }

    private static String mismatch(String field, Class<?> type) {
        if (type == SpecFile.Fields.class) {
            return field == null ? "a figure must be a mapping (name, metric, ...)" : "'" + field
                    + "' must be a mapping of figure fields";
        }
        String what = type == Integer.class || type == int.class || type == Long.class ? "a whole number"
                : type == Double.class ? "a number"
                : type == Boolean.class ? "true or false"
                : type == String.class ? "text"
                : List.class.isAssignableFrom(type) ? "a list"
                : Map.class.isAssignableFrom(type) || type.isRecord() ? "a mapping"
                : type.isEnum() ? "one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                        .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList())
                : "a " + type.getSimpleName();
        return field == null ? "must be " + what : "'" + field + "' must be " + what;
    }

    /** The JSON pointer of the value an exception is about. */
    private static String pointer(JsonMappingException e) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                p.append('/').append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (r.getIndex() >= 0) {
                p.append('/').append(r.getIndex());
            }
        }
        return p.toString();
    }

    /** The name of the last field on the exception's path (null for a list element). */
    private static String field(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        return path.isEmpty() ? null : path.get(path.size() - 1).getFieldName();
    }
}
