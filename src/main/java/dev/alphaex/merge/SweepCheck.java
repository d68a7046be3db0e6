package dev.alphaex.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.sweep.Sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a sweep still maps every merged run where it was merged: the same number of
 * combinations, the same keys, and for every configuration with merged runs, the same values as
 * when they were merged (as a legend or merged.csv shows them, and of the same JSON kind). An
 * edited value (epsilon 0.1 -> 0.2) would relabel runs of 0.1 as 0.2: refused, with what changed.
 * A sweep written differently with the same configurations (spaces, 0.10 for 0.1) is the same sweep.
 */
final class SweepCheck {
    private static final int SHOWN = 10;

    private SweepCheck() {
    }

    /**
     * @param merged one configuration as merged (JSON) per combination with runs
     * @throws IllegalStateException when the sweep maps a merged run to another configuration
     */
    static void check(Path dir, Schema schema, Sweep sweep, Map<Long, String> merged) {
        if (!schema.keys.equals(sweep.keys()) || schema.total != sweep.total()) {
            throw new IllegalStateException("results store " + dir + " was built for the sweep " + schema.sweep + " ("
                    + schema.total + " configurations, keys " + schema.keys + ") but the sweep " + sweep.source()
                    + " has " + sweep.total() + " configurations, keys " + sweep.keys()
                    + ": indices would map to other configurations. Restore the sweep as it was, or use another "
                    + "results folder (results.dir) for this sweep");
        }
        List<String> changes = new ArrayList<>();
        int changed = 0;
        for (Map.Entry<Long, String> e : merged.entrySet()) {
            JsonNode before = read(e.getValue());
            Map<String, JsonNode> now = sweep.parse(e.getKey()).values();
            Set<String> keys = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(keys::add);
            keys.addAll(now.keySet());
            List<String> diff = new ArrayList<>();
            for (String key : keys) {
                JsonNode a = before.get(key);
                JsonNode b = now.get(key);
                if (!same(a, b)) {
                    diff.add(key + " " + show(a) + " -> " + show(b));
                }
            }
            if (!diff.isEmpty()) {
                changed++;
                if (changes.size() < SHOWN) {
                    changes.add("configuration " + e.getKey() + ": " + String.join(", ", diff));
                }
            }
        }
        if (changed > 0) {
            throw new IllegalStateException("results store " + dir + " holds runs merged with other values than the sweep "
                    + sweep.source() + " now gives them; charts would relabel them. Changed (as merged -> now), in "
                    + changed + " configuration" + (changed == 1 ? "" : "s") + " with merged runs: "
                    + String.join("; ", changes) + (changed > changes.size() ? "; ..." : "")
                    + ". Restore the sweep as it was, or run the edited sweep as a new campaign (another "
                    + "campaign.name, or results.dir and inbox)");
        }
    }

    private static JsonNode read(String json) {
        try {
            return MergeStore.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        return kind(a).equals(kind(b)) && Values.text(a).equals(Values.text(b));
    }

    private static String kind(JsonNode v) {
        if (v.isNumber()) {
            return v.isIntegralNumber() ? "integer" : "float";
        }
        return v.getNodeType().name();
    }

    private static String show(JsonNode v) {
        if (v == null) {
            return "(no such key)";
        }
        return v.isTextual() ? v.toString() : Values.text(v);
    }
}
