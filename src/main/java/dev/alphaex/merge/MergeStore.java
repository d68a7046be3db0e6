package dev.alphaex.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alphaex.sweep.Configuration;
import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * Logs are read and checked in parallel ({@link #prepare}), and committed in groups: whoever commits
 * takes every log prepared meanwhile into one transaction ({@link #commit}). Merging a log costs time
 * proportional to that log. A log's name gives its index ({@code <index>.csv}), the sweep its
 * configuration and run. A second log for an index is refused (the first is kept; nothing is
 * replaced silently); the very same bytes again (a redelivery) are recognised and change nothing.
 * A missing store is rebuilt from the inbox's done folder, a damaged one refused with the command
 * that rebuilds it ({@link StoreRebuild}). Thread-safe.
 */
public final class MergeStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MergeStore.class);
    static final String TIDY = TidyCsv.FILE;
    static final String DB = StoreDb.FILE;
    static final String SUMMARIES = "summaries";
    private static final Pattern NAME = Pattern.compile("(0|[1-9][0-9]{0,17})\\.csv");
    private static final Pattern PADDED = Pattern.compile("0+([0-9]{1,18})\\.csv");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

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
            Options o = new Options().stepColumn(stepColumn).columns(columns).durable(durable).runs(runs);
            o.inbox = inbox;
            return o;
        }
    }

    private final Path dir;
    private final Sweep sweep;
    private final Options options;
    private final LogReader reader;
    private final StoreLock lock;
    private final String sweepSha256;
    private StoreDb db;
    private TidyCsv tidy;
    /** Set once (the first log or the declared columns), under the write lock; read without it. */
    private volatile Schema schema;
    /** Committed logs by index (read without a lock for the early duplicate check). */
    private final Map<Long, StoreDb.LogRow> merged = new ConcurrentHashMap<>();
    private final Map<Long, Configuration> configurations = new ConcurrentHashMap<>();
    /** Guarded by this. */
    private final TreeMap<Long, Accumulator> accumulators = new TreeMap<>();
    private final Set<Long> unsaved = new TreeSet<>();
    private final Map<Long, ConfigSummary> snapshots = new HashMap<>();
    private long seq;
    private long tidyEnd;
    private long groupCommits;
    private boolean closed;
    /** One committer at a time; it takes every log queued meanwhile (group commit). */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<Prepared> queue = new ArrayList<>();

    private MergeStore(Path dir, Sweep sweep, Options options, StoreLock lock) {
        this.dir = dir;
        this.sweep = sweep;
        this.options = options;
        this.reader = new LogReader(options.stepColumn);
        this.lock = lock;
        this.sweepSha256 = sha256OfFile(Path.of(sweep.source()));
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
        if (options.inbox == null) {
            throw new IllegalArgumentException("a rebuild needs the inbox whose done/ folder holds the logs");
        }
        if (StoreRebuild.list(options.inbox.resolve(InboxMerger.DONE)).isEmpty()) {
            throw new IllegalArgumentException(options.inbox.resolve(InboxMerger.DONE) + " holds no logs to rebuild "
                    + "the store from; nothing was changed");
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

    Options options() {
        return options;
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
            schema = schemaJson == null ? null : JSON.readValue(schemaJson, Schema.class);
            List<StoreDb.LogRow> logs = db.logs();
            if (schema == null && !logs.isEmpty()) {
                throw damaged("its table logs lists " + logs.size() + " runs but its shape (meta.schema) is missing", null);
            }
            if (schema != null) {
                SweepCheck.check(dir, schema, sweep, db.configurations());
            }
            for (StoreDb.LogRow row : logs) {
                merged.put(row.index(), row);
                seq = row.seq();
            }
            String end = db.meta("tidy_end");
            tidyEnd = end == null ? 0 : Long.parseLong(end);
            tidy = new TidyCsv(dir.resolve(TIDY));
            if (schema == null && !options.columns.isEmpty()) {
                fixSchema(Schema.of(sweep.source(), sweep.total(), sweep.keys(), options.stepColumn, options.columns,
                        "the declared columns"));
            }
            checkTidy(logs);
            restoreSummaries(logs);
            if (sweepSha256 != null && schema != null && !sweepSha256.equals(db.meta("sweep_sha256"))) {
                db.setMeta("sweep_sha256", sweepSha256); // the same configurations (checked above), another text
            }
        } catch (SQLException e) {
            throw damaged(e.getMessage(), e);
        } catch (BadLogException e) {
            throw new IllegalArgumentException("merge.columns: " + e.problem(), e);
        }
        if (!merged.isEmpty()) {
            LOG.info("Results store {}: {} runs of {} configurations merged", dir, merged.size(), accumulators.size());
        }
    }

    /** The command that rebuilds this store from the inbox's done folder. */
    String rebuildCommand() {
        return "java -jar target/alphaex.jar rebuild-results --sweep " + sweep.source()
                + (options.runs > 0 ? " --runs " + options.runs : "")
                + " --inbox " + (options.inbox == null ? "<campaign.inbox>" : options.inbox) + " --results " + dir
                + (options.stepColumn.equals("step") ? "" : " --step-column " + options.stepColumn)
                + (options.columns.isEmpty() ? "" : " --columns " + String.join(",", options.columns));
    }

    private IllegalStateException damaged(String what, Exception cause) {
        return new IllegalStateException("results store " + dir.resolve(DB) + " is damaged (" + what + "); nothing was "
                + "merged or changed. The logs it was built from are in the inbox's done folder; rebuild it from them "
                + "with: " + rebuildCommand() + " (the damaged file is kept aside)", cause);
    }

    /** merged.csv against the committed length: cut off an uncommitted batch, or write it again when short. */
    private void checkTidy(List<StoreDb.LogRow> logs) throws IOException, SQLException {
        long size = tidy.size();
        if (size > tidyEnd) {
            LOG.warn("Results store {}: dropping {} bytes at the end of {} written by a batch that never committed "
                    + "(its logs are still in the inbox and merge again)", dir, size - tidyEnd, TIDY);
            tidy.truncate(tidyEnd);
        } else if (size < tidyEnd) {
            LOG.warn("Results store {}: {} has {} bytes but {} were committed (lost or edited by hand?): writing it "
                    + "again from {} ({} runs; numbers as Java prints them)", dir, TIDY, size, tidyEnd, DB, logs.size());
            rewriteTidy(logs);
        }
    }

    private void rewriteTidy(List<StoreDb.LogRow> logs) throws IOException, SQLException {
        tidy.truncate(0);
        byte[] header = TidyCsv.header(schema);
        tidy.write(header, 0);
        long at = header.length;
        for (StoreDb.LogRow row : logs) {
            JsonNode config = JSON.readTree(row.configuration());
            List<String> cells = new ArrayList<>();
            for (String key : schema.keys) {
                cells.add(Values.text(config.get(key)));
            }
            String prefix = TidyCsv.prefix(row.index(), row.run(), cells);
            RunData run = db.readRun(row.index(), row.seq(), row.rows(), schema.metrics.size());
            StringBuilder sb = new StringBuilder();
            double[] v = new double[schema.metrics.size()];
            for (int r = 0; r < row.rows(); r++) {
                for (int m = 0; m < v.length; m++) {
                    v[m] = run.values(m)[r];
                }
                TidyCsv.row(sb, prefix, run.steps()[r], v);
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            tidy.write(bytes, at);
            at += bytes.length;
        }
        tidy.force();
        db.setMeta("tidy_end", Long.toString(at));
        tidyEnd = at;
    }

    private void restoreSummaries(List<StoreDb.LogRow> logs) throws IOException {
        Map<Long, List<StoreDb.LogRow>> byCombination = new TreeMap<>();
        for (StoreDb.LogRow row : logs) {
            byCombination.computeIfAbsent(row.combination(), c -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<Long, List<StoreDb.LogRow>> e : byCombination.entrySet()) {
            long combination = e.getKey();
            List<StoreDb.LogRow> rows = e.getValue();
            Accumulator acc = new Accumulator(combination, schema.metrics.size());
            long[] indices = rows.stream().mapToLong(StoreDb.LogRow::index).toArray();
            if (!SummaryFile.restore(summaryFile(combination), schema, acc, indices, rows.get(rows.size() - 1).seq())) {
                LOG.info("Results store {}: rebuilding the summary of configuration {} from {} ({} runs)", dir,
                        combination, DB, rows.size());
                for (StoreDb.LogRow row : rows) {
                    RunData run = readRun(row);
                    acc.add(row.index(), row.seq(), run.steps(), values(run));
                }
                unsaved.add(combination);
            }
            accumulators.put(combination, acc);
        }
    }

    private double[][] values(RunData run) {
        double[][] v = new double[schema.metrics.size()][];
        for (int m = 0; m < v.length; m++) {
            v[m] = run.values(m);
        }
        return v;
    }

    // ---------------------------------------------------------------- merging

    /** Parses the index a log's file name gives, or -1 when the name is not {@code <index>.csv}. */
    public static long indexOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
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

    /** A log read and checked, on its way into the store (or already refused). */
    public static final class Prepared {
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
        StoreDb.LogRow row;
        MergeResult result;
        IOException failure;

        Prepared(String file, long index, long bytes) {
            this.file = file;
            this.index = index;
            this.bytes = bytes;
        }

        static Prepared refused(String file, String reason) {
            Prepared p = new Prepared(file, indexOf(file), 0);
            p.result = MergeResult.refused(file, p.index, 0, reason);
            return p;
        }

        /** Where the log goes in the inbox once merged (recorded with it), e.g. {@code done/7.csv}. */
        public void movesTo(String done) {
            this.done = done;
        }

        /** The outcome when it was decided without the store (a bad name or log, an index merged before), else null. */
        public MergeResult refusedEarly() {
            return row == null ? result : null;
        }
    }

    /**
     * Reads and checks a log (any thread, in parallel): the result is either refused already (a bad
     * name, a bad log, an index merged before) or waits for {@link #commit}.
     */
    public Prepared prepare(String fileName, byte[] bytes) {
        long index = indexOf(fileName);
        Prepared p = new Prepared(fileName, index, bytes.length);
        if (index < 0) {
            Matcher padded = PADDED.matcher(fileName);
            p.result = MergeResult.refused(fileName, -1, 0, fileName + (padded.matches()
                    ? ": an index with leading zeros is not taken, so that a log never merges under another "
                    + "index than its name seems to say; if it is the log of index " + Long.parseLong(padded.group(1))
                    + ", name it " + Long.parseLong(padded.group(1)) + ".csv"
                    : ": the name is not <index>.csv with a whole number index (e.g. 17.csv): the index is how a "
                    + "log finds its configuration and run"));
            return p;
        }
        long total = sweep.total();
        if (options.runs > 0 && index / options.runs >= total) {
            // index >= total * runs, without overflow
            p.result = MergeResult.refused(fileName, index, 0, fileName + ": index " + index + " is outside the "
                    + "campaign: the sweep " + sweep.source() + " has " + total + " configurations x " + options.runs
                    + " runs, so indices go from 0 to " + (total * options.runs - 1));
            return p;
        }
        p.sha = sha256(bytes, bytes.length);
        StoreDb.LogRow before = merged.get(index);
        if (before != null) {
            p.result = duplicate(p, before, bytes);
            return p;
        }
        try {
            p.log = reader.read(fileName, bytes);
            Schema current = schema;
            plan(p, current != null ? current
                    : Schema.of(sweep.source(), total, sweep.keys(), options.stepColumn, p.log.columns(), fileName));
        } catch (BadLogException e) {
            p.result = MergeResult.refused(e, index);
        }
        return p;
    }

    /** The outcome for an index merged before: a redelivery, or a second log refused. */
    private static MergeResult duplicate(Prepared p, StoreDb.LogRow before, byte[] bytes) {
        if (before.sha256().equals(p.sha)) {
            return MergeResult.alreadyMerged(p.file, p.index, p.file + ": identical to the log of index " + p.index
                    + " merged at " + before.mergedAt() + " (a redelivery): nothing to do");
        }
        String common = p.file + ": index " + p.index + " was already merged at " + before.mergedAt() + " from "
                + before.file() + " (" + before.rows() + " rows, " + before.bytes() + " bytes, sha256 "
                + before.sha256().substring(0, 12) + "...); this file differs.";
        if (bytes != null && before.bytes() < bytes.length && before.sha256().equals(sha256(bytes, (int) before.bytes()))) {
            return MergeResult.refused(p.file, p.index, 0, common + " The merged log is the beginning of this one: it was "
                    + "still being written (copied in slowly?) when it was merged, and this is the complete file. "
                    + "To merge the complete log instead, replace the file in the inbox's done folder with this one "
                    + "and rebuild the store (java -jar target/alphaex.jar rebuild-results --help)");
        }
        return MergeResult.refused(p.file, p.index, 0, common + " A second log for an index is refused so that no "
                + "run is replaced or counted twice without you knowing. To replace a run, replace its log in the "
                + "inbox's done folder and rebuild the store (java -jar target/alphaex.jar rebuild-results --help)");
    }

    /** Maps a checked log onto a schema: the store's columns, steps and values. */
    private void plan(Prepared p, Schema s) throws BadLogException {
        RunLog log = p.log;
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
        if (log.rows() >= 1 << StoreDb.ROW_BITS) {
            throw new BadLogException(log.name(), 0, log.rows() + " rows: the store takes at most " + ((1 << StoreDb.ROW_BITS) - 1)
                    + " rows per log");
        }
        int[] map = new int[want.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = log.columns().indexOf(want.get(i));
        }
        int first = s.stepInLogs ? 1 : 0;
        double[][] values = new double[s.metrics.size()][];
        for (int m = 0; m < values.length; m++) {
            values[m] = log.column(map[first + m]);
        }
        double[] steps = s.stepInLogs ? log.column(map[0]) : new double[log.rows()];
        if (!s.stepInLogs) {
            for (int r = 0; r < steps.length; r++) {
                steps[r] = r + 1;
            }
        }
        p.schema = s;
        p.map = map;
        p.steps = steps;
        p.values = values;
    }

    /**
     * Commits a prepared log, together with every other log prepared and waiting meanwhile: one
     * transaction for the group. Returns the log's outcome (merged, a redelivery, or refused).
     *
     * @throws IOException when the store cannot be written: nothing of the group is merged
     */
    public MergeResult commit(Prepared p) throws IOException {
        return commitAll(List.of(p)).get(0);
    }

    /** As {@link #commit}, for several logs (all in the same transaction or a later one). */
    List<MergeResult> commitAll(List<Prepared> logs) throws IOException {
        List<Prepared> waiting = new ArrayList<>();
        for (Prepared p : logs) {
            if (p.result == null) {
                waiting.add(p);
            }
        }
        if (!waiting.isEmpty()) {
            synchronized (queue) {
                queue.addAll(waiting);
            }
            writeLock.lock();
            try {
                if (waiting.stream().anyMatch(p -> p.result == null && p.failure == null)) {
                    commitQueued();
                }
            } finally {
                writeLock.unlock();
            }
        }
        List<MergeResult> results = new ArrayList<>(logs.size());
        for (Prepared p : logs) {
            if (p.failure != null) {
                throw new IOException("results store " + dir + ": cannot merge " + p.file + ": " + p.failure.getMessage(),
                        p.failure);
            }
            results.add(p.result);
        }
        return results;
    }

    private void commitQueued() throws IOException {
        List<Prepared> batch;
        synchronized (queue) {
            batch = new ArrayList<>(queue);
            queue.clear();
        }
        if (closed) {
            IOException e = new IOException("the results store " + dir + " is closed");
            batch.forEach(p -> p.failure = e);
            return;
        }
        Schema schemaBefore = schema;
        long seqBefore = seq;
        List<Prepared> mergedNow = new ArrayList<>();
        StringBuilder rows = new StringBuilder();
        try {
            db.begin();
            long start = schemaBefore == null ? 0 : tidyEnd;
            for (Prepared p : batch) {
                if (schema == null) {
                    fixSchemaInTransaction(p.schema);
                    rows.append(new String(TidyCsv.header(schema), StandardCharsets.UTF_8));
                } else if (p.schema != schema) {
                    try {
                        plan(p, schema); // the first log fixed the columns meanwhile
                    } catch (BadLogException e) {
                        p.result = MergeResult.refused(e, p.index);
                        continue;
                    }
                }
                long combination = p.index % sweep.total();
                long run = p.index / sweep.total();
                Configuration config = configuration(combination);
                StoreDb.LogRow row = new StoreDb.LogRow(p.index, seq + 1, combination, run, p.file, p.done, p.bytes,
                        p.sha, p.log.rows(), Instant.now().toString(), config.toJson(false).without("run").toString(),
                        sweepSha256);
                List<JsonNode> configValues = new ArrayList<>(schema.keys.size());
                List<String> cells = new ArrayList<>(schema.keys.size());
                for (String key : schema.keys) {
                    configValues.add(config.get(key));
                    cells.add(Values.text(config.get(key)));
                }
                if (!db.insert(schema, row, configValues, p.steps, p.values)) {
                    p.result = duplicate(p, db.log(p.index), null); // the key refuses a second log
                    continue;
                }
                seq++;
                TidyCsv.rows(rows, TidyCsv.prefix(p.index, run, cells), p.log, p.map, schema.stepInLogs);
                p.result = MergeResult.merged(p.file, p.index);
                p.row = row;
                p.log = null;
                mergedNow.add(p);
            }
            byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0) {
                tidy.write(bytes, start);
                if (options.durable) {
                    tidy.force(); // on disk before the commit that counts it
                }
                db.setMeta("tidy_end", Long.toString(start + bytes.length));
            }
            db.commit();
            tidyEnd = start + bytes.length;
            groupCommits++;
        } catch (SQLException | IOException | RuntimeException e) {
            db.rollback();
            try {
                tidy.truncate(schemaBefore == null ? 0 : tidyEnd);
            } catch (IOException ignored) {
                // cut off when the store is opened again
            }
            schema = schemaBefore;
            seq = seqBefore;
            IOException failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            for (Prepared p : batch) {
                p.failure = failure;
                p.result = null;
                p.row = null;
            }
            LOG.error("Results store {}: a batch of {} logs could not be committed ({}); they stay in the inbox",
                    dir, batch.size(), e.toString());
            return;
        }
        synchronized (this) {
            for (Prepared p : mergedNow) {
                StoreDb.LogRow row = p.row;
                merged.put(p.index, row);
                accumulators.computeIfAbsent(row.combination(), c -> new Accumulator(c, schema.metrics.size()))
                        .add(p.index, row.seq(), p.steps, p.values);
                unsaved.add(row.combination());
                snapshots.remove(row.combination());
                p.steps = null;
                p.values = null;
            }
        }
    }

    /** Fixes the columns before any log (declared columns): the tables and merged.csv's header. */
    private void fixSchema(Schema s) throws SQLException, IOException {
        db.begin();
        try {
            fixSchemaInTransaction(s);
            byte[] header = TidyCsv.header(s);
            tidy.truncate(0);
            tidy.write(header, 0);
            tidy.force();
            db.setMeta("tidy_end", Long.toString(header.length));
            db.commit();
            tidyEnd = header.length;
        } catch (SQLException | IOException | RuntimeException e) {
            db.rollback();
            schema = null;
            throw e;
        }
    }

    private void fixSchemaInTransaction(Schema s) throws SQLException, IOException {
        db.createTables(s);
        db.setMeta("schema", JSON.writeValueAsString(s));
        db.setMeta("sweep_sha256", sweepSha256 == null ? "" : sweepSha256);
        schema = s;
        LOG.info("Results store {}: columns {} (fixed by {})", dir, s.tidyHeader(), s.fixedBy);
    }

    private Configuration configuration(long combination) {
        return configurations.computeIfAbsent(combination, sweep::parse);
    }

    static String sha256(byte[] bytes, int length) {
        MessageDigest md = SHA256.get();
        md.reset();
        md.update(bytes, 0, length);
        return HexFormat.of().formatHex(md.digest());
    }

    /** The SHA-256 of a file's bytes, or null when it cannot be read (e.g. a sweep given as text). */
    private static String sha256OfFile(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return sha256(bytes, bytes.length);
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
    public synchronized void flush() throws IOException {
        for (long c : unsaved) {
            SummaryFile.write(summaryFile(c), schema, configuration(c), accumulators.get(c));
        }
        unsaved.clear();
    }

    private Path summaryFile(long combination) {
        return dir.resolve(SUMMARIES).resolve(combination + ".csv");
    }

    /** The state of the store now: per configuration summaries, shared with later snapshots until they change. */
    public synchronized ResultsSnapshot snapshot() {
        List<ConfigSummary> list = new ArrayList<>(accumulators.size());
        for (Accumulator acc : accumulators.values()) {
            ConfigSummary s = snapshots.get(acc.combination);
            if (s == null) {
                s = new ConfigSummary(acc.combination, configuration(acc.combination), acc.indices(), acc.snapshot());
                snapshots.put(acc.combination, s);
            }
            list.add(s);
        }
        Schema s = schema;
        return new ResultsSnapshot(this, s == null ? List.of() : List.copyOf(s.metrics),
                s == null ? List.copyOf(sweep.keys()) : List.copyOf(s.keys), list, merged.size(), seq);
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
        try {
            return db.readRun(row.index(), row.seq(), row.rows(), schema.metrics.size());
        } catch (SQLException e) {
            throw new IOException("results store " + dir.resolve(DB) + ": cannot read the run of index " + row.index()
                    + ": " + e.getMessage(), e);
        }
    }

    /** How many transactions committed logs (for tests: one per group). */
    synchronized long groupCommits() {
        return groupCommits;
    }

    /** Lets go of everything without writing more: what a killed process leaves behind (for tests). */
    void crash() throws IOException {
        writeLock.lock();
        try {
            release();
        } finally {
            writeLock.unlock();
        }
    }

    private void release() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
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
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                if (schema != null) {
                    flush();
                }
            } finally {
                release();
            }
        } finally {
            writeLock.unlock();
        }
    }
}
