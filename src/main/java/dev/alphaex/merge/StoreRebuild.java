package dev.alphaex.merge;

import dev.alphaex.files.Sha256;

import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The store's history lives in the inbox's {@code done/} folder: every merged log is moved there and
 * never deleted. So a store that is missing is rebuilt from it, never silently emptied; a store of
 * an earlier format is migrated from it ({@link StoreMigration}); and logs in done/ that a store lacks (a commit lost in a power
 * cut, with {@code merge.durable=false}) are merged at start. What a rebuild replaces is moved into
 * {@code replaced-<time>/}, nothing is deleted. When done/ cannot give the right store, the start is
 * refused with what was found and what to do.
 */
final class StoreRebuild {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRebuild.class);
    /** Names in done/: {@code <index>.csv}, or with the time stamp a name already taken gets. */
    private static final Pattern DONE_NAME = Pattern.compile("(0|[1-9][0-9]{0,17})(\\.\\d{8}T\\d{6}\\.\\d{3}(-\\d+)?)?\\.csv");
    private static final List<String> OLD_FORMAT = List.of("ledger.jsonl", "runs.bin", "store.json");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    private static final int CHUNK = 256;

    private StoreRebuild() {
    }

    /** The command that rebuilds a store from the inbox's done folder (for messages). */
    static String command(Path dir, Sweep sweep, MergeStore.Options options) {
        return "java -jar target/alphaex.jar rebuild-results --sweep " + sweep.source()
                + (options.runs > 0 ? " --runs " + options.runs : "")
                + " --inbox " + (options.inbox == null ? "<campaign.inbox>" : options.inbox) + " --results " + dir
                + (options.stepColumn.equals("step") ? "" : " --step-column " + options.stepColumn)
                + (options.columns.isEmpty() ? "" : " --columns " + String.join(",", options.columns));
    }

    /** A log in done/ and its index. */
    record DoneLog(long index, Path file) {
        String name() {
            return file.getFileName().toString();
        }
    }

    /** The logs in a done folder, by index then name ({@code <index>.csv} before stamped copies). */
    static List<DoneLog> list(Path done) throws IOException {
        List<DoneLog> logs = new ArrayList<>();
        if (!Files.isDirectory(done)) {
            return logs;
        }
        try (var files = Files.list(done)) {
            files.forEach(f -> {
                Matcher m = DONE_NAME.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    logs.add(new DoneLog(Long.parseLong(m.group(1)), f));
                }
            });
        }
        logs.sort(Comparator.comparingLong(DoneLog::index).thenComparing(d -> d.name().length()).thenComparing(DoneLog::name));
        return logs;
    }

    /**
     * Called when {@code results.db} is missing: migrates a folder of the old format, rebuilds from
     * done/, or leaves the folder to become a new store; refuses when none is right.
     */
    static void ensure(Path dir, Sweep sweep, MergeStore.Options options) throws IOException {
        List<String> old = OLD_FORMAT.stream().filter(f -> Files.exists(dir.resolve(f))).toList();
        Path done = options.inbox == null ? null : options.inbox.resolve(InboxMerger.DONE);
        if (!old.isEmpty()) {
            if (done == null) {
                throw new IllegalStateException("results folder " + dir + " holds a store of the old format (" + old
                        + "); it is rebuilt from the inbox's done folder, and the inbox is not known here");
            }
            StoreMigration.oldFormat(dir, sweep, options, done);
            return;
        }
        List<DoneLog> logs = done == null ? List.of() : list(done);
        if (!logs.isEmpty()) {
            LOG.warn("Results store {}: {} is missing; rebuilding it from the {} logs in {}", dir, MergeStore.DB,
                    logs.size(), done);
            build(dir, sweep, options, pick(logs, done), "rebuilt from " + done);
            return;
        }
        Path tidy = dir.resolve(MergeStore.TIDY);
        if (Files.exists(tidy) && Files.size(tidy) > 0 && lines(tidy) > 1) {
            throw new IllegalStateException("results store " + dir + ": " + MergeStore.DB + " is missing but "
                    + MergeStore.TIDY + " holds merged rows, and " + (done == null ? "the inbox is not known"
                    : done + " holds no logs") + " to rebuild the store from. Nothing was changed. To start an empty "
                    + "store here, move " + MergeStore.TIDY + " and " + MergeStore.SUMMARIES + "/ away");
        }
        moveAside(dir, List.of(MergeStore.TIDY, MergeStore.SUMMARIES)); // leftovers of an empty store
    }

    private static long lines(Path file) throws IOException {
        try (var l = Files.lines(file, StandardCharsets.UTF_8)) {
            return l.limit(2).count();
        }
    }

    /** One log per index (the first by name); refuses when done/ holds two different logs for an index. */
    static List<DoneLog> pick(List<DoneLog> logs, Path done) throws IOException {
        Map<Long, List<DoneLog>> byIndex = new LinkedHashMap<>();
        for (DoneLog d : logs) {
            byIndex.computeIfAbsent(d.index(), i -> new ArrayList<>()).add(d);
        }
        List<DoneLog> picked = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (List<DoneLog> same : byIndex.values()) {
            DoneLog first = same.get(0);
            if (same.size() > 1) {
                String sha = sha(first.file());
                for (DoneLog other : same.subList(1, same.size())) {
                    if (!sha(other.file()).equals(sha)) {
                        conflicts.add(first.name() + " and " + other.name());
                    }
                }
            }
            picked.add(first);
        }
        if (!conflicts.isEmpty()) {
            throw new IllegalStateException(done + " holds two different logs for one index (" + String.join("; ",
                    conflicts.subList(0, Math.min(5, conflicts.size()))) + (conflicts.size() > 5 ? "; ..." : "")
                    + "), so it cannot tell which run the store had. Nothing was changed. Move the one that is not "
                    + "the run's log out of done/ (e.g. into error/), then start again");
        }
        return picked;
    }

    static String sha(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return Sha256.of(b, b.length);
    }

    static String abbreviate(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(10, names.size()))) + (names.size() > 10 ? ", ..." : "");
    }

    /**
     * Builds a store from logs (in this order) in a folder of its own, then puts it in place: what it
     * replaces goes into {@code replaced-<time>/}.
     */
    static void build(Path dir, Sweep sweep, MergeStore.Options options, List<DoneLog> logs, String why)
            throws IOException {
        Path tmp = dir.resolve(".rebuild");
        delete(tmp); // ours, from an interrupted rebuild
        MergeStore.Options o = options.copy().durable(false).inbox(null);
        long started = System.nanoTime();
        try (MergeStore store = MergeStore.open(tmp, sweep, o)) {
            merge(store, logs, "cannot rebuild the results store " + dir + " from");
        }
        try (FileChannel ch = FileChannel.open(tmp.resolve(MergeStore.DB), StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path aside = moveAside(dir, List.of(MergeStore.TIDY, MergeStore.SUMMARIES, "ledger.jsonl", "runs.bin", "store.json",
                MergeStore.DB, MergeStore.DB + "-wal", MergeStore.DB + "-shm"));
        Files.move(tmp.resolve(MergeStore.SUMMARIES), dir.resolve(MergeStore.SUMMARIES));
        Files.move(tmp.resolve(MergeStore.TIDY), dir.resolve(MergeStore.TIDY));
        Files.move(tmp.resolve(MergeStore.DB), dir.resolve(MergeStore.DB), StandardCopyOption.ATOMIC_MOVE);
        delete(tmp);
        LOG.warn("Results store {}: {} ({} runs, {} s){}", dir, why, logs.size(),
                String.format("%.1f", (System.nanoTime() - started) / 1e9),
                aside == null ? "" : "; what it replaced is in " + aside);
    }

    /** Merges logs into a store in chunks (one transaction each); refuses when one is not merged. */
    private static void merge(MergeStore store, List<DoneLog> logs, String refusal) throws IOException {
        for (int from = 0; from < logs.size(); from += CHUNK) {
            List<DoneLog> chunk = logs.subList(from, Math.min(logs.size(), from + CHUNK));
            List<PreparedLog> prepared = new ArrayList<>(chunk.size());
            for (DoneLog d : chunk) {
                PreparedLog p = store.prepare(d.index() + ".csv", Files.readAllBytes(d.file()));
                p.movesTo(InboxMerger.DONE + "/" + d.name());
                prepared.add(p);
            }
            List<MergeResult> results = store.commitAll(prepared);
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).kind() == MergeResult.Kind.REFUSED) {
                    throw new IllegalStateException(refusal + " " + chunk.get(i).file() + ": "
                            + results.get(i).reason() + ". Nothing was changed. done/ holds only logs that were merged; "
                            + "if this file is not a run's log, move it out of done/ (e.g. into error/)");
                }
            }
        }
    }

    /** Merges the logs in done/ whose index the store lacks (at start; logged). */
    static void catchUp(MergeStore store, Path done) throws IOException {
        List<DoneLog> missing = new ArrayList<>();
        for (DoneLog d : list(done)) {
            if (!store.contains(d.index())) {
                missing.add(d);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<DoneLog> picked = pick(missing, done);
        LOG.warn("Results store {}: {} logs in {} are not in the store (a commit lost in a crash of the machine?): "
                + "merging them now: {}", store.dir(), picked.size(), done,
                abbreviate(picked.stream().map(DoneLog::name).toList()));
        merge(store, picked, "results store " + store.dir() + ": cannot merge the log in done/");
        store.flush();
    }

    /** Moves the database (and its WAL files) into {@code set-aside-<time>/}; returns it, or null when there is none. */
    static Path setAside(Path dir) throws IOException {
        return moveAside(dir, List.of(MergeStore.DB, MergeStore.DB + "-wal", MergeStore.DB + "-shm"), "set-aside-");
    }

    private static Path moveAside(Path dir, List<String> names) throws IOException {
        return moveAside(dir, names, "replaced-");
    }

    /** Moves the named entries of a folder that exist into {@code <prefix><time>/}; returns it, or null. */
    private static Path moveAside(Path dir, List<String> names, String prefix) throws IOException {
        Path aside = null;
        for (String name : names) {
            Path p = dir.resolve(name);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (name.equals(MergeStore.SUMMARIES) && isEmptyDir(p)) {
                Files.delete(p); // an empty folder of ours
                continue;
            }
            if (aside == null) {
                aside = dir.resolve(prefix + STAMP.format(Instant.now()));
                for (int i = 2; Files.exists(aside); i++) {
                    aside = dir.resolve(prefix + STAMP.format(Instant.now()) + "-" + i);
                }
                Files.createDirectories(aside);
            }
            Files.move(p, aside.resolve(name));
        }
        return aside;
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (var s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
