package dev.alphaex.merge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The shape of a store, fixed by the first merged log (or by declared columns) and kept in the
 * store's {@code meta} table: the sweep it belongs to, the logs' columns, and the merged table's
 * columns. A configuration key that would collide with {@code index}, {@code run}, {@code step}
 * or a metric (ignoring case, as SQL does) is written under {@code config.<key>}.
 */
final class Schema {
    /** Column names the store uses itself; no metric may take one (compared ignoring case). */
    static final Set<String> RESERVED = Set.of("index", "run", "step", "_row");

    public int version = 2;
    /** The sweep file the store was built with (for messages). */
    public String sweep;
    public long total;
    /** The sweep's keys in the sweep's order. */
    public List<String> keys = new ArrayList<>();
    /** The merged table's column for each key (same order). */
    public List<String> configColumns = new ArrayList<>();
    /** The name of the logs' step column. */
    public String stepColumn;
    /** Whether logs carry the step column (else step is the row's number, from 1). */
    public boolean stepInLogs;
    /** The logs' other columns, in the merged table's order. */
    public List<String> metrics = new ArrayList<>();
    /** Which file (or setting) fixed the columns, for messages. */
    public String fixedBy;

    /**
     * The schema a first log (or the declared columns) gives.
     *
     * @throws BadLogException when a column cannot be a metric (a reserved name, or two names that
     *                         differ only in case)
     */
    static Schema of(String sweepSource, long total, List<String> keys, String stepColumn, List<String> logColumns,
                     String fixedBy) throws BadLogException {
        Schema s = new Schema();
        s.sweep = sweepSource;
        s.total = total;
        s.keys = List.copyOf(keys);
        s.stepColumn = stepColumn;
        s.stepInLogs = logColumns.contains(stepColumn);
        Set<String> taken = new HashSet<>();
        RESERVED.forEach(taken::add);
        for (String c : logColumns) {
            if (c.equals(stepColumn)) {
                continue;
            }
            if (!taken.add(c.toLowerCase(Locale.ROOT))) {
                throw new BadLogException(fixedBy, 1, RESERVED.contains(c.toLowerCase(Locale.ROOT))
                        ? "column '" + c + "' cannot be a metric: the merged table has a column of that name "
                        + "(index, run, step" + (stepColumn.equals("step") ? "" : ", or set merge.stepColumn=" + c) + ")"
                        : "column '" + c + "' differs from another column only in case; the results store (SQL) "
                        + "cannot tell them apart");
            }
            s.metrics.add(c);
        }
        for (String k : keys) {
            String col = k;
            while (taken.contains(col.toLowerCase(Locale.ROOT))) {
                col = "config." + col;
            }
            taken.add(col.toLowerCase(Locale.ROOT));
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

    /** The merged CSV's header (and the {@code merged} view's columns). */
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
