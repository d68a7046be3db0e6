package dev.alphaex.merge;

import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The merge step of the inbox route: merges one log file into the store and says where the file
 * goes next, relative to the inbox: {@code done/<name>} when it was merged (or was a redelivery
 * of a merged log), {@code error/<name>} when it was refused, with the reason written next to
 * it in {@code error/<name>.reason.txt} (file, line, what is wrong). Nothing is deleted: a
 * name already taken in done/ or error/ gets a time stamp. When the store cannot be written,
 * the exception propagates and the file stays in the inbox, to be merged on a later poll.
 *
 * <p>Configured with setters, then {@link #start()}; plain Java (the route calls it as a bean).
 */
public final class InboxMerger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboxMerger.class);
    public static final String DONE = "done";
    public static final String ERROR = "error";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS")
            .withZone(ZoneOffset.UTC);

    private String sweepFile;
    private long runs;
    private String resultsDir;
    private String stepColumn = "step";
    private String columns = "";
    private boolean durable = true;
    private MergeStore store;
    private int mergedInBatch;
    private int refusedInBatch;
    private int redeliveredInBatch;

    /** The sweep file ({@code campaign.sweep}). */
    public void setSweep(String sweepFile) {
        this.sweepFile = sweepFile;
    }

    /** Runs per configuration ({@code campaign.runs}); 0 when unknown (no upper bound on indices). */
    public void setRuns(long runs) {
        this.runs = runs;
    }

    /** The store's folder ({@code results.dir}). */
    public void setResultsDir(String resultsDir) {
        this.resultsDir = resultsDir;
    }

    /** The logs' step column (default {@code step}). */
    public void setStepColumn(String stepColumn) {
        this.stepColumn = stepColumn;
    }

    /** Comma-separated log columns to require; empty (the default): the first merged log fixes them. */
    public void setColumns(String columns) {
        this.columns = columns == null ? "" : columns.trim();
    }

    /** Force every merge to disk before the file is moved to done/ (default true). */
    public void setDurable(boolean durable) {
        this.durable = durable;
    }

    /** Opens (or recovers) the store. */
    public void start() throws IOException {
        if (store != null) {
            return;
        }
        Sweep sweep = Sweep.load(Path.of(sweepFile));
        MergeStore.Options options = new MergeStore.Options().runs(runs).stepColumn(stepColumn).durable(durable);
        if (!columns.isEmpty()) {
            options.columns(Arrays.stream(columns.split(",")).map(String::trim).toList());
        }
        store = MergeStore.open(Path.of(resultsDir), sweep, options);
        LOG.info("Results store {} opened for {} ({} runs merged) [{}]", resultsDir, sweepFile, store.size(), System.identityHashCode(this));
    }

    /** The store (after {@link #start()}). */
    public MergeStore store() {
        if (store == null) {
            throw new IllegalStateException("the merger is not started");
        }
        return store;
    }

    /**
     * Merges the log at {@code path} (a file in the inbox) and returns where to move it,
     * relative to the inbox. In durable mode the merge is on disk when this returns.
     *
     * @throws IOException when the log cannot be read or the store cannot be written: the file
     *                     stays in the inbox
     */
    public String merge(String path) throws IOException {
        String target = mergeUnsynced(path);
        store().sync();
        return target;
    }

    /**
     * As {@link #merge}, without waiting for the disk: in durable mode the file may be moved only
     * after a later {@link #sync()} has returned. The route merges with this on its merge threads
     * and waits in {@link #sync()} on others, so that one fsync covers every log merged meanwhile
     * (group commit) while the merge threads go on parsing.
     */
    public String mergeUnsynced(String path) throws IOException {
        Path file = Path.of(path);
        String name = file.getFileName().toString();
        byte[] bytes = Files.readAllBytes(file);
        MergeResult r = store().mergeUnsynced(name, bytes);
        Path inbox = file.toAbsolutePath().getParent();
        switch (r.kind()) {
            case MERGED:
                mergedInBatch++;
                LOG.debug("Merged {}", name);
                return DONE + "/" + freeName(inbox.resolve(DONE), name);
            case ALREADY_MERGED:
                redeliveredInBatch++;
                LOG.info("{}", r.reason());
                return DONE + "/" + freeName(inbox.resolve(DONE), name);
            default:
                refusedInBatch++;
                Path errors = inbox.resolve(ERROR);
                String target = freeName(errors, name);
                Files.createDirectories(errors);
                MergeStore.writeAtomically(errors.resolve(target + ".reason.txt"),
                        reason(file, r, ERROR + "/" + target).getBytes(StandardCharsets.UTF_8));
                LOG.warn("Quarantined {} in {}/{}: {}", name, ERROR, target, r.reason());
                return ERROR + "/" + target;
        }
    }

    private static String reason(Path file, MergeResult r, String movedTo) {
        return "file: " + file.toAbsolutePath() + "\n"
                + "line: " + (r.line() > 0 ? r.line() : "-") + "\n"
                + "problem: " + r.reason() + "\n"
                + "moved to: " + movedTo + " (in the inbox)\n"
                + "when: " + Instant.now() + "\n";
    }

    /** The name itself when free in the folder, else the name with a time stamp (nothing is overwritten). */
    static String freeName(Path folder, String name) {
        if (!Files.exists(folder.resolve(name)) && !Files.exists(folder.resolve(name + ".reason.txt"))) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String stamped = base + "." + STAMP.format(Instant.now());
        String candidate = stamped + ext;
        for (int i = 2; Files.exists(folder.resolve(candidate)); i++) {
            candidate = stamped + "-" + i + ext;
        }
        return candidate;
    }

    /**
     * Durable mode: returns once every merge done before the call is on disk (one group commit
     * for all the logs merged since the last one); then their files may move to done/. Not
     * durable: returns at once.
     *
     * @throws IOException when the store cannot be forced to disk: the file stays in the inbox
     */
    public void sync() throws IOException {
        store().sync();
    }

    /**
     * Ends a batch (the inbox poll's last file): writes the changed summaries and logs one line.
     *
     * @return the number of runs in the store
     */
    public int flush() throws IOException {
        store().flush();
        int size = store().size();
        if (mergedInBatch + refusedInBatch + redeliveredInBatch > 0) {
            List<String> parts = new ArrayList<>();
            parts.add("merged " + mergedInBatch + " log" + (mergedInBatch == 1 ? "" : "s"));
            if (refusedInBatch > 0) {
                parts.add(refusedInBatch + " refused (see the inbox's " + ERROR + "/ folder)");
            }
            if (redeliveredInBatch > 0) {
                parts.add(redeliveredInBatch + " already merged");
            }
            LOG.info("Results: {}; the store holds {} runs", String.join(", ", parts), size);
        }
        mergedInBatch = 0;
        refusedInBatch = 0;
        redeliveredInBatch = 0;
        return size;
    }

    @Override
    public void close() throws IOException {
        if (store != null) {
            LOG.info("Results store {} closed [{}]", resultsDir, System.identityHashCode(this));
            store.close();
            store = null;
        }
    }
}
