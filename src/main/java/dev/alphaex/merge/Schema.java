package dev.alphaex.merge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape of a store, fixed by the first merged log (or by declared columns) and kept in
 * {@code store.json}: the sweep it belongs to, the logs' columns, and the merged CSV's header.
 * A configuration key that would collide with {@code index}, {@code run}, {@code step} or a
 * metric is written under {@code config.<key>} in the merged CSV.
 */
final class Schema {
    public int version = 1;
    /** The sweep file the store was built with (for messages). */
    public String sweep;
    public long total;
    /** The sweep's keys in the sweep's order. */
    public List<String> keys = new ArrayList<>();
    /** The merged CSV's column for each key (same order). */
    public List<String> configColumns = new ArrayList<>();
    /** The name of the logs' step column. */
    public String stepColumn;
    /** Whether logs carry the step column (else step is the row's number, from 1). */
    public boolean stepInLogs;
    /** The logs' other columns, in the merged CSV's order. */
    public List<String> metrics = new ArrayList<>();
    /** Which file (or setting) fixed the columns, for messages. */
    public String fixedBy;

    static Schema of(String sweepSource, long total, List<String> keys, String stepColumn, List<String> logColumns,
                     String fixedBy) {
        Schema s = new Schema();
        s.sweep = sweepSource;
        s.total = total;
        s.keys = List.copyOf(keys);
        s.stepColumn = stepColumn;
        s.stepInLogs = logColumns.contains(stepColumn);
        for (String c : logColumns) {
            if (!c.equals(stepColumn)) {
                s.metrics.add(c);
            }
        }
        Set<String> taken = new HashSet<>(List.of("index", "run", "step"));
        taken.addAll(s.metrics);
        for (String k : keys) {
            String col = k;
            while (taken.contains(col)) {
                col = "config." + col;
            }
            taken.add(col);
            s.configColumns.add(col);
        }
        s.fixedBy = fixedBy;
        return s;
    }

    /** The columns a log must have, in the store's order. */
    List<String> logColumns() {
        List<String> cols = new ArrayList<>();
        if (stepInLogs) {
            cols.add(stepColumn);
        }
        cols.addAll(metrics);
        return cols;
    }

    /** The merged CSV's header. */
    List<String> tidyHeader() {
        List<String> h = new ArrayList<>();
        h.add("index");
        h.add("run");
        h.addAll(configColumns);
        h.add("step");
        h.addAll(metrics);
        return h;
    }
}
