package dev.alphaex.plot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.merge.Values;
import dev.alphaex.sweep.Configuration;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** How configurations and steps are named on charts, in legends, tables and warnings. */
final class Labels {
    private Labels() {
    }

    /** Every value of a configuration, for warnings: {@code epsilon=0.1, alpha=0.5}. */
    static String describe(Configuration c) {
        List<String> parts = new ArrayList<>();
        c.values().forEach((k, v) -> parts.add(k + "=" + Values.text(v)));
        return parts.isEmpty() ? "the only configuration" : String.join(", ", parts);
    }

    /** Keys (of {@code keys}, not excluded) whose values differ among the configurations: they tell the curves apart. */
    static List<String> varyingKeys(List<String> keys, List<Configuration> configs, Set<String> excluded) {
        List<String> varying = new ArrayList<>();
        for (String k : keys) {
            if (excluded.contains(k)) {
                continue;
            }
            Set<String> seen = new LinkedHashSet<>();
            for (Configuration c : configs) {
                JsonNode v = c.get(k);
                seen.add(v == null ? "\u0000" : Values.text(v));
            }
            if (seen.size() > 1) {
                varying.add(k);
            }
        }
        return varying;
    }

    /** A configuration's label: its values of the given keys, else of every key not excluded. */
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

    /** A step as text: whole steps without a decimal point. */
    static String step(double s) {
        return s == Math.rint(s) && Math.abs(s) < 1e15 ? Long.toString((long) s) : Values.number(s);
    }
}
