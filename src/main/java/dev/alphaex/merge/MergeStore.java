package dev.alphaex.merge;

import dev.alphaex.files.Sha256;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alphaex.sweep.Configuration;
import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The merged results of a campaign, in one folder:
 * <ul>
 *   <li>{@code results.db}: the store of record, SQLite in WAL mode (see {@link StoreDb}): other
 *       processes (Python's {@code sqlite3}, R) read it while the campaign writes;</li>
 *   <li>{@code merged.csv}: the tidy table as a file, one row per run and step (see {@link TidyCsv});</li>
 *   <li>{@code summaries/<configuration>.csv}: per step, the number of runs and per metric the
 *       mean, its standard error and Welford's M2, after a {@code #} comment line;</li>
 *   <li>{@code merger.lock}: held by the one process that merges into the folder ({@link StoreLock}).</li>
 * </ul>
 * Logs are read and checked in parallel ({@link #prepare}), and committed in groups ({@link #commit},
 * {@link StoreWriter}). Merging a log costs time proportional to that log. A log's name gives its
 * index ({@code <index>.csv}), the sweep its configuration and run. A second log for an index is
 * refused (the first is kept; nothing is replaced silently); the very same bytes again (a
 * redelivery) are recognised and change nothing. A missing store is rebuilt from the inbox's done
 * folder, a damaged one refused with the command that rebuilds it ({@link StoreRebuild}). Thread-safe.
 */
public final class MergeStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MergeStore.class);
    static final String TIDY = TidyCsv.FILE;
    static final String DB = StoreDb.FILE;
    static final String SUMMARIES = "summaries";
    static final ObjectMapper JSON = new ObjectMapper();

    /** Settings of a store. */
    public static final class Options {
        String stepColumn = "step";
        List<String> columns = List.of();
        boolean durable = true;
        long runs;
        Path inbox;

        /** The logs' step column (default {@code step}); logs without it get the row number from 1. */
        public Options stepColumn(String name) {
            this.stepColumn = name;
            return this;
        }

        /** Declares the logs' columns up front; by default the first merged log fixes them. */
        public Options columns(List<String> names) {
            this.columns = List.copyOf(names);
            return this;
        }

        /** Whether each commit is on disk before it is acknowledged (default true). */
        public Options durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** Runs per configuration when known (&gt; 0): indices from {@code total*runs} are refused. */
        public Options runs(long runs) {
            this.runs = runs;
            return this;
        }

        /** The inbox whose {@code done/} folder holds every merged log: what a missing store is rebuilt from. */
        public Options inbox(Path inbox) {
            this.inbox = inbox;
            return this;
        }

        Options copy() {
            return new Options().stepColumn(stepColumn).columns(columns).durable(durable).runs(runs).inbox(inbox);
        }
    }

    private final Path dir;
    private final Sweep sweep;
    private final Options options;
    private final LogIntake intake;
    private final StoreLock lock;
    private final String sweepSha256;
    /** Committed logs by index (read without a lock for the early duplicate check). */
    private final Map<Long, StoreDb.LogRow> merged = new ConcurrentHashMap<>();
    private final Map<Long, Configuration> configurations = new ConcurrentHashMap<>();
    private final Summaries summaries;
    private StoreDb db;
    private TidyCsv tidy;
    private StoreWriter writer;

    private MergeStore(Path dir, Sweep sweep, Options options, StoreLock lock) {
        this.dir = dir;
        this.sweep = sweep;
        this.options = options;
        this.intake = new LogIntake(sweep, options, merged::get, () -> writer.schema());
        this.lock = lock;
        this.sweepSha256 = Sha256.ofFileOrNull(Path.of(sweep.source()));
        this.summaries = new Summaries(dir.resolve(SUMMARIES), this::configuration);
    }

    /**
     * Opens the store in {@code dir} for the sweep: creates it, or rebuilds it from the inbox's
     * done folder when it is missing (also from a results folder of the old format), and merges
     * logs of done/ that it lacks.
     *
     * @throws IllegalStateException when another merger holds the folder, the store belongs to another
     *                               sweep, is damaged or cannot be rebuilt (the message says what to do)
     */
    public static MergeStore open(Path dir, Sweep sweep, Options options) throws IOException {
        return open(StoreLock.take(dir), dir, sweep, options);
    }

    private static MergeStore open(StoreLock lock, Path dir, Sweep sweep, Options options) throws IOException {
        MergeStore store = null;
        try {
            if (!Files.exists(dir.resolve(DB))) {
                StoreRebuild.ensure(dir, sweep, options);
            } else {
                StoreMigration.upgrade(dir, sweep, options);
            }
            store = new MergeStore(dir, sweep, options.copy(), lock);
            store.load();
            if (options.inbox != null) {
                StoreRebuild.catchUp(store, options.inbox.resolve(InboxMerger.DONE));
            }
            return store;
        } catch (IOException | RuntimeException e) {
            if (store != null) {
                store.crash();
            } else {
                lock.close();
            }
            throw e;
        }
    }

    /**
     * Builds the store again from the logs in the inbox's done folder (e.g. after a log there was
     * replaced, or when the database is damaged): the current database is moved into
     * {@code set-aside-<time>/} first, then the store opens as a missing one does. Refused while a
     * merger holds the folder.
     *
     * @return the opened store, and where the old database went (null when there was none)
     */
    public static Rebuilt rebuild(Path dir, Sweep sweep, Options options) throws IOException {
        if (options.inbox == null || StoreRebuild.list(options.inbox.resolve(InboxMerger.DONE)).isEmpty()) {
            throw new IllegalArgumentException((options.inbox == null ? "no inbox given" : options.inbox.resolve(InboxMerger.DONE)
                    + " holds no logs") + ": nothing to rebuild the store from; nothing was changed");
        }
        StoreLock lock = StoreLock.take(dir);
        Path aside;
        try {
            aside = StoreRebuild.setAside(dir);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        return new Rebuilt(open(lock, dir, sweep, options), aside);
    }

    /** A rebuilt store and where its old database went. */
    public record Rebuilt(MergeStore store, Path setAside) {
    }

    /** The folder of the store. */
    public Path dir() {
        return dir;
    }

    /** The sweep the store maps indices with. */
    public Sweep sweep() {
        return sweep;
    }

    // ---------------------------------------------------------------- opening

    private void load() throws IOException {
        Files.createDirectories(dir.resolve(SUMMARIES));
        try {
            db = StoreDb.open(dir.resolve(DB), options.durable);
            String check = db.quickCheck();
            if (!check.equals("ok")) {
                throw damaged("SQLite's quick_check says: " + check, null);
            }
            String format = db.meta("format");
            if (format == null) {
                db.setMeta("format", StoreDb.FORMAT);
            } else if (!format.equals(StoreDb.FORMAT)) {
                throw new IllegalStateException("results store " + dir.resolve(DB) + " is of the format '" + format
                        + "', this version reads '" + StoreDb.FORMAT + "': use the version that wrote it");
            }
            String schemaJson = db.meta("schema");
            Schema schema = schemaJson == null ? null : JSON.readValue(schemaJson, Schema.class);
            List<StoreDb.LogRow> logs = db.logs();
            if (schema == null && !logs.isEmpty()) {
                throw damaged("its table logs lists " + logs.size() + " runs but its shape (meta.schema) is missing", null);
            }
            if (schema != null) {
                SweepCheck.check(dir, schema, sweep, db.configurations());
            }
            logs.forEach(row -> merged.put(row.index(), row));
            String end = db.meta("tidy_end");
            long tidyEnd = end == null ? 0 : Long.parseLong(end);
            tidy = new TidyCsv(dir.resolve(TIDY));
            tidyEnd = tidy.reconcile(tidyEnd, schema, logs, row -> readRun(row, schema), db);
            writer = new StoreWriter(dir, db, tidy, this::configuration, sweep.total(), sweepSha256, this::merged, schema, logs.isEmpty() ? 0 : logs.get(logs.size() - 1).seq(), tidyEnd);
            if (schema == null && !options.columns.isEmpty()) {
                writer.fixSchema(Schema.of(sweep.source(), sweep.total(), sweep.keys(), options.stepColumn, options.columns,
                        "the declared columns"));
            }
            if (schema != null) {
                summaries.restore(schema, logs, this::readRun);
                if (sweepSha256 != null && !sweepSha256.equals(db.meta("sweep_sha256"))) {
                    db.setMeta("sweep_sha256", sweepSha256); // the same configurations (checked above), another text
                }
            }
        } catch (SQLException e) {
            throw damaged(e.getMessage(), e);
        } catch (BadLogException e) {
            throw new IllegalArgumentException("merge.columns: " + e.problem(), e);
        }
        if (!merged.isEmpty()) {
            LOG.info("Results store {}: {} runs of {} configurations merged", dir, merged.size(), summaries.configurations());
        }
    }

    private IllegalStateException damaged(String what, Exception cause) {
        return new IllegalStateException("results store " + dir.resolve(DB) + " is damaged (" + what + "); nothing was "
                + "merged or changed. The logs it was built from are in the inbox's done folder; rebuild it from them "
                + "with: " + StoreRebuild.command(dir, sweep, options) + " (the damaged file is kept aside)", cause);
    }

    // ---------------------------------------------------------------- merging

    /** Parses the index a log's file name gives, or -1 when the name is not {@code <index>.csv}. */
    public static long indexOf(String fileName) {
        return LogIntake.indexOf(fileName);
    }

    /**
     * Merges one log, or says why not ({@link #prepare} then {@link #commit}). A refused file
     * changes nothing. In durable mode the merge is on disk when this returns.
     *
     * @param fileName the log's name, {@code <index>.csv}
     * @param bytes    the log's content
     * @throws IOException when the store cannot be written (nothing is merged then either)
     */
    public MergeResult merge(String fileName, byte[] bytes) throws IOException {
        return commit(prepare(fileName, bytes));
    }

    /**
     * Reads and checks a log (any thread, in parallel): the result is either refused already (a bad
     * name, a bad log, an index merged before) or waits for {@link #commit}.
     */
    public PreparedLog prepare(String fileName, byte[] bytes) {
        return intake.prepare(fileName, bytes);
    }

    /**
     * Commits a prepared log, together with every other log prepared and waiting meanwhile: one
     * transaction for the group. Returns the log's outcome (merged, a redelivery, or refused).
     *
     * @throws IOException when the store cannot be written: nothing of the group is merged
     */
    public MergeResult commit(PreparedLog p) throws IOException {
        return writer.commitAll(List.of(p)).get(0);
    }

    /** As {@link #commit}, for several logs (all in the same transaction or a later one). */
    List<MergeResult> commitAll(List<PreparedLog> logs) throws IOException {
        return writer.commitAll(logs);
    }

    /** A log committed (the writer's call, in merge order). */
    private void merged(PreparedLog p) {
        merged.put(p.index, p.row);
        summaries.add(p.row, writer.schema().metrics.size(), p.steps, p.values);
        p.dropValues();
    }

    private Configuration configuration(long combination) {
        return configurations.computeIfAbsent(combination, sweep::parse);
    }

    /** Writes a file by writing a temporary sibling and renaming it over the target. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---------------------------------------------------------------- summaries and reading

    /** Writes the summaries changed since the last flush (one small file per configuration). */
    public void flush() throws IOException {
        Schema s = writer.schema();
        if (s != null) {
            summaries.flush(s);
        }
    }

    /** The state of the store now: per configuration summaries, shared with later snapshots until they change. */
    public ResultsSnapshot snapshot() {
        Schema s = writer.schema();
        long version = writer.lastSeq();
        List<ConfigSummary> list = summaries.snapshot();
        return new ResultsSnapshot(this, s == null ? List.of() : List.copyOf(s.metrics),
                s == null ? List.copyOf(sweep.keys()) : List.copyOf(s.keys), list, merged.size(), version);
    }

    /** Whether the index has been merged. */
    public boolean contains(long index) {
        return merged.containsKey(index);
    }

    /** Number of merged runs. */
    public int size() {
        return merged.size();
    }

    /** The merged values of one run. */
    public RunData readRun(long index) throws IOException {
        StoreDb.LogRow row = merged.get(index);
        if (row == null) {
            throw new IllegalArgumentException("index " + index + " is not merged");
        }
        return readRun(row);
    }

    private RunData readRun(StoreDb.LogRow row) throws IOException {
        return readRun(row, writer.schema());
    }

    private RunData readRun(StoreDb.LogRow row, Schema schema) throws IOException {
        try {
            return db.readRun(row.index(), row.rows(), schema.metrics.size());
        } catch (SQLException e) {
            throw new IOException("results store " + dir.resolve(DB) + ": cannot read the run of index " + row.index()
                    + ": " + e.getMessage(), e);
        }
    }

    /** How many transactions committed logs (for tests: one per group). */
    long groupCommits() {
        return writer.groupCommits();
    }

    /** Lets go of everything without writing more: what a killed process leaves behind (for tests). */
    void crash() throws IOException {
        if (writer == null) {
            release();
        } else {
            writer.close(this::release);
        }
    }

    private void release() throws IOException {
        try {
            if (db != null) {
                db.close();
            }
            if (tidy != null) {
                tidy.close();
            }
        } finally {
            lock.close();
        }
    }

    @Override
    public void close() throws IOException {
        if (writer == null) {
            release();
            return;
        }
        writer.close(() -> {
            try {
                flush();
            } finally {
                release();
            }
        });
    }
}
