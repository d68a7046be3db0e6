package dev.alphaex.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.merge.StoreRebuild.DoneLog;
import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stores of an earlier format are built again, in the current format, from the logs in the inbox's
 * done folder, each checked against what the old store recorded (index and SHA-256 of every merged
 * log), in its merge order: nothing it had is lost, and when done/ lacks one of its logs the start
 * is refused and nothing is changed. What the migration replaces goes into {@code replaced-<time>/}.
 * <ul>
 *   <li>the hand-written store (merged.csv, runs.bin, ledger.jsonl, store.json): its ledger;</li>
 *   <li>SQLite format {@code alphaex-results 2} (one row per run and step in a table {@code steps}):
 *       its table {@code logs}.</li>
 * </ul>
 */
final class StoreMigration {
    private static final Logger LOG = LoggerFactory.getLogger(StoreMigration.class);

    private StoreMigration() {
    }

    /** A run an old store recorded: its index, its log's SHA-256 and file name. */
    record Recorded(long index, String sha256, String file) {
    }

    /** A folder of the hand-written format (no results.db): migrated from done/, checked against its ledger. */
    static void oldFormat(Path dir, Sweep sweep, MergeStore.Options options, Path done) throws IOException {
        migrate(dir, sweep, options, done, readOldLedger(dir.resolve("ledger.jsonl")),
                "the old format (ledger.jsonl, runs.bin)");
    }

    /**
     * A results.db of format {@code alphaex-results 2}: migrated from done/, checked against its table
     * logs. Any other file is left to the opening, which reads it or says what is wrong.
     */
    static void upgrade(Path dir, Sweep sweep, MergeStore.Options options) throws IOException {
        List<Recorded> logs = format2Logs(dir.resolve(MergeStore.DB));
        if (logs == null) {
            return;
        }
        String format = "the earlier format '" + StoreDb.FORMAT_2 + "' (a table steps)";
        if (options.inbox == null) {
            throw new IllegalStateException("results store " + dir.resolve(MergeStore.DB) + " is of " + format + "; it is "
                    + "rebuilt from the inbox's done folder, and the inbox is not known here. Nothing was changed");
        }
        migrate(dir, sweep, options, options.inbox.resolve(InboxMerger.DONE), logs, format);
    }

    /** The logs of a store of format 2 in merge order, or null when the file is of another format (or unreadable). */
    private static List<Recorded> format2Logs(Path db) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'format'")) {
                if (!rs.next() || !StoreDb.FORMAT_2.equals(rs.getString(1))) {
                    return null;
                }
            }
            List<Recorded> logs = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT \"index\", sha256, file FROM logs ORDER BY seq")) {
                while (rs.next()) {
                    logs.add(new Recorded(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return logs;
        } catch (SQLException e) {
            return null; // not a store of format 2 that can be read: the opening says what is wrong
        }
    }

    /**
     * A store of an earlier format: its record ({@code ledger}) lists every merged run with its
     * file's SHA-256. The new store is built from done/ in the record's order, each run from the log
     * with the same bytes; refused when a run of the record has no such log (it would be lost).
     */
    private static void migrate(Path dir, Sweep sweep, MergeStore.Options options, Path done, List<Recorded> ledger,
                                String format) throws IOException {
        Map<Long, List<DoneLog>> byIndex = new TreeMap<>();
        for (DoneLog d : StoreRebuild.list(done)) {
            byIndex.computeIfAbsent(d.index(), i -> new ArrayList<>()).add(d);
        }
        List<DoneLog> ordered = new ArrayList<>();
        Set<Long> inLedger = new LinkedHashSet<>();
        List<String> lost = new ArrayList<>();
        for (Recorded e : ledger) {
            long index = e.index();
            String sha = e.sha256();
            DoneLog found = null;
            for (DoneLog d : byIndex.getOrDefault(index, List.of())) {
                if (StoreRebuild.sha(d.file()).equals(sha)) {
                    found = d;
                    break;
                }
            }
            if (found == null) {
                lost.add("index " + index + " (" + e.file() + ", sha256 " + sha.substring(0, Math.min(12, sha.length())) + "...)");
            } else if (inLedger.add(index)) {
                ordered.add(found);
            }
        }
        if (!lost.isEmpty()) {
            throw new IllegalStateException("results folder " + dir + " holds a store of " + format
                    + "; the current store is built from the logs in " + done + ", but " + lost.size() + " of its "
                    + ledger.size() + " runs have no log there with the same content: " + String.join(", ",
                    lost.subList(0, Math.min(5, lost.size()))) + (lost.size() > 5 ? ", ..." : "") + ". Nothing was "
                    + "changed. Put those logs back into done/, or move " + dir + " away to build a store from the logs "
                    + "in done/ alone");
        }
        List<String> extra = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<Long, List<DoneLog>> e : byIndex.entrySet()) {
            if (inLedger.contains(e.getKey())) {
                String sha = StoreRebuild.sha(ordered.stream().filter(d -> d.index() == e.getKey()).findFirst().orElseThrow().file());
                for (DoneLog d : e.getValue()) {
                    if (!StoreRebuild.sha(d.file()).equals(sha)) {
                        skipped.add(d.name());
                    }
                }
            } else {
                List<DoneLog> one = StoreRebuild.pick(e.getValue(), done);
                ordered.add(one.get(0));
                extra.add(one.get(0).name());
            }
        }
        if (!extra.isEmpty()) {
            LOG.warn("Results store {}: {} logs in {} are not in the old store's record (the old store lost them): "
                    + "merged too: {}", dir, extra.size(), done, StoreRebuild.abbreviate(extra));
        }
        if (!skipped.isEmpty()) {
            LOG.warn("Results store {}: {} logs in {} differ from the log the old store merged for their index: not "
                    + "merged (move them out of done/, e.g. into error/): {}", dir, skipped.size(), done, StoreRebuild.abbreviate(skipped));
        }
        LOG.warn("Results store {}: migrating {} ({} runs in its record) to {} of format '{}', from the logs in {}", dir,
                format, ledger.size(), MergeStore.DB, StoreDb.FORMAT, done);
        StoreRebuild.build(dir, sweep, options, ordered, "migrated from " + format);
    }

    private static List<Recorded> readOldLedger(Path file) throws IOException {
        List<Recorded> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        byte[] all = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                String line = new String(all, start, i - start, StandardCharsets.UTF_8);
                try {
                    JsonNode e = MergeStore.JSON.readTree(line);
                    entries.add(new Recorded(e.path("index").asLong(), e.path("sha256").asText(), e.path("file").asText()));
                } catch (IOException e) {
                    throw new IllegalStateException("results folder " + file.getParent() + " holds a store of the old "
                            + "format whose ledger.jsonl line " + (entries.size() + 1) + " cannot be read (" + e.getMessage()
                            + "); nothing was changed. Move the folder away to build a store from the logs in done/ alone");
                }
                start = i + 1;
            }
        }
        // an unfinished last line is a merge that never committed: its log is still in the inbox
        return entries;
    }
}
