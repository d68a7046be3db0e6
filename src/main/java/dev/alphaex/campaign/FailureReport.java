package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the campaign's failures read: the failed indices grouped by outcome as ranges, each group with the
 * reason of its first index.
 */
final class FailureReport {
    private FailureReport() {
    }

    /** The failed entries as {@code FAILED exit 3: 0-1,3-4 (index 0: stderr: ...) / TIMEOUT: 7}, or "" when none failed. */
    static String summary(Collection<LedgerState.Entry> entries) {
        Map<String, List<LedgerState.Entry>> groups = new TreeMap<>();
        for (LedgerState.Entry en : entries) {
            if (en.phase == Phase.FAILED) {
                groups.computeIfAbsent(en.outcome + (en.exitCode == null ? "" : " exit " + en.exitCode), k -> new ArrayList<>()).add(en);
            }
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<LedgerState.Entry>> g : groups.entrySet()) {
            List<LedgerState.Entry> failed = g.getValue();
            failed.sort((a, b) -> Long.compare(a.index, b.index));
            long[] indices = failed.stream().mapToLong(en -> en.index).toArray();
            LedgerState.Entry first = failed.get(0);
            parts.add(g.getKey() + ": " + ArrayRanges.compress(indices)
                    + (first.reason.isEmpty() ? "" : " (index " + first.index + ": " + first.reason + ")"));
        }
        return String.join(" / ", parts);
    }
}
