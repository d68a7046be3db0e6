package dev.alphaex.campaign;

import dev.alphaex.sweep.Sweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ledgers written by earlier versions replay to exactly the state those versions had: the fixtures are files
 * written by that code (history-2f25f25: every kind of event, written by main at 2f25f25 before the events were
 * typed; takeback-49ac629: format 2, throttles and take-backs, one of them not answered), and each
 * {@code .replayed.txt} is the state that code itself read back from it.
 */
class OldLedgersReplayUnchangedTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"finished-b80c370", "history-2f25f25", "takeback-49ac629"})
    void anOldLedgerReplaysToTheStateItsOwnVersionRead(String name) throws Exception {
        Files.copy(Path.of("src/test/resources/ledgers/" + name + ".jsonl"), dir.resolve("ledger.jsonl"));
        Sweep sweep = Sweep.load(Path.of("src/test/resources/campaigns/test-sweep.json"));
        try (Ledger l = Ledger.open(dir, "test", new long[0], Instant.EPOCH, SweepFingerprint.of(sweep))) {
            assertThat(describe(l)).isEqualTo(Files.readString(Path.of("src/test/resources/ledgers/" + name + ".replayed.txt")));
        }
    }

    /** Format 2 (issue 12): code versions, resources, cancel, cancelled, resume, retry (written by OpsLedgerFixture). */
    @Test
    void aFormatTwoLedgerReplaysToTheStateItsOwnVersionRead() throws Exception {
        String name = "ops-v2-d9f1c6e";
        Files.copy(Path.of("src/test/resources/ledgers/" + name + ".jsonl"), dir.resolve("ledger.jsonl"));
        Sweep sweep = Sweep.load(Path.of("src/test/resources/campaigns/test-sweep.json"));
        try (Ledger l = Ledger.open(dir, "test", new long[0], Instant.EPOCH, SweepFingerprint.of(sweep))) {
            assertThat(OpsLedgerFixture.describe(l.state()))
                    .isEqualTo(Files.readString(Path.of("src/test/resources/ledgers/" + name + ".replayed.txt")));
        }
        assertThat(OpsLedgerFixture.describe(LedgerState.replay(dir.resolve("ledger.jsonl"))))
                .as("the same without writing").isEqualTo(Files.readString(Path.of("src/test/resources/ledgers/" + name + ".replayed.txt")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"finished-b80c370", "history-2f25f25", "takeback-49ac629", "ops-v2-d9f1c6e"})
    void everyEventIsWrittenBackAsTheLineItWasReadFrom(String name) throws Exception {
        for (String line : Files.readAllLines(Path.of("src/test/resources/ledgers/" + name + ".jsonl"))) {
            LedgerEvent e = Journal.JSON.readValue(line, LedgerEvent.class);
            assertThat(Journal.JSON.writerFor(LedgerEvent.class).writeValueAsString(e)).isEqualTo(line);
        }
    }

    /** Format 2: the arrays' throttles, tasks taken back, and a take-back written but not answered (sent again). */
    @Test
    void throttlesAndTakeBacksOfFormatTwoReplay() throws Exception {
        Files.copy(Path.of("src/test/resources/ledgers/takeback-49ac629.jsonl"), dir.resolve("ledger.jsonl"));
        try (Ledger l = Ledger.open(dir, "test", new long[0], Instant.EPOCH,
                SweepFingerprint.of(Sweep.load(Path.of("src/test/resources/campaigns/test-sweep.json"))))) {
            LedgerState s = l.state();
            assertThat(s.submission(0).throttle).isEqualTo(6);
            assertThat(s.submission(1).throttle).isEqualTo(2);
            assertThat(s.get(15).takenBackFrom).isEqualTo("b");
            assertThat(s.get(14).takeBackOpen).isFalse();
            assertThat(s.get(12).takeBackOpen).isTrue();
            assertThat(s.get(13).takeBackOpen).isTrue();
            assertThat(s.pendingHead(10, "b")).containsExactly(18, 19);
        }
    }

    @Test
    void anUnknownEventAMissingFieldOrANewerFormatIsRefusedNamingFileAndLine() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        String open = "{\"t\":\"open\",\"v\":1,\"campaign\":\"test\",\"tag\":\"ax-test-1\",\"created\":\"2026-12-06T04:00:00Z\","
                + "\"indices\":\"0-4\"}\n";
        Files.writeString(file, open + "{\"t\":\"teleport\",\"seq\":0}\n");
        assertThatThrownBy(() -> LedgerState.replay(file)).hasMessageContaining(file + ":2: unknown event type 'teleport'");
        Files.writeString(file, open + "{\"t\":\"intent\",\"seq\":0,\"cluster\":\"a\",\"array\":\"0-1\"}\n");
        assertThatThrownBy(() -> LedgerState.replay(file)).hasMessageContaining(file + ":2: damaged journal line")
                .hasMessageContaining("'base'");
        Files.writeString(file, open + "{\"t\":\"takeback\",\"seq\":0}\n");
        assertThatThrownBy(() -> LedgerState.replay(file)).hasMessageContaining(file + ":2: damaged journal line")
                .hasMessageContaining("'tasks'");
        int newer = LedgerEvent.VERSION + 1;
        Files.writeString(file, open.replace("\"v\":1", "\"v\":" + newer));
        assertThatThrownBy(() -> LedgerState.replay(file)).hasMessageContaining(file + ":1: a ledger of format " + newer
                + ", written by a newer AlphaEx");
    }

    /** The replayed state, written as the fixtures' .replayed.txt were. */
    static String describe(Ledger l) {
        StringBuilder sb = new StringBuilder();
        sb.append("tag " + l.state().tag() + "\ncreated " + l.state().created() + "\ncounts " + l.state().counts() + "\n");
        for (String c : new String[] {"a", "b", "l1"}) {
            sb.append("cluster " + c + " " + l.state().counts(c) + " occupying " + l.state().occupying(c) + " uncollected " + l.state().uncollected(c) + "\n");
        }
        Map<Long, LedgerState.Entry> byIndex = new TreeMap<>();
        l.state().entries().forEach(e -> byIndex.put(e.index, e));
        byIndex.forEach((i, e) -> sb.append("index " + i + " " + e.phase + " attempts " + e.attempts + " cluster " + e.cluster
                + " outcome " + e.outcome + " exit " + e.exitCode + " reason '" + e.reason + "' collected " + e.collected
                + " missing " + e.logMissing + "\n"));
        return sb.toString();
    }
}
