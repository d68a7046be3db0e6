package dev.alphaex.merge;

import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The merge steps of the inbox route. {@link #isComplete} says when a file in the inbox may be taken
 * (see {@link InboxArrivals}); {@link #read} reads and checks a log (on the merge threads, in
 * parallel); {@link #commit} puts it into the store together with the other logs waiting (group
 * commit) and says where the file goes next, relative to the inbox: {@code done/<name>} when it was
 * merged (or was a redelivery of a merged log), {@code error/<name>} when it was refused, with the
 * reason written next to it in {@code error/<name>.reason.txt} (file, line, what is wrong). Nothing
 * is deleted: a name already taken in done/ or error/ gets a time stamp. When the store cannot be
 * written, the exception propagates and the file stays in the inbox, to be merged on a later poll.
 * A file that is not a regular file (a symbolic link, a fifo) is never read: it is refused.
 *
 * <p>Configured with setters, then {@link #start()}; plain Java (the route calls it as a bean). The
 * numbers the route uses itself ({@code merge.threads}, ...) are given here too, to be checked at start.
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
    private String inbox;
    private String stepColumn = "step";
    private String columns = "";
    private boolean durable = true;
    private final Settings settings = new Settings();
    private MergeStore store;
    private InboxArrivals arrivals;
    private final AtomicInteger mergedInBatch = new AtomicInteger();
    private final AtomicInteger refusedInBatch = new AtomicInteger();
    private final AtomicInteger redeliveredInBatch = new AtomicInteger();

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

    /**
     * The inbox ({@code campaign.inbox}): watched for how files arrive, and its done/ folder is what
     * a missing store is rebuilt from. Without it, every file waits for the quiet time.
     */
    public void setInbox(String inbox) {
        this.inbox = inbox == null || inbox.isBlank() ? null : inbox.trim();
    }

    /** The logs' step column (default {@code step}). */
    public void setStepColumn(String stepColumn) {
        this.stepColumn = stepColumn;
    }

    /** Comma-separated log columns to require; empty (the default): the first merged log fixes them. */
    public void setColumns(String columns) {
        this.columns = columns == null ? "" : columns.trim();
    }

    /** Every commit on disk before its files move to done/ (default true). */
    public void setDurable(boolean durable) {
        this.durable = durable;
    }

    /** {@code merge.readLockMinAge}: ms a file written in place must stay unchanged before it is taken (default 5000). */
    public void setReadLockMinAge(String value) {
        settings.set(Settings.READ_LOCK_MIN_AGE, value);
    }

    /** {@code merge.pollDelay}: ms between two looks at the inbox (checked here; the route uses it). */
    public void setPollDelay(String value) {
        settings.set(Settings.POLL_DELAY, value);
    }

    /** {@code merge.threads}: logs read at once (checked here; the route uses it). */
    public void setThreads(String value) {
        settings.set(Settings.THREADS, value);
    }

    /** {@code merge.syncThreads}: exchanges waiting for a commit (checked here; the route uses it). */
    public void setSyncThreads(String value) {
        settings.set(Settings.SYNC_THREADS, value);
    }

    /**
     * Checks the settings, opens (or rebuilds) the store and starts watching the inbox.
     *
     * @throws IllegalArgumentException for a setting out of range, naming its property
     * @throws IllegalStateException    when the store cannot be opened (the message says why and what to do)
     */
    public void start() throws IOException {
        if (store != null) {
            return;
        }
        settings.check();
        if (runs < 0) {
            throw new IllegalArgumentException("campaign.runs must be 0 (not bounded) or more, got " + runs);
        }
        Sweep sweep = Sweep.load(Path.of(sweepFile));
        MergeStore.Options options = new MergeStore.Options().runs(runs).stepColumn(stepColumn).durable(durable);
        if (!columns.isEmpty()) {
            options.columns(Arrays.stream(columns.split(",")).map(String::trim).toList());
        }
        if (inbox != null) {
            options.inbox(Path.of(inbox));
        }
        store = MergeStore.open(Path.of(resultsDir), sweep, options);
        long quiet = settings.get(Settings.READ_LOCK_MIN_AGE);
        if (inbox == null) {
            arrivals = InboxArrivals.unwatched(quiet);
        } else {
            try {
                arrivals = InboxArrivals.watch(Path.of(inbox), quiet);
            } catch (IOException | RuntimeException e) {
                // e.g. the user's inotify instances are used up: still safe, only slower
                LOG.warn("Cannot watch the inbox {} ({}): every log is taken once unchanged for {} ms "
                        + "(merge.readLockMinAge), also the ones renamed in", inbox, e.toString(), quiet);
                arrivals = InboxArrivals.unwatched(quiet);
            }
        }
        LOG.info("Results store {} opened for {} ({} runs merged)", resultsDir, sweepFile, store.size());
    }

    /** The store (after {@link #start()}). */
    public MergeStore store() {
        if (store == null) {
            throw new IllegalStateException("the merger is not started");
        }
        return store;
    }

    /**
     * Whether a file in the inbox may be taken now: arrived whole by a rename, or quiet long enough.
     * Anything there that is not a regular file (a symbolic link, also one that points nowhere, a
     * fifo) is never read and never handed on: it is refused on the spot, the entry itself moved to
     * error/ with its reason (Camel's own move cannot move a link that points nowhere).
     */
    public boolean isComplete(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false; // gone meanwhile
        }
        if (!a.isRegularFile() && !a.isDirectory()) {
            try {
                Path inboxDir = file.toAbsolutePath().getParent();
                String name = file.getFileName().toString();
                String target = refuse(file, notAFile(name, a), 0, false);
                Files.move(file, inboxDir.resolve(target), LinkOption.NOFOLLOW_LINKS);
                refusedInBatch.incrementAndGet();
            } catch (IOException e) {
                LOG.warn("Cannot move {} out of the inbox: {}", file, e.toString());
            }
            return false;
        }
        return arrivals != null && arrivals.isComplete(file);
    }

    private static String notAFile(String name, BasicFileAttributes a) {
        return name + ": " + (a.isSymbolicLink() ? "a symbolic link" : a.isDirectory() ? "a folder" : "not a regular file")
                + ", not a log: it was not read (a link could make the merge read any file it points to). "
                + "Put the log itself into the inbox";
    }

    /** A log read from the inbox, on its way into the store. */
    public record Incoming(Path file, PreparedLog prepared, boolean lastLineUnfinished) {
    }

    /** Reads and checks the log at {@code path}, a file in the inbox (any thread; nothing is stored yet). */
    public Incoming read(String path) throws IOException {
        Path file = Path.of(path);
        String name = file.getFileName().toString();
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) { // replaced since the filter looked at it
            return new Incoming(file, PreparedLog.refused(name, notAFile(name, a)), false);
        }
        byte[] bytes;
        try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            bytes = readAll(ch);
        }
        return new Incoming(file, store().prepare(name, bytes), bytes.length > 0 && bytes[bytes.length - 1] != '\n');
    }

    private static byte[] readAll(SeekableByteChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16, Math.max(16, ch.size() + 1)));
        while (ch.read(b) > 0) {
            if (!b.hasRemaining()) {
                b = ByteBuffer.allocate(b.capacity() * 2).put(b.flip());
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /**
     * Commits a log read by {@link #read} (together with the others waiting) and returns where to
     * move it, relative to the inbox. In durable mode the merge is on disk when this returns.
     *
     * @throws IOException when the store cannot be written: the file stays in the inbox
     */
    public String commit(Incoming in) throws IOException {
        String name = in.file.getFileName().toString();
        String done = DONE + "/" + freeName(in.file.toAbsolutePath().getParent().resolve(DONE), name);
        in.prepared.movesTo(done);
        MergeResult r = store().commit(in.prepared);
        switch (r.kind()) {
            case MERGED:
                mergedInBatch.incrementAndGet();
                LOG.debug("Merged {}", name);
                return done;
            case ALREADY_MERGED:
                redeliveredInBatch.incrementAndGet();
                LOG.info("{}", r.reason());
                return done;
            default:
                refusedInBatch.incrementAndGet();
                return refuse(in.file, r.reason(), r.line(), in.lastLineUnfinished);
        }
    }

    /**
     * Writes the reason a file is refused into error/ (next to where it goes) and returns where to
     * move it, relative to the inbox.
     */
    private static String refuse(Path file, String reason, long line, boolean lastLineUnfinished) throws IOException {
        String name = file.getFileName().toString();
        Path errors = file.toAbsolutePath().getParent().resolve(ERROR);
        String target = freeName(errors, name);
        Files.createDirectories(errors);
        String problem = reason + (lastLineUnfinished && line != 0
                ? " (the file's last line has no line end: was it still being written when it was read?)" : "");
        MergeStore.writeAtomically(errors.resolve(target + ".reason.txt"), ("file: " + file.toAbsolutePath() + "\n"
                + "line: " + (line > 0 ? line : "-") + "\n"
                + "problem: " + problem + "\n"
                + "moved to: " + ERROR + "/" + target + " (in the inbox)\n"
                + "when: " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
        LOG.warn("Quarantined {} in {}/{}: {}", name, ERROR, target, problem);
        return ERROR + "/" + target;
    }

    /** Merges the log at {@code path} ({@link #read} then {@link #commit}) and returns where to move it. */
    public String merge(String path) throws IOException {
        return commit(read(path));
    }

    /** The name itself when free in the folder, else the name with a time stamp (nothing is overwritten). */
    static String freeName(Path folder, String name) {
        if (!Files.exists(folder.resolve(name), LinkOption.NOFOLLOW_LINKS)
                && !Files.exists(folder.resolve(name + ".reason.txt"))) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String stamped = base + "." + STAMP.format(Instant.now());
        String candidate = stamped + ext;
        for (int i = 2; Files.exists(folder.resolve(candidate), LinkOption.NOFOLLOW_LINKS); i++) {
            candidate = stamped + "-" + i + ext;
        }
        return candidate;
    }

    /**
     * Ends a batch (the inbox poll's last file): writes the changed summaries and logs one line.
     *
     * @return the number of runs in the store
     */
    public int flush() throws IOException {
        store().flush();
        int size = store().size();
        int merged = mergedInBatch.getAndSet(0);
        int refused = refusedInBatch.getAndSet(0);
        int redelivered = redeliveredInBatch.getAndSet(0);
        if (merged + refused + redelivered > 0) {
            List<String> parts = new ArrayList<>();
            parts.add("merged " + merged + " log" + (merged == 1 ? "" : "s"));
            if (refused > 0) {
                parts.add(refused + " refused (see the inbox's " + ERROR + "/ folder)");
            }
            if (redelivered > 0) {
                parts.add(redelivered + " already merged");
            }
            LOG.info("Results: {}; the store holds {} runs", String.join(", ", parts), size);
        }
        return size;
    }

    @Override
    public void close() throws IOException {
        try {
            if (arrivals != null) {
                arrivals.close();
                arrivals = null;
            }
        } finally {
            if (store != null) {
                LOG.info("Results store {} closed", resultsDir);
                store.close();
                store = null;
            }
        }
    }
}
