package dev.alphaex.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.sweep.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The store's write path: one transaction per group of logs (group commit). Logs are queued as
 * they are read; whoever takes the write lock commits every log queued meanwhile in one SQLite
 * transaction ({@code BEGIN IMMEDIATE}: the key on the index refuses a second log, another writer
 * waits), after appending their rows to merged.csv and recording its committed length in the same
 * transaction. In durable mode the commit is on disk when it returns (SQLite's synchronous=FULL). A failed transaction is rolled back and merged.csv cut
 * back: nothing of the group is merged, and their files stay in the inbox.
 */
final class StoreWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    private final Path dir;
    private final StoreDb db;
    private final TidyCsv tidy;
    private final LongFunction<Configuration> configurations;
    private final long total;
    private final String sweepSha256;
    private final Consumer<PreparedLog> merged;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<PreparedLog> queue = new ArrayList<>();
    /** Set once (the first log or the declared columns), under the write lock; read without it. */
    private volatile Schema schema;
    private long seq;
    private volatile long lastSeq;
    private long tidyEnd;
    private volatile long groupCommits;
    private boolean closed;

    /**
     * @param merged told of every log once its transaction committed (under the write lock, in merge order)
     */
    StoreWriter(Path dir, StoreDb db, TidyCsv tidy, LongFunction<Configuration> configurations, long total,
                String sweepSha256, Consumer<PreparedLog> merged, Schema schema, long seq, long tidyEnd) {
        this.dir = dir;
        this.db = db;
        this.tidy = tidy;
        this.configurations = configurations;
        this.total = total;
        this.sweepSha256 = sweepSha256;
        this.merged = merged;
        this.schema = schema;
        this.seq = seq;
        this.lastSeq = seq;
        this.tidyEnd = tidyEnd;
    }

    Schema schema() {
        return schema;
    }

    /** The seq of the last committed merge (grows with every merge). */
    long lastSeq() {
        return lastSeq;
    }

    long groupCommits() {
        return groupCommits;
    }

    /** Commits logs, with every other log waiting: their outcomes, in order. */
    List<MergeResult> commitAll(List<PreparedLog> logs) throws IOException {
        List<PreparedLog> waiting = logs.stream().filter(p -> p.result == null).toList();
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
        for (PreparedLog p : logs) {
            if (p.failure != null) {
                throw new IOException("results store " + dir + ": cannot merge " + p.file + ": " + p.failure.getMessage(),
                        p.failure);
            }
            results.add(p.result);
        }
        return results;
    }

    private void commitQueued() {
        List<PreparedLog> batch;
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
        List<PreparedLog> mergedNow = new ArrayList<>();
        StringBuilder rows = new StringBuilder();
        long start = schemaBefore == null ? 0 : tidyEnd;
        try {
            db.begin();
            for (PreparedLog p : batch) {
                if (schema == null) {
                    fixSchemaInTransaction(p.schema);
                    rows.append(new String(TidyCsv.header(schema), StandardCharsets.UTF_8));
                } else if (p.schema != schema) {
                    try {
                        p.plan(schema); // the first log fixed the columns meanwhile
                    } catch (BadLogException e) {
                        p.result = MergeResult.refused(e, p.index);
                        continue;
                    }
                }
                if (insert(p, rows)) {
                    mergedNow.add(p);
                }
            }
            byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0) {
                // not forced: after a crash of the machine a merged.csv shorter than the committed
                // length is written again from the database (an fsync here cost a third of a commit)
                tidy.write(bytes, start);
                db.setMeta("tidy_end", Long.toString(start + bytes.length));
            }
            db.commit();
            tidyEnd = start + bytes.length;
            groupCommits++;
        } catch (SQLException | IOException | RuntimeException e) {
            db.rollback();
            try {
                tidy.truncate(start);
            } catch (IOException ignored) {
                // cut off when the store is opened again
            }
            schema = schemaBefore;
            seq = seqBefore;
            IOException failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            for (PreparedLog p : batch) {
                p.failure = failure;
                p.result = null;
                p.row = null;
            }
            LOG.error("Results store {}: a batch of {} logs could not be committed ({}); they stay in the inbox",
                    dir, batch.size(), e.toString());
            return;
        }
        lastSeq = seq;
        mergedNow.forEach(merged);
    }

    /** Inserts one log (inside the transaction); false when the key refused it (an index merged before). */
    private boolean insert(PreparedLog p, StringBuilder rows) throws SQLException {
        long combination = p.index % total;
        long run = p.index / total;
        Configuration config = configurations.apply(combination);
        StoreDb.LogRow row = new StoreDb.LogRow(p.index, seq + 1, combination, run, p.file, p.done, p.bytes, p.sha,
                p.log.rows(), Instant.now().toString(), config.toJson(false).without("run").toString(), sweepSha256);
        List<JsonNode> values = new ArrayList<>(schema.keys.size());
        List<String> cells = new ArrayList<>(schema.keys.size());
        for (String key : schema.keys) {
            values.add(config.get(key));
            cells.add(Values.text(config.get(key)));
        }
        if (!db.insert(schema, row, values, p.json, p.packed)) {
            p.result = p.againstMerged(db.log(p.index), null);
            return false;
        }
        seq++;
        TidyCsv.rows(rows, TidyCsv.prefix(p.index, run, cells), p.log, p.map, schema.stepInLogs);
        p.result = MergeResult.merged(p.file, p.index);
        p.row = row;
        p.log = null;
        return true;
    }

    /** Fixes the columns before any log (declared columns): the tables and merged.csv's header. */
    void fixSchema(Schema s) throws SQLException, IOException {
        writeLock.lock();
        try {
            db.begin();
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
        } finally {
            writeLock.unlock();
        }
    }

    private void fixSchemaInTransaction(Schema s) throws SQLException, IOException {
        db.createTables(s);
        db.setMeta("schema", MergeStore.JSON.writeValueAsString(s));
        db.setMeta("sweep_sha256", sweepSha256 == null ? "" : sweepSha256);
        schema = s;
        LOG.info("Results store {}: columns {} (fixed by {})", dir, s.tidyHeader(), s.fixedBy);
    }

    /** Runs {@code last} once no commit is running, and refuses every commit after it. */
    void close(IoAction last) throws IOException {
        writeLock.lock();
        try {
            if (!closed) {
                closed = true;
                last.run();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** What runs at close. */
    interface IoAction {
        void run() throws IOException;
    }
}
