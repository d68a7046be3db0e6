package dev.alphaex.merge;

import dev.alphaex.files.Sha256;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A log read and checked, on its way into the store: either refused already (a bad name, a bad
 * log, an index merged before) or mapped onto the store's columns and waiting for its commit
 * ({@link MergeStore#commit}); then it holds its outcome.
 */
public final class PreparedLog {
    final String file;
    final long index;
    final long bytes;
    String sha;
    String done;
    RunLog log;
    Schema schema;
    int[] map;
    double[] steps;
    double[][] values;
    /** The run's values as the store keeps them ({@link RunValues}). */
    String json;
    byte[] packed;
    StoreDb.LogRow row;
    MergeResult result;
    IOException failure;

    PreparedLog(String file, long index, long bytes) {
        this.file = file;
        this.index = index;
        this.bytes = bytes;
    }

    static PreparedLog refused(String file, String reason) {
        PreparedLog p = new PreparedLog(file, MergeStore.indexOf(file), 0);
        p.result = MergeResult.refused(file, p.index, 0, reason);
        return p;
    }

    /** Where the log goes in the inbox once merged (recorded with it), e.g. {@code done/7.csv}. */
    public void movesTo(String done) {
        this.done = done;
    }

    /** The outcome for an index merged before: a redelivery, or a second log refused (with why, when it can tell). */
    MergeResult againstMerged(StoreDb.LogRow before, byte[] content) {
        if (before.sha256().equals(sha)) {
            return MergeResult.alreadyMerged(file, index, file + ": identical to the log of index " + index
                    + " merged at " + before.mergedAt() + " (a redelivery): nothing to do");
        }
        String common = file + ": index " + index + " was already merged at " + before.mergedAt() + " from "
                + before.file() + " (" + before.rows() + " rows, " + before.bytes() + " bytes, sha256 "
                + before.sha256().substring(0, 12) + "...); this file differs.";
        String rebuild = " and rebuild the store (java -jar target/alphaex.jar rebuild-results --help)";
        if (content != null && before.bytes() < content.length
                && before.sha256().equals(Sha256.of(content, (int) before.bytes()))) {
            return MergeResult.refused(file, index, 0, common + " The merged log is the beginning of this one: it was "
                    + "still being written (copied in slowly?) when it was merged, and this is the complete file. "
                    + "To merge the complete log instead, replace the file in the inbox's done folder with this one" + rebuild);
        }
        return MergeResult.refused(file, index, 0, common + " A second log for an index is refused so that no "
                + "run is replaced or counted twice without you knowing. To replace a run, replace its log in the "
                + "inbox's done folder" + rebuild);
    }

    /** Lets go of the values once they are in the store and the summaries (a batch can be large). */
    void dropValues() {
        steps = null;
        values = null;
        json = null;
        packed = null;
    }

    /** Maps the checked log onto a schema: the store's columns, steps and values. */
    void plan(Schema s) throws BadLogException {
        List<String> want = s.logColumns();
        if (s.metrics.isEmpty()) {
            throw new BadLogException(log.name(), 1, "no metric column: the header has only '" + s.stepColumn + "'");
        }
        List<String> missing = new ArrayList<>(want);
        missing.removeAll(log.columns());
        List<String> extra = new ArrayList<>(log.columns());
        extra.removeAll(want);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new BadLogException(log.name(), 1, "the columns differ from the store's (" + String.join(",", want)
                    + ", fixed by " + s.fixedBy + ")" + (missing.isEmpty() ? "" : "; missing: " + String.join(",", missing))
                    + (extra.isEmpty() ? "" : "; extra: " + String.join(",", extra)));
        }
        if ((long) log.rows() * want.size() > RunValues.MAX_VALUES) {
            throw new BadLogException(log.name(), 0, log.rows() + " rows of " + want.size() + " values: the store takes "
                    + "at most " + RunValues.MAX_VALUES + " values (rows x columns) per log");
        }
        int[] m = new int[want.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = log.columns().indexOf(want.get(i));
        }
        int first = s.stepInLogs ? 1 : 0;
        double[][] v = new double[s.metrics.size()][];
        for (int k = 0; k < v.length; k++) {
            v[k] = log.column(m[first + k]);
        }
        double[] st = s.stepInLogs ? log.column(m[0]) : new double[log.rows()];
        if (!s.stepInLogs) {
            for (int r = 0; r < st.length; r++) {
                st[r] = r + 1;
            }
        }
        String text = RunValues.json(log, m, s.stepInLogs);
        if (text == null) {
            throw new BadLogException(log.name(), 0, "its values take more than " + RunValues.MAX_JSON + " characters "
                    + "as JSON: too large for one run of the store");
        }
        schema = s;
        map = m;
        steps = st;
        values = v;
        json = text;
        packed = RunValues.pack(st, v);
    }
}
