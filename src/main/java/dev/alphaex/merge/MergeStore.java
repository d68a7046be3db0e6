package dev.alphaex.merge;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.alphaex.sweep.Configuration;
import dev.alphaex.sweep.Sweep;
import org.apache.commons.csv.CSVFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merged results of a campaign, on disk under one folder, updated one log at a time:
 * <ul>
 *   <li>{@code merged.csv}: the tidy table, one row per run and step:
 *       {@code index,run,<configuration keys...>,step,<metrics...>}, for pandas or R as is.
 *       Cells keep the job's own digits; configuration values read as {@link Values#text};
 *       a key that collides with {@code index}, {@code run}, {@code step} or a metric is
 *       written as {@code config.<key>}.</li>
 *   <li>{@code summaries/<configuration>.csv}: per step, the number of runs, and per metric the
 *       mean, its standard error and Welford's M2 (so that it can be continued exactly), after a
 *       {@code #} comment line (pandas: {@code read_csv(f, comment="#")}).</li>
 *   <li>{@code ledger.jsonl}: one line per merged run, written after its data: the commit.</li>
 *   <li>{@code runs.bin}: every run's values as doubles, for what needs single runs (bootstrap
 *       intervals, resampling, sensitivity) and for rebuilding a summary.</li>
 *   <li>{@code store.json}: the sweep and columns the store was built for.</li>
 * </ul>
 * Merging a log costs time proportional to that log. A store re-opened after a crash
 * truncates data of a merge that had not committed and rebuilds any summary that lags the
 * ledger, so no run is lost or counted twice.
 *
 * <p>A log's name gives its index ({@code <index>.csv}), the sweep its configuration and run.
 * A second log for an index already merged is refused (the first is kept; nothing is replaced
 * silently); the very same bytes again (a redelivery after a crash) are recognised and change
 * nothing. Thread-safe.
 */
public final class MergeStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MergeStore.class);
    static final String TIDY = "merged.csv";
    static final String BIN = "runs.bin";
    static final String LEDGER = "ledger.jsonl";
    static final String SCHEMA = "store.json";
    static final String SUMMARIES = "summaries";
    private static final int MAGIC = 0x414C5852; // "ALXR"
    private static final Pattern NAME = Pattern.compile("([0-9]{1,18})\\.csv");
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSON_LINE = new ObjectMapper();
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    /** Settings of a store. */
    public static final class Options {
        String stepColumn = "step";
        List<String> columns = List.of();
        boolean durable = true;
        long runs;

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

        /** Whether each merge is forced to disk before it is acknowledged (default true). */
        public Options durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** Runs per configuration when known (&gt; 0): indices from {@code total*runs} are refused. */
        public Options runs(long runs) {
            this.runs = runs;
            return this;
        }
    }

    private final Path dir;
    private final Sweep sweep;
    private final Options options;
    private final LogReader reader;
    /** Set once (the first log or the declared columns), under the lock; read without it. */
    private volatile Schema schema;
    private FileChannel tidy;
    private FileChannel bin;
    private FileChannel ledger;
    private long tidyEnd;
    private long binEnd;
    private long ledgerEnd;
    private long seq;
    /**
     * Durable mode (group commit): the ledger lines of merges whose data is written but not yet
     * forced. {@link #sync()} forces the data of all of them at once, then appends their lines
     * to the ledger and forces it: one pair of fsyncs for a group of logs instead of per log.
     */
    private final ByteArrayOutputStream unsyncedLedger = new ByteArrayOutputStream();
    /** The last ledger sequence number on disk (durable mode: forced). */
    private long durableSeq;
    /** Set when forcing the store failed: nothing more is merged until the store is re-opened. */
    private Exception broken;
    private long groupCommits;
    /** One group commit at a time; taken before the store's own lock, never after it. */
    private final Object syncLock = new Object();
    /** Written under the store's lock; concurrent so that a merge checks for a duplicate without it. */
    private final Map<Long, LedgerEntry> merged = new ConcurrentHashMap<>();
    private final TreeMap<Long, Accumulator> accumulators = new TreeMap<>();
    private final Set<Long> unsaved = new TreeSet<>();
    private final Map<Long, ConfigSummary> snapshots = new HashMap<>();
    private final Map<Long, Configuration> configurations = new ConcurrentHashMap<>();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private MergeStore(Path dir, Sweep sweep, Options options) {
        this.dir = dir;
        this.sweep = sweep;
        this.options = options;
        this.reader = new LogReader(options.stepColumn);
    }

    /**
     * Opens (or creates) the store in {@code dir} for the sweep, recovering from an interrupted
     * merge.
     *
     * @throws IllegalStateException when the store belongs to another sweep or was damaged
     */
    public static MergeStore open(Path dir, Sweep sweep, Options options) throws IOException {
        MergeStore store = new MergeStore(dir, sweep, options);
        store.load();
        return store;
    }

    /** The folder of the store. */
    public Path dir() {
        return dir;
    }

    /** The sweep the store maps indices with. */
    public Sweep sweep() {
        return sweep;
    }

    // ---------------------------------------------------------------- opening and recovery

    private void load() throws IOException {
        Files.createDirectories(dir.resolve(SUMMARIES));
        Path schemaFile = dir.resolve(SCHEMA);
        if (Files.exists(schemaFile)) {
            schema = JSON.readValue(schemaFile.toFile(), Schema.class);
            checkSweep();
        }
        ledger = FileChannel.open(dir.resolve(LEDGER), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        List<LedgerEntry> entries = readLedger();
        if (schema == null && !entries.isEmpty()) {
            throw damaged(SCHEMA + " is missing but " + LEDGER + " lists " + entries.size() + " merged runs");
        }
        if (schema == null && !options.columns.isEmpty()) {
            schema = Schema.of(sweep.source(), sweep.total(), sweep.keys(), options.stepColumn, options.columns,
                    "the declared columns");
        }
        tidy = FileChannel.open(dir.resolve(TIDY), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        bin = FileChannel.open(dir.resolve(BIN), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        LedgerEntry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
        if (schema == null) {
            truncateUncommitted(tidy, TIDY, 0);
            truncateUncommitted(bin, BIN, 0);
        } else {
            byte[] header = tidyHeaderBytes();
            if (last == null && tidy.size() < header.length) {
                tidy.truncate(0);
                writeFully(tidy, ByteBuffer.wrap(header), 0);
                writeSchema();
            }
            tidyEnd = last == null ? header.length : last.tidyEnd();
            binEnd = last == null ? 0 : last.binEnd();
            truncateUncommitted(tidy, TIDY, tidyEnd);
            truncateUncommitted(bin, BIN, binEnd);
        }
        Map<Long, List<LedgerEntry>> byCombination = new TreeMap<>();
        for (LedgerEntry e : entries) {
            merged.put(e.index(), e);
            byCombination.computeIfAbsent(e.combination(), c -> new ArrayList<>()).add(e);
            seq = e.seq();
        }
        durableSeq = seq;
        if (options.durable) {
            // what an earlier run (or a non-durable one) left in the page cache is on disk from here
            tidy.force(false);
            bin.force(false);
            ledger.force(false);
            forceDirectory(dir);
        }
        for (Map.Entry<Long, List<LedgerEntry>> e : byCombination.entrySet()) {
            accumulators.put(e.getKey(), restore(e.getKey(), e.getValue()));
        }
        if (!entries.isEmpty()) {
            LOG.info("Results store {}: {} runs of {} configurations merged", dir, entries.size(), accumulators.size());
        }
    }

    private void checkSweep() {
        if (!schema.keys.equals(sweep.keys()) || schema.total != sweep.total()) {
            throw new IllegalStateException("results store " + dir + " was built for the sweep " + schema.sweep + " ("
                    + schema.total + " configurations, keys " + schema.keys + ") but the sweep " + sweep.source()
                    + " has " + sweep.total() + " configurations, keys " + sweep.keys()
                    + ": use another results folder for this sweep, or move " + dir + " away");
        }
    }

    private IllegalStateException damaged(String what) {
        return new IllegalStateException("results store " + dir + " is damaged: " + what
                + " (was a file edited or removed by hand?); move the folder away and re-merge the logs from the "
                + "inbox's done folder");
    }

    private List<LedgerEntry> readLedger() throws IOException {
        List<LedgerEntry> entries = new ArrayList<>();
        byte[] all = Files.readAllBytes(dir.resolve(LEDGER));
        int start = 0;
        long expected = 1;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') {
                continue;
            }
            String line = new String(all, start, i - start, StandardCharsets.UTF_8);
            LedgerEntry e;
            try {
                e = JSON_LINE.readValue(line, LedgerEntry.class);
            } catch (IOException ex) {
                throw damaged(LEDGER + " line " + expected + " cannot be read: " + ex.getMessage());
            }
            if (e.seq() != expected) {
                throw damaged(LEDGER + " line " + expected + " has seq " + e.seq());
            }
            entries.add(e);
            expected++;
            start = i + 1;
        }
        if (start < all.length) {
            LOG.warn("Results store {}: dropping the unfinished last line of {} (a merge interrupted before it committed)",
                    dir, LEDGER);
            ledger.truncate(start);
        }
        ledgerEnd = start;
        return entries;
    }

    private void truncateUncommitted(FileChannel ch, String name, long committed) throws IOException {
        long size = ch.size();
        if (size > committed) {
            LOG.warn("Results store {}: dropping {} bytes at the end of {} left by a merge interrupted before it "
                    + "committed; its log is still in the inbox and merges again", dir, size - committed, name);
            ch.truncate(committed);
        } else if (size < committed) {
            throw damaged(name + " has " + size + " bytes but the ledger says " + committed);
        }
    }

    private Accumulator restore(long combination, List<LedgerEntry> entries) throws IOException {
        Accumulator acc = new Accumulator(combination, schema.metrics.size());
        long[] indices = entries.stream().mapToLong(LedgerEntry::index).toArray();
        long lastSeq = entries.get(entries.size() - 1).seq();
        if (!SummaryFile.restore(summaryFile(combination), schema, acc, indices, lastSeq)) {
            LOG.info("Results store {}: rebuilding the summary of configuration {} from {} ({} runs)", dir,
                    combination, BIN, entries.size());
            for (LedgerEntry e : entries) {
                RunData run = readRun(e);
                acc.add(e.index(), e.seq(), run.steps(), values(run));
            }
            unsaved.add(combination);
        }
        return acc;
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
     * Merges one log, or says why not. A refused file changes nothing. Safe to call from several
     * threads: logs are read and checked in parallel, committed one at a time. In durable mode the
     * merge is on disk when this returns ({@link #mergeUnsynced} then {@link #sync()}).
     *
     * @param fileName the log's name, {@code <index>.csv}
     * @param bytes    the log's content
     * @throws IOException when the store cannot be written (nothing is merged then either)
     */
    public MergeResult merge(String fileName, byte[] bytes) throws IOException {
        MergeResult r = mergeUnsynced(fileName, bytes);
        sync();
        return r;
    }

    /**
     * As {@link #merge}, but in durable mode the merge is only on disk after a later {@link #sync()}
     * (which covers every merge before it): the caller must not take the log away (move it to
     * done/) before then. A crash before the sync loses the merge, not the log.
     */
    public MergeResult mergeUnsynced(String fileName, byte[] bytes) throws IOException {
        long index = indexOf(fileName);
        if (index < 0) {
            return MergeResult.refused(fileName, -1, 0, fileName + ": the name is not <index>.csv with a whole number "
                    + "index (e.g. 17.csv): the index is how a log finds its configuration and run");
        }
        long total = sweep.total();
        if (options.runs > 0 && index / options.runs >= total) {
            // index >= total * runs, without overflow
            return MergeResult.refused(fileName, index, 0, fileName + ": index " + index + " is outside the campaign: the "
                    + "sweep " + sweep.source() + " has " + total + " configurations x " + options.runs
                    + " runs, so indices go from 0 to " + (total * options.runs - 1));
        }
        String sha = sha256(bytes);
        MergeResult duplicate = duplicate(fileName, index, sha);
        if (duplicate != null) {
            return duplicate;
        }
        RunLog log;
        try {
            log = reader.read(fileName, bytes);
        } catch (BadLogException e) {
            return MergeResult.refused(e, index);
        }
        Schema current = schema;
        try {
            Prepared p = prepare(index, fileName, sha, log, current != null ? current
                    : Schema.of(sweep.source(), total, sweep.keys(), options.stepColumn, log.columns(), fileName));
            return commit(p, log);
        } catch (BadLogException e) {
            return MergeResult.refused(e, index);
        }
    }

    /**
     * The outcome for an index already merged (a redelivery or a second log), or null. Checked
     * before parsing without the lock (a cheap early answer) and again under it in commit.
     */
    private MergeResult duplicate(String fileName, long index, String sha) {
        LedgerEntry before = merged.get(index);
        if (before == null) {
            return null;
        }
        if (before.sha256().equals(sha)) {
            return MergeResult.alreadyMerged(fileName, index, fileName + ": identical to the log of index " + index
                    + " merged at " + before.merged() + " (a redelivery): nothing to do");
        }
        return MergeResult.refused(fileName, index, 0, fileName + ": index " + index + " was already merged at "
                + before.merged() + " from " + before.file() + " (" + before.rows() + " rows, sha256 "
                + before.sha256().substring(0, 12) + "...); this file differs. A second log for an index is refused "
                + "so that no run is replaced or counted twice without you knowing. To replace runs, merge the "
                + "corrected logs into a new results folder");
    }

    /** A checked log turned into what the store appends, for one schema. */
    private static final class Prepared {
        long index;
        long combination;
        long run;
        String file;
        String sha;
        Schema schema;
        int rows;
        double[] steps;
        double[][] values;
        byte[] tidyRows;
        ByteBuffer bin;
    }

    private Prepared prepare(long index, String fileName, String sha, RunLog log, Schema s) throws BadLogException {
        int[] map = columnMap(s, log);
        Prepared p = new Prepared();
        long total = sweep.total();
        p.index = index;
        p.combination = index % total;
        p.run = index / total;
        p.file = fileName;
        p.sha = sha;
        p.schema = s;
        int rows = log.rows();
        p.rows = rows;
        int metrics = s.metrics.size();
        int stepAt = s.stepInLogs ? map[0] : -1;
        int first = s.stepInLogs ? 1 : 0;
        double[][] values = new double[metrics][];
        for (int m = 0; m < metrics; m++) {
            values[m] = log.column(map[first + m]);
        }
        double[] steps;
        if (stepAt >= 0) {
            steps = log.column(stepAt);
        } else {
            steps = new double[rows];
            for (int r = 0; r < rows; r++) {
                steps[r] = r + 1;
            }
        }
        p.steps = steps;
        p.values = values;
        p.tidyRows = tidyRows(prefix(s, index, p.run, configuration(p.combination)), log, map, stepAt, first, metrics);
        // the run's doubles
        ByteBuffer b = ByteBuffer.allocate(20 + 8 * rows * (1 + metrics)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putLong(index).putInt(rows).putInt(metrics);
        b.asDoubleBuffer().put(steps);
        b.position(b.position() + 8 * rows);
        for (int m = 0; m < metrics; m++) {
            b.asDoubleBuffer().put(values[m]);
            b.position(b.position() + 8 * rows);
        }
        b.flip();
        p.bin = b;
        return p;
    }

    /**
     * The merged CSV's rows of a log: the prefix (index, run, configuration) then the step and the
     * metrics as the job wrote them, copied byte for byte from the log's cells (ASCII numbers).
     */
    private static byte[] tidyRows(String prefixText, RunLog log, int[] map, int stepAt, int first, int metrics) {
        byte[] prefix = prefixText.getBytes(StandardCharsets.UTF_8);
        byte[] text = log.text();
        int rows = log.rows();
        int width = log.columns().size();
        // the log's columns in the store's order (step first when logged): a row is then copied whole
        boolean inOrder = true;
        for (int i = 0; i < width; i++) {
            inOrder &= map[i] == i;
        }
        long cellBytes = 0;
        for (int k = 0, n = rows * width; k < n; k++) {
            cellBytes += log.cellEnd(k) - log.cellStart(k);
        }
        // every cell of the log once, a comma per metric, a newline, the prefix; or the row number
        long size = cellBytes + (long) rows * (prefix.length + metrics + 1)
                + (stepAt >= 0 ? 0 : (long) rows * (Long.toString(rows).length()));
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(log.name() + ": too large to merge (" + size + " bytes of rows)");
        }
        byte[] out = new byte[(int) size];
        int at = 0;
        for (int r = 0; r < rows; r++) {
            int k = r * width;
            System.arraycopy(prefix, 0, out, at, prefix.length);
            at += prefix.length;
            if (stepAt < 0) {
                at = writeInt(out, at, r + 1);
                out[at++] = ',';
            }
            if (inOrder && log.isContiguous(r)) {
                int from = log.cellStart(k);
                int n = log.cellEnd(k + width - 1) - from;
                System.arraycopy(text, from, out, at, n);
                at += n;
            } else {
                for (int i = 0; i < width; i++) {
                    if (i > 0) {
                        out[at++] = ',';
                    }
                    int from = log.cellStart(k + map[i]);
                    int n = log.cellEnd(k + map[i]) - from;
                    System.arraycopy(text, from, out, at, n);
                    at += n;
                }
            }
            out[at++] = '\n';
        }
        return at == out.length ? out : Arrays.copyOf(out, at);
    }

    /** Writes a positive int's decimal digits at {@code at}; returns where they end. */
    private static int writeInt(byte[] out, int at, int value) {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = at + digits;
        for (int i = end - 1, v = value; i >= at; i--, v /= 10) {
            out[i] = (byte) ('0' + v % 10);
        }
        return end;
    }

    /** Where each of the store's log columns (step first when logged, then metrics) is in this log. */
    private int[] columnMap(Schema s, RunLog log) throws BadLogException {
        List<String> want = s.logColumns();
        if (s.metrics.isEmpty()) {
            throw new BadLogException(log.name(), 1, "no metric column: the header has only '" + s.stepColumn + "'");
        }
        Set<String> missing = new LinkedHashSet<>(want);
        missing.removeAll(log.columns());
        Set<String> extra = new LinkedHashSet<>(log.columns());
        want.forEach(extra::remove);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new BadLogException(log.name(), 1, "the columns differ from the store's (" + String.join(",", want)
                    + ", fixed by " + s.fixedBy + ")" + (missing.isEmpty() ? "" : "; missing: " + String.join(",", missing))
                    + (extra.isEmpty() ? "" : "; extra: " + String.join(",", extra)));
        }
        int[] map = new int[want.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = log.columns().indexOf(want.get(i));
        }
        return map;
    }

    private void createStore(Schema s) throws IOException {
        schema = s;
        byte[] header = tidyHeaderBytes();
        tidy.truncate(0);
        writeFully(tidy, ByteBuffer.wrap(header), 0);
        tidyEnd = header.length;
        writeSchema();
        if (options.durable) {
            tidy.force(false); // the header, before any ledger line can point past it
        }
        LOG.info("Results store {}: columns {} (fixed by {})", dir, schema.tidyHeader(), schema.fixedBy);
    }

    /**
     * Appends a prepared log and commits it to the ledger: one at a time. Not durable mode: the
     * ledger line is written at once. Durable mode: the line waits for {@link #sync()}, which
     * writes it only once the data it points to is forced (group commit).
     */
    private synchronized MergeResult commit(Prepared p, RunLog log) throws IOException, BadLogException {
        MergeResult duplicate = duplicate(p.file, p.index, p.sha); // another thread may have merged this index
        if (duplicate != null) {
            return duplicate;
        }
        checkNotBroken();
        if (schema == null) {
            createStore(p.schema);
        } else if (p.schema != schema) {
            p = prepare(p.index, p.file, p.sha, log, schema); // the first log fixed the schema meanwhile
        }
        int metrics = schema.metrics.size();
        long newTidyEnd = tidyEnd + p.tidyRows.length;
        long newBinEnd = binEnd + p.bin.remaining();
        LedgerEntry entry = new LedgerEntry(seq + 1, p.index, p.run, p.combination, p.file, p.sha, p.rows, newTidyEnd,
                binEnd, newBinEnd, Instant.now().toString());
        byte[] line = (JSON_LINE.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            writeFully(tidy, ByteBuffer.wrap(p.tidyRows), tidyEnd);
            writeFully(bin, p.bin, binEnd);
            if (!options.durable) {
                writeFully(ledger, ByteBuffer.wrap(line), ledgerEnd);
            }
        } catch (IOException | RuntimeException e) {
            rollback();
            throw e;
        }
        tidyEnd = newTidyEnd;
        binEnd = newBinEnd;
        if (options.durable) {
            unsyncedLedger.write(line, 0, line.length);
        } else {
            ledgerEnd += line.length;
            durableSeq = seq + 1;
        }
        seq++;
        merged.put(p.index, entry);
        accumulators.computeIfAbsent(p.combination, c -> new Accumulator(c, metrics)).add(p.index, seq, p.steps, p.values);
        unsaved.add(p.combination);
        snapshots.remove(p.combination);
        return MergeResult.merged(p.file, p.index);
    }

    private void checkNotBroken() throws IOException {
        if (broken != null) {
            throw new IOException("results store " + dir + " could not force its files to disk (" + broken
                    + "); nothing more is merged until it is re-opened (a restart recovers what is on disk)", broken);
        }
    }

    /**
     * Durable mode: returns once every merge committed before the call is on disk, so that its log
     * may be moved to done/. Concurrent callers share the work (group commit): one caller forces
     * {@code merged.csv} and {@code runs.bin}, then writes the ledger lines of every merge they
     * hold and forces the ledger; the others find their merges covered. The ledger line of a merge
     * is never on disk before its data, so a crash at any point leaves a store that re-opens with
     * every log that was synced, and without the ones that were not (still in the inbox, as their
     * moves wait for this). Not durable mode: returns at once.
     *
     * @throws IOException when the files cannot be forced: the store then refuses to merge more
     *                     until it is re-opened (after a failed fsync the page cache cannot be trusted)
     */
    public void sync() throws IOException {
        if (!options.durable) {
            return;
        }
        long upTo;
        synchronized (this) {
            upTo = seq;
        }
        syncTo(upTo);
    }

    private void syncTo(long upTo) throws IOException {
        synchronized (syncLock) {
            long target;
            long at;
            byte[] lines;
            synchronized (this) {
                if (durableSeq >= upTo) {
                    return; // an earlier group covered it
                }
                checkNotBroken();
                // every merge up to seq has written its data (commit writes under this lock)
                target = seq;
                at = ledgerEnd;
                lines = unsyncedLedger.toByteArray();
                unsyncedLedger.reset();
            }
            try {
                tidy.force(false);
                bin.force(false);
                writeFully(ledger, ByteBuffer.wrap(lines), at);
                ledger.force(false);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    broken = e;
                }
                LOG.error("Results store {}: cannot force its files to disk ({}); merging stops until it is re-opened",
                        dir, e.toString());
                throw e instanceof IOException io ? io : new IOException(e);
            }
            synchronized (this) {
                ledgerEnd = at + lines.length;
                durableSeq = target;
                groupCommits++;
            }
        }
    }

    private void rollback() {
        try {
            tidy.truncate(tidyEnd);
            bin.truncate(binEnd);
            if (!options.durable) {
                // durable mode: a commit never writes the ledger (sync does, possibly right now)
                ledger.truncate(ledgerEnd);
            }
        } catch (IOException e) {
            LOG.error("Results store {}: cannot roll back an unfinished merge ({}); re-opening the store will", dir,
                    e.toString());
        }
    }

    private static String prefix(Schema schema, long index, long run, Configuration config) {
        List<String> cells = new ArrayList<>(2 + schema.keys.size());
        cells.add(Long.toString(index));
        cells.add(Long.toString(run));
        for (String key : schema.keys) {
            cells.add(Values.text(config.get(key)));
        }
        cells.add(""); // the step follows the last comma
        return CSV.format(cells.toArray());
    }

    private Configuration configuration(long combination) {
        return configurations.computeIfAbsent(combination, sweep::parse);
    }

    private byte[] tidyHeaderBytes() {
        return (CSV.format(schema.tidyHeader().toArray()) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private void writeSchema() throws IOException {
        // durable mode: the ledger's first line must never be on disk without the schema it needs
        writeAtomically(dir.resolve(SCHEMA), JSON.writeValueAsBytes(schema), options.durable);
    }

    private static String sha256(byte[] bytes) {
        MessageDigest md = SHA256.get();
        md.reset();
        return HexFormat.of().formatHex(md.digest(bytes));
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /** Writes a file by writing a temporary sibling and renaming it over the target. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        writeAtomically(target, content, false);
    }

    /** As {@link #writeAtomically(Path, byte[])}, and with {@code force} on disk when it returns. */
    static void writeAtomically(Path target, byte[] content, boolean force) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        if (force) {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.wrap(content), 0);
                ch.force(true);
            }
        } else {
            Files.write(tmp, content);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (force) {
            forceDirectory(target.toAbsolutePath().getParent());
        }
    }

    /** Forces a folder's entries (a rename or a new file in it) to disk, where the platform can. */
    private static void forceDirectory(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot force the folder {} ({}): not supported here", folder, e.toString());
        }
    }

    // ---------------------------------------------------------------- summaries and reading

    /**
     * Writes the summaries changed since the last flush (one small file per configuration); in
     * durable mode after a {@link #sync()}, so that a summary never counts a run the ledger on disk
     * does not have.
     */
    public void flush() throws IOException {
        synchronized (syncLock) {
            synchronized (this) {
                if (options.durable) {
                    syncTo(seq);
                }
                for (long c : unsaved) {
                    Accumulator acc = accumulators.get(c);
                    SummaryFile.write(summaryFile(c), schema, configuration(c), acc);
                }
                unsaved.clear();
            }
        }
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
        return new ResultsSnapshot(this, schema == null ? List.of() : List.copyOf(schema.metrics),
                schema == null ? List.of() : List.copyOf(schema.keys), list, merged.size(), seq);
    }

    /** Whether the index has been merged. */
    public synchronized boolean contains(long index) {
        return merged.containsKey(index);
    }

    /** Number of merged runs. */
    public synchronized int size() {
        return merged.size();
    }

    /** The merged values of one run. */
    public RunData readRun(long index) throws IOException {
        LedgerEntry e;
        synchronized (this) {
            e = merged.get(index);
        }
        if (e == null) {
            throw new IllegalArgumentException("index " + index + " is not merged");
        }
        return readRun(e);
    }

    private RunData readRun(LedgerEntry e) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) (e.binEnd() - e.binStart())).order(ByteOrder.LITTLE_ENDIAN);
        long pos = e.binStart();
        while (b.hasRemaining()) {
            int n = bin.read(b, pos);
            if (n < 0) {
                throw damaged(BIN + " ends before the run of index " + e.index());
            }
            pos += n;
        }
        b.flip();
        if (b.getInt() != MAGIC || b.getLong() != e.index()) {
            throw damaged(BIN + " does not hold the run of index " + e.index() + " at byte " + e.binStart());
        }
        int rows = b.getInt();
        int metrics = b.getInt();
        double[] steps = new double[rows];
        b.asDoubleBuffer().get(steps);
        b.position(b.position() + 8 * rows);
        double[][] values = new double[metrics][rows];
        for (int m = 0; m < metrics; m++) {
            b.asDoubleBuffer().get(values[m]);
            b.position(b.position() + 8 * rows);
        }
        return new RunData(e.index(), steps, values);
    }

    /** Closes the files without writing anything more: what a kill leaves behind (for tests). */
    synchronized void crash() throws IOException {
        if (tidy != null) {
            tidy.close();
            bin.close();
            ledger.close();
            tidy = null;
        }
    }

    /** How many group commits forced the files (durable mode; for tests). */
    synchronized long groupCommits() {
        return groupCommits;
    }

    @Override
    public void close() throws IOException {
        synchronized (syncLock) {
            synchronized (this) {
                closeLocked();
            }
        }
    }

    private void closeLocked() throws IOException {
        if (tidy == null) {
            return;
        }
        try {
            if (schema != null && broken == null) {
                flush();
            }
        } finally {
            tidy.close();
            bin.close();
            ledger.close();
            tidy = null;
        }
    }
}
