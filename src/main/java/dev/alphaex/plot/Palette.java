package dev.alphaex.plot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.merge.Values;
import dev.alphaex.sweep.Configuration;
import dev.alphaex.sweep.Sweep;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Stroke;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Colours and line styles for curves: the Okabe-Ito palette (distinguishable with the common
 * colour-vision deficiencies), without its yellow, which vanishes on white. A configuration's
 * colour depends on the configuration and the spec only, so it keeps it in every figure: the
 * rank, in the sweep's order, of its values of the keys no figure splits by. Where a figure shows
 * configurations that differ only in keys other figures split by, dashes tell them apart. So
 * alpha=0.1 has one colour in every panel of a figure split by env, and in a figure not split,
 * its envs differ by dashes. Past seven colours, colours repeat with the next dash pattern.
 */
final class Palette {
    static final Color[] COLOURS = {
            new Color(0x0072B2), // blue
            new Color(0xD55E00), // vermillion
            new Color(0x009E73), // bluish green
            new Color(0xCC79A7), // reddish purple
            new Color(0xE69F00), // orange
            new Color(0x56B4E9), // sky blue
            new Color(0x000000), // black
    };
    private static final float[][] DASHES = {null, {6f, 4f}, {2f, 3f}, {8f, 3f, 2f, 3f}};
    /** Up to this many configurations, ranks follow the whole sweep; beyond, the merged ones. */
    private static final long ENUMERATE = 100_000;

    private final Sweep sweep;
    private final Map<Set<String>, Map<List<String>, Integer>> ranks = new HashMap<>();

    Palette(Sweep sweep) {
        this.sweep = sweep;
    }

    /** The rank of a configuration among the distinct values of the keys not excluded. */
    synchronized int rank(Set<String> excluded, Configuration c) {
        Map<List<String>, Integer> map = ranks.computeIfAbsent(Set.copyOf(excluded), this::enumerate);
        return map.computeIfAbsent(identity(excluded, c), k -> map.size());
    }

    private Map<List<String>, Integer> enumerate(Set<String> excluded) {
        Map<List<String>, Integer> map = new HashMap<>();
        if (sweep.total() <= ENUMERATE) {
            for (long i = 0; i < sweep.total(); i++) {
                map.putIfAbsent(identity(excluded, sweep.parse(i)), map.size());
            }
        }
        return map;
    }

    private List<String> identity(Set<String> excluded, Configuration c) {
        List<String> id = new ArrayList<>();
        for (String k : sweep.keys()) {
            if (!excluded.contains(k)) {
                JsonNode v = c.get(k);
                id.add(v == null ? "\u0000absent" : v.getNodeType() + ":" + Values.text(v));
            }
        }
        return id;
    }

    /**
     * {colour, dash} of a configuration in a figure: the colour from its values of the keys no
     * figure of the spec splits by; the dash from its values of the keys some figure splits by but
     * this one does not (solid when this figure splits by all of them).
     */
    int[] style(Set<String> specSplitKeys, Set<String> figureSplitKeys, Configuration c) {
        int colour = rank(specSplitKeys, c);
        Set<String> dashKeys = new java.util.HashSet<>(specSplitKeys);
        dashKeys.removeAll(figureSplitKeys);
        int dash = 0;
        if (!dashKeys.isEmpty()) {
            Set<String> notDash = new java.util.HashSet<>(sweep.keys());
            notDash.removeAll(dashKeys);
            dash = rank(notDash, c);
        }
        return new int[]{colour, (dash + colour / COLOURS.length) % DASHES.length};
    }

    /** The dash pattern of a rank alone (colours repeat with the next pattern). */
    static int dashOf(int rank) {
        return (rank / COLOURS.length) % DASHES.length;
    }

    static Color colour(int rank) {
        return COLOURS[rank % COLOURS.length];
    }

    static Stroke stroke(int dash, float width) {
        float[] d = DASHES[dash % DASHES.length];
        return d == null ? new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, d, 0f);
    }
}
