package dev.alphaex.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * AlphaEx's {@code search} over a {@link Sweep}: a depth-first walk in index order (keys from last to first,
 * nested objects likewise) that prunes choices contradicting a constraint or unable to supply a constrained key,
 * so the work follows the number of matches, not the total.
 */
final class SweepSearch {
    private final Sweep sweep;
    private final int[] constraintOfKey;
    private final JsonNode[] constraintValues;
    private final String[] constraintKeys;
    private final long required;
    private final IdentityHashMap<Sweep.Node, long[]> prefixMask = new IdentityHashMap<>();
    private final int[] assignedCount;
    private long assignedMask;
    private final int runs;
    private final List<Match> out = new ArrayList<>();

    SweepSearch(Sweep sweep, Map<String, ? extends JsonNode> constraints, int runs) {
        this.sweep = sweep;
        this.runs = runs;
        constraintOfKey = new int[sweep.keys().size()];
        Arrays.fill(constraintOfKey, -1);
        List<String> ck = new ArrayList<>();
        List<JsonNode> cv = new ArrayList<>();
        for (Map.Entry<String, ? extends JsonNode> e : constraints.entrySet()) {
            Integer id = sweep.keyIds().get(e.getKey());
            if (id != null) {
                constraintOfKey[id] = ck.size();
                ck.add(e.getKey());
                cv.add(e.getValue());
            }
        }
        constraintKeys = ck.toArray(new String[0]);
        constraintValues = cv.toArray(new JsonNode[0]);
        required = mask(constraintKeys.length);
        assignedCount = new int[sweep.keys().size()];
        masks(sweep.root());
    }

    private long mask(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    private long bit(int constraint) {
        return constraint < 64 ? 1L << constraint : 0L; // constraints past 64 are checked at the leaf only
    }

    /** Fills prefixMask for the node; returns the mask of constrained keys it can assign. */
    private long masks(Sweep.Node node) {
        long[] prefix = new long[node.keys.length];
        long acc = 0;
        for (int k = 0; k < node.keys.length; k++) {
            for (Object c : node.choices[k]) {
                if (c instanceof Sweep.Node) {
                    acc |= masks((Sweep.Node) c);
                } else if (constraintOfKey[node.keyIds[k]] >= 0) {
                    acc |= bit(constraintOfKey[node.keyIds[k]]);
                }
            }
            prefix[k] = acc;
        }
        prefixMask.put(node, prefix);
        return acc;
    }

    private final class Frame {
        final Sweep.Node node;
        final int pos;
        final long scale;
        final Frame next;
        final long remaining;

        Frame(Sweep.Node node, int pos, long scale, Frame next) {
            this.node = node;
            this.pos = pos;
            this.scale = scale;
            this.next = next;
            this.remaining = (pos >= 0 ? prefixMask.get(node)[pos] : 0L) | (next == null ? 0L : next.remaining);
        }
    }

    List<Match> run() {
        Sweep.Node root = sweep.root();
        dfs(new Frame(root, root.keys.length - 1, 1, null), 0);
        return out;
    }

    private void dfs(Frame f, long index) {
        long remaining = f == null ? 0 : f.remaining;
        if ((required & ~assignedMask & ~remaining) != 0) {
            return; // a constrained key is missing and nothing left can assign it
        }
        if (f == null) {
            leaf(index);
            return;
        }
        if (f.pos < 0) {
            dfs(f.next, index);
            return;
        }
        Sweep.Node n = f.node;
        int k = f.pos;
        long mult = f.scale * n.mult[k];
        Frame rest = new Frame(n, k - 1, f.scale, f.next);
        Object[] choices = n.choices[k];
        long[] starts = n.starts[k];
        for (int i = 0; i < choices.length; i++) {
            long at = index + starts[i] * mult;
            Object c = choices[i];
            if (c instanceof Sweep.Node) {
                Sweep.Node child = (Sweep.Node) c;
                dfs(new Frame(child, child.keys.length - 1, mult, rest), at);
                continue;
            }
            int id = n.keyIds[k];
            // walking backwards, the first assignment met is the one that wins in AlphaEx
            if (assignedCount[id]++ == 0 && constraintOfKey[id] >= 0) {
                int con = constraintOfKey[id];
                if (PyValues.equal(constraintValues[con], (JsonNode) c)) {
                    long before = assignedMask;
                    assignedMask |= bit(con);
                    dfs(rest, at);
                    assignedMask = before;
                }
            } else {
                dfs(rest, at);
            }
            assignedCount[id]--;
        }
    }

    private void leaf(long combination) {
        Configuration config = sweep.parse(combination);
        for (int c = 0; c < constraintKeys.length; c++) {
            JsonNode v = config.get(constraintKeys[c]);
            if (v == null || !PyValues.equal(constraintValues[c], v)) {
                return; // the walk's pruning is an optimisation; this check is the definition
            }
        }
        long[] ids = new long[runs];
        for (int r = 0; r < runs; r++) {
            ids[r] = combination + r * sweep.total();
        }
        out.add(new Match(ids, config));
    }
}
