package dev.alphaex.merge;

import dev.alphaex.files.Sha256;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's history is the inbox's done/ folder: a lost store is rebuilt from it (never silently
 * emptied: at b80c370, deleting ledger.jsonl emptied merged.csv while the log said the logs would
 * merge again), a damaged one is refused with the command that rebuilds it, a folder of the old
 * format is migrated from it or refused, never rebuilt wrong.
 */
class StoreRebuildTest {
    @TempDir
    Path work;
    private Path inbox;
    private Path results;
    private InboxMerger merger;

    @BeforeEach
    void setUp() throws IOException {
        inbox = work.resolve("inbox");
        results = work.resolve("results");
        Files.writeString(work.resolve("sweep.json"), BanditLogs.SWEEP);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (merger != null) {
            merger.close();
        }
    }

    private InboxMerger start() throws IOException {
        InboxMerger m = new InboxMerger();
        m.setSweep(work.resolve("sweep.json").toString());
        m.setResultsDir(results.toString());
        m.setInbox(inbox.toString());
        m.start();
        merger = m;
        return m;
    }

    /** Merges logs as the route does: merge, then move the file where the merger says. */
    private void mergeThroughInbox(int from, int to, int steps) throws IOException {
        for (int i = from; i < to; i++) {
            BanditLogs.deliver(merger, inbox, i, steps);
        }
        merger.flush();
    }

    private void stop() throws IOException {
        merger.close();
        merger = null;
    }

    private List<String> replaced() throws IOException {
        try (var files = Files.list(results)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("replaced-")).toList();
        }
    }

    @Test
    void aDeletedDatabaseIsRebuiltFromDoneNotEmptied() throws IOException {
        start();
        mergeThroughInbox(0, 9, 20);
        String before = Files.readString(results.resolve("merged.csv"));
        stop();
        Files.delete(results.resolve("results.db"));
        start();
        assertThat(merger.store().size()).isEqualTo(9);
        assertThat(Files.readAllLines(results.resolve("merged.csv"))).hasSize(1 + 9 * 20);
        assertThat(Files.readString(results.resolve("merged.csv"))).isEqualTo(before); // the same rows (done/ in index order)
        assertThat(replaced()).hasSize(1);
        assertThat(results.resolve(replaced().get(0)).resolve("merged.csv")).hasContent(before);
        assertThat(merger.store().snapshot().configurations().get(0).runs()).isEqualTo(3);
        mergeThroughInbox(9, 10, 20);
        assertThat(merger.store().size()).isEqualTo(10);
    }

    @Test
    void aDamagedDatabaseIsRefusedWithTheCommandThatRebuildsIt() throws IOException {
        start();
        mergeThroughInbox(0, 3, 20);
        stop();
        byte[] db = Files.readAllBytes(results.resolve("results.db"));
        for (int i = 100; i < db.length; i += 7) {
            db[i] ^= 0x5A; // a disk that went bad
        }
        Files.write(results.resolve("results.db"), db);
        String tidy = Files.readString(results.resolve("merged.csv"));
        assertThatThrownBy(this::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("results.db is damaged")
                .hasMessageContaining("rebuild-results --sweep " + work.resolve("sweep.json"))
                .hasMessageContaining("--inbox " + inbox);
        merger = null;
        assertThat(results.resolve("merged.csv")).hasContent(tidy);
        assertThat(results.resolve("results.db")).hasBinaryContent(db);
    }

    @Test
    void twoDifferentLogsForOneIndexInDoneRefuseTheRebuild() throws IOException {
        start();
        mergeThroughInbox(0, 4, 10);
        stop();
        Files.write(inbox.resolve("done/3.20250101T000000.000.csv"), BanditLogs.bytes(3, 11));
        Files.delete(results.resolve("results.db"));
        assertThatThrownBy(this::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two different logs for one index")
                .hasMessageContaining("3.csv and 3.20250101T000000.000.csv");
        merger = null;
        assertThat(results.resolve("results.db")).doesNotExist();
        assertThat(results.resolve("merged.csv")).exists();
    }

    @Test
    void aLogInDoneThatTheStoreLacksIsMergedAtStart() throws IOException {
        start();
        mergeThroughInbox(0, 3, 10);
        stop();
        // a commit lost with the machine (merge.durable=false) after its file moved to done/
        Files.write(inbox.resolve("done/7.csv"), BanditLogs.bytes(7, 10));
        start();
        assertThat(merger.store().contains(7)).isTrue();
        assertThat(Files.readAllLines(results.resolve("merged.csv"))).hasSize(1 + 4 * 10);
    }

    @Test
    void aStoreWithoutDatabaseAndWithoutLogsInDoneIsRefusedNotEmptied() throws IOException {
        start();
        mergeThroughInbox(0, 3, 10);
        stop();
        Files.delete(results.resolve("results.db"));
        Files.move(inbox.resolve("done"), work.resolve("elsewhere"));
        assertThatThrownBy(this::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("results.db is missing but merged.csv holds merged rows");
        merger = null;
        assertThat(Files.readAllLines(results.resolve("merged.csv"))).hasSize(1 + 3 * 10);
    }

    /** A results folder as b80c370 left it: merged.csv, runs.bin, ledger.jsonl, store.json. */
    private void oldFormat(int... ledgerIndices) throws IOException {
        Files.createDirectories(results.resolve("summaries"));
        StringBuilder ledger = new StringBuilder();
        int seq = 1;
        for (int i : ledgerIndices) {
            byte[] log = BanditLogs.bytes(i, 10);
            ledger.append("{\"seq\":").append(seq++).append(",\"index\":").append(i).append(",\"run\":").append(i / 3)
                    .append(",\"combination\":").append(i % 3).append(",\"file\":\"").append(i).append(".csv\",\"sha256\":\"")
                    .append(Sha256.of(log, log.length)).append("\",\"rows\":10,\"tidyEnd\":0,\"binStart\":0,"
                            + "\"binEnd\":0,\"merged\":\"2026-01-01T00:00:00Z\"}\n");
        }
        ledger.append("{\"seq\":").append(seq).append(",\"ind"); // a merge that never committed
        Files.writeString(results.resolve("ledger.jsonl"), ledger);
        Files.write(results.resolve("runs.bin"), new byte[64]);
        Files.writeString(results.resolve("store.json"), "{\"version\":1}");
        Files.writeString(results.resolve("merged.csv"), "index,run,epsilon,step,reward,optimal_action\n");
        Files.writeString(results.resolve("summaries/0.csv"), "# alphaex summary of configuration 0 ...\n");
    }

    @Test
    void aFolderOfTheOldFormatIsMigratedFromDoneInTheOldOrder() throws IOException {
        Files.createDirectories(inbox.resolve("done"));
        for (int i = 0; i < 6; i++) {
            Files.write(inbox.resolve("done/" + i + ".csv"), BanditLogs.bytes(i, 10));
        }
        Files.write(inbox.resolve("done/4.20250101T000000.000.csv"), BanditLogs.bytes(4, 10)); // a redelivery
        oldFormat(4, 1, 0, 2, 3); // 5.csv is in done/ but the old store lost it
        start();
        assertThat(merger.store().size()).isEqualTo(6);
        List<String> lines = Files.readAllLines(results.resolve("merged.csv"));
        assertThat(lines).hasSize(1 + 6 * 10);
        assertThat(lines.get(1)).startsWith("4,1,0.01,1,");
        assertThat(lines.get(1 + 5 * 10)).startsWith("5,1,0.1,1,");
        assertThat(replaced()).hasSize(1);
        Path aside = results.resolve(replaced().get(0));
        assertThat(aside.resolve("ledger.jsonl")).exists();
        assertThat(aside.resolve("runs.bin")).exists();
        assertThat(aside.resolve("store.json")).exists();
        assertThat(aside.resolve("summaries/0.csv")).exists();
        assertThat(results.resolve("ledger.jsonl")).doesNotExist();
    }

    @Test
    void aFolderOfTheOldFormatWhoseRunsHaveNoLogInDoneIsRefusedAndLeftAlone() throws IOException {
        Files.createDirectories(inbox.resolve("done"));
        for (int i = 0; i < 3; i++) {
            Files.write(inbox.resolve("done/" + i + ".csv"), BanditLogs.bytes(i, 10));
        }
        Files.write(inbox.resolve("done/2.csv"), BanditLogs.bytes(2, 12)); // not the bytes the old store merged
        oldFormat(0, 1, 2, 7);
        assertThatThrownBy(this::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 of its 4 runs have no log there with the same content")
                .hasMessageContaining("index 2 (2.csv")
                .hasMessageContaining("index 7 (7.csv");
        merger = null;
        assertThat(results.resolve("ledger.jsonl")).exists();
        assertThat(results.resolve("results.db")).doesNotExist();
        assertThat(Files.readString(results.resolve("merged.csv"), StandardCharsets.UTF_8))
                .isEqualTo("index,run,epsilon,step,reward,optimal_action\n");
    }

    /**
     * Turns a store into the shape of format 2 (issue 13's first SQLite store: one row per run and
     * step in a table steps, no run_values), keeping its table logs as that format wrote it.
     */
    private void toFormatTwo() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + results.resolve("results.db"));
             java.sql.Statement s = c.createStatement()) {
            s.execute("UPDATE meta SET value = 'alphaex-results 2' WHERE key = 'format'");
            s.execute("DROP VIEW merged");
            s.execute("DROP VIEW steps");
            s.execute("DROP TABLE run_values");
            s.execute("CREATE TABLE steps (_row INTEGER PRIMARY KEY, \"index\" INTEGER NOT NULL, step REAL NOT NULL, "
                    + "reward REAL NOT NULL, optimal_action REAL NOT NULL)");
        }
    }

    private static String format(Path db) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT value FROM meta WHERE key = 'format'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void aStoreOfFormatTwoIsMigratedFromDoneInItsMergeOrder() throws Exception {
        start();
        for (int i : new int[]{5, 0, 3, 1}) {
            BanditLogs.deliver(merger, inbox, i, 10);
        }
        merger.flush();
        String before = Files.readString(results.resolve("merged.csv"));
        stop();
        toFormatTwo();
        start();
        assertThat(merger.store().size()).isEqualTo(4);
        assertThat(Files.readString(results.resolve("merged.csv"))).isEqualTo(before);
        assertThat(format(results.resolve("results.db"))).isEqualTo("alphaex-results 3");
        assertThat(merger.store().readRun(3).values(0)).hasSize(10);
        assertThat(replaced()).hasSize(1);
        assertThat(format(results.resolve(replaced().get(0)).resolve("results.db"))).isEqualTo("alphaex-results 2");
    }

    @Test
    void aStoreOfFormatTwoWhoseLogIsNotInDoneIsRefusedAndLeftAlone() throws Exception {
        start();
        mergeThroughInbox(0, 3, 10);
        stop();
        toFormatTwo();
        Files.move(inbox.resolve("done/1.csv"), work.resolve("1.csv"));
        assertThatThrownBy(this::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the earlier format 'alphaex-results 2'")
                .hasMessageContaining("1 of its 3 runs have no log there with the same content")
                .hasMessageContaining("index 1 (1.csv");
        merger = null;
        assertThat(format(results.resolve("results.db"))).isEqualTo("alphaex-results 2");
        assertThat(replaced()).isEmpty();
    }
}
