package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerTest {
    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final RetryPolicy POLICY = RetryPolicy.defaults(2);

    @TempDir
    Path dir;

    private static long[] range(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static Map<Long, String> snapshot(Ledger l) {
        Map<Long, String> out = new TreeMap<>();
        for (LedgerState.Entry e : l.state().entries()) {
            out.put(e.index, e.phase + "/" + e.attempts + "/" + e.seq + "/" + e.outcome + "/" + e.exitCode + "/" + e.collected);
        }
        return out;
    }

    /** Drives a ledger through every kind of event; returns it open. */
    private Ledger busyLedger() {
        Ledger l = Ledger.open(dir, "demo", range(10), T0);
        long[] r = l.reserve("a", 6);
        assertThat(r).containsExactly(0, 1, 2, 3, 4, 5);
        List<ArrayRanges.Chunk> chunks = ArrayRanges.chunk(r, 1000, 4);
        LedgerState.Submission s1 = l.intent("a", chunks.get(0));
        l.confirm(s1, "100");
        LedgerState.Submission s2 = l.intent("a", chunks.get(1));
        l.abandon(s2, "refused");
        l.observe(s1, new TaskReport("100", 0, TaskState.RUNNING, null, ""), POLICY, 1);
        l.observe(s1, new TaskReport("100", 0, TaskState.COMPLETED, 0, ""), POLICY, 2);
        l.observe(s1, new TaskReport("100", 1, TaskState.FAILED, 3, ""), POLICY, 2);
        l.observe(s1, new TaskReport("100", 2, TaskState.TIMEOUT, null, "time limit"), POLICY, 2);
        l.collected(0, true);
        l.force();
        return l;
    }

    @Test
    void replayGivesExactlyTheStateThatWasWritten() throws Exception {
        Ledger live = busyLedger();
        Map<Long, String> before = snapshot(live);
        String tag = live.state().tag();
        live.close();
        Ledger replayed = Ledger.open(dir, "demo", range(10), T0.plusSeconds(60));
        assertThat(snapshot(replayed)).isEqualTo(before);
        assertThat(replayed.state().tag()).isEqualTo(tag).startsWith("ax-demo-");
        assertThat(replayed.state().created()).isEqualTo(T0);
        assertThat(replayed.state().count(Phase.COMPLETED)).isEqualTo(1);
        assertThat(replayed.state().count(Phase.FAILED)).isEqualTo(1); // TIMEOUT is not retried by default
        assertThat(replayed.state().get(1).phase).isEqualTo(Phase.PENDING); // FAILED exit 3, attempt 1 of 2: retried
        assertThat(replayed.state().get(4).attempts).isZero(); // abandoned: never ran
        assertThat(replayed.state().get(3).phase).isEqualTo(Phase.QUEUED);
        assertThat(replayed.jobsToAccount("a")).isEmpty();
        replayed.state().get(3).missed = 1; // the last poll did not see task 3 of job 100
        assertThat(replayed.jobsToAccount("a")).containsExactly("100");
        assertThat(replayed.state().occupying("a")).isEqualTo(1);
        assertThat(replayed.state().counts("a")).containsEntry(Phase.COMPLETED, 1).containsEntry(Phase.FAILED, 1)
                .containsEntry(Phase.QUEUED, 1).containsEntry(Phase.PENDING, 0);
        assertThat(replayed.state().uncollected("a")).isEmpty(); // index 0 completed and was collected
        replayed.close();
    }

    @Test
    void reservationsAreNotDurable() throws Exception {
        Ledger l = Ledger.open(dir, "demo", range(5), T0);
        l.reserve("a", 3);
        assertThat(l.state().occupying("a")).isEqualTo(3);
        l.close();
        Ledger again = Ledger.open(dir, "demo", range(5), T0);
        assertThat(again.state().count(Phase.PENDING)).isEqualTo(5);
        again.close();
    }

    @Test
    void anIntentWithoutConfirmationStaysOpenAfterRestart() throws Exception {
        Ledger l = Ledger.open(dir, "demo", range(5), T0);
        l.intent("a", ArrayRanges.chunk(l.reserve("a", 2), 1000, 10).get(0));
        l.close();
        Ledger again = Ledger.open(dir, "demo", range(5), T0);
        assertThat(again.openIntents("a")).hasSize(1);
        assertThat(again.state().get(0).phase).isEqualTo(Phase.SUBMITTING);
        assertThat(again.state().occupying("a")).isEqualTo(2);
        again.close();
    }

    @Test
    void aTornLastLineIsDroppedAndLaterAppendsStayReadable() throws Exception {
        busyLedger().close();
        Path file = dir.resolve("ledger.jsonl");
        Files.writeString(file, "{\"t\":\"collect\",\"i\":", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Ledger l = Ledger.open(dir, "demo", range(10), T0);
        l.collected(3, false);
        l.close();
        Ledger again = Ledger.open(dir, "demo", range(10), T0);
        assertThat(again.state().get(3).collected).isTrue();
        assertThat(again.state().get(3).logMissing).isTrue();
        again.close();
    }

    @Test
    void aDamagedLineInTheMiddleIsAnErrorNamingFileAndLine() throws Exception {
        busyLedger().close();
        Path file = dir.resolve("ledger.jsonl");
        List<String> lines = Files.readAllLines(file);
        lines.set(2, "{\"t\": garbage");
        Files.write(file, lines);
        assertThatThrownBy(() -> Ledger.open(dir, "demo", range(10), T0))
                .hasMessageContaining(file + ":3: damaged journal line");
    }

    @Test
    void aLedgerOfAnotherCampaignIsRefused() throws Exception {
        Ledger.open(dir, "demo", range(3), T0).close();
        assertThatThrownBy(() -> Ledger.open(dir, "other", range(3), T0)).hasMessageContaining("belongs to campaign 'demo'");
    }

    @Test
    void newIndicesAreAddedAndNoneAreDropped() throws Exception {
        Ledger.open(dir, "demo", range(3), T0).close();
        Ledger l = Ledger.open(dir, "demo", new long[] {2, 3, 4}, T0);
        assertThat(l.state().size()).isEqualTo(5);
        l.close();
    }

    @Test
    void reportsAboutAnOlderAttemptAreIgnored() throws Exception {
        Ledger l = Ledger.open(dir, "demo", range(1), T0);
        LedgerState.Submission s1 = l.intent("a", ArrayRanges.chunk(l.reserve("a", 1), 1000, 10).get(0));
        l.confirm(s1, "1");
        l.observe(s1, new TaskReport("1", 0, TaskState.FAILED, 1, ""), POLICY, 0);
        LedgerState.Submission s2 = l.intent("b", ArrayRanges.chunk(l.reserve("b", 1), 1000, 10).get(0));
        l.confirm(s2, "7");
        assertThat(l.observe(s1, new TaskReport("1", 0, TaskState.COMPLETED, 0, ""), POLICY, 0)).isNull();
        assertThat(l.state().get(0).phase).isEqualTo(Phase.QUEUED);
        assertThat(l.state().get(0).attempts).isEqualTo(2);
        l.close();
    }

    @Test
    void aRequeuedTaskGoesBackToQueuedWithoutAnotherAttempt() throws Exception {
        Ledger l = Ledger.open(dir, "demo", range(1), T0);
        LedgerState.Submission s = l.intent("a", ArrayRanges.chunk(l.reserve("a", 1), 1000, 10).get(0));
        l.confirm(s, "5");
        l.observe(s, new TaskReport("5", 0, TaskState.RUNNING, null, ""), POLICY, 0);
        l.observe(s, new TaskReport("5", 0, TaskState.PENDING, null, "BeginTime"), POLICY, 0);
        assertThat(l.state().get(0).phase).isEqualTo(Phase.QUEUED);
        assertThat(l.state().counts("a")).containsEntry(Phase.QUEUED, 1).containsEntry(Phase.RUNNING, 0);
        l.observe(s, new TaskReport("5", 0, TaskState.COMPLETED, 0, ""), POLICY, 0);
        assertThat(l.state().uncollected("a")).containsExactly(0L);
        l.collected(0, true);
        assertThat(l.state().uncollected("a")).isEmpty();
        assertThat(l.state().get(0).attempts).isEqualTo(1);
        l.close();
    }

    @Test
    void retriesStopAtTheLimit() throws Exception {
        Ledger l = Ledger.open(dir, "demo", range(1), T0);
        for (int attempt = 1; attempt <= 2; attempt++) {
            LedgerState.Submission s = l.intent("a", ArrayRanges.chunk(l.reserve("a", 1), 1000, 10).get(0));
            l.confirm(s, "j" + attempt);
            l.observe(s, new TaskReport("j" + attempt, 0, TaskState.FAILED, 1, ""), POLICY, 0);
        }
        assertThat(l.state().get(0).phase).isEqualTo(Phase.FAILED);
        assertThat(l.state().get(0).exitCode).isEqualTo(1);
        assertThat(l.state().finished()).isTrue();
        l.close();
    }

    /**
     * A take-back written and then answered: the tasks taken back are pending again (their attempt not counted, not for
     * the same cluster while another takes work), those kept stay; the array's throttle changes in place. All of it
     * replays; a take-back written but not answered (the controller stopped in between) replays open.
     */
    @Test
    void takeBacksAndThrottlesReplay() throws Exception {
        Ledger l = Ledger.open(dir, "demo", range(10), T0);
        LedgerState.Submission s = l.intent("a", ArrayRanges.chunk(l.reserve("a", 8), 1000, 100).get(0), 4, null, Resources.NONE);
        l.confirm(s, "200");
        assertThat(s.throttle).isEqualTo(4);
        l.observe(s, new TaskReport("200", 0, TaskState.RUNNING, null, ""), POLICY, 1);
        for (long t = 1; t < 8; t++) {
            l.observe(s, new TaskReport("200", t, TaskState.PENDING, null, "JobArrayTaskLimit"), POLICY, 1);
        }
        l.throttle(s, 6);
        l.takeBack(s, new long[] {5, 6, 7});
        assertThat(l.state().get(6).takeBackOpen).isTrue();
        l.takenBack(s, new long[] {6, 7}, new long[] {5});
        l.takeBack(s, new long[] {3, 4});
        l.close();

        Ledger r = Ledger.open(dir, "demo", range(10), T0);
        LedgerState st = r.state();
        assertThat(st.submission(0).throttle).isEqualTo(6);
        assertThat(st.get(6).phase).isEqualTo(Phase.PENDING);
        assertThat(st.get(6).attempts).as("a task taken back never ran: its attempt does not count").isZero();
        assertThat(st.get(6).takenBackFrom).isEqualTo("a");
        assertThat(st.get(5).phase).isEqualTo(Phase.QUEUED);
        assertThat(st.get(5).takeBackOpen).as("kept: its take-back is over").isFalse();
        assertThat(st.get(3).takeBackOpen).as("written, not answered: sent again after the restart").isTrue();
        assertThat(st.get(3).takeBackAsked).isFalse();
        assertThat(st.occupying("a")).isEqualTo(6);
        assertThat(st.pendingHead(10, "a")).as("not given back to the cluster it was taken from").containsExactly(8, 9);
        assertThat(st.pendingHead(10)).containsExactly(6, 7, 8, 9);
        // the cluster shows the open one cancelled (the take-back had gone through before the stop): pending, not failed
        r.takenBack(st.submission(0), new long[] {3}, new long[0]);
        assertThat(st.get(3).phase).isEqualTo(Phase.PENDING);
        assertThat(st.count(Phase.FAILED)).isZero();
        // a new attempt elsewhere starts afresh
        LedgerState.Submission again = r.intent("b", ArrayRanges.chunk(r.reserve("b", new long[] {6}), 1000, 10).get(0));
        assertThat(st.get(6).cluster).isEqualTo("b");
        assertThat(again.throttle).isZero();
        r.close();
        List<String> lines = Files.readAllLines(dir.resolve(Ledger.FILE));
        assertThat(lines).anyMatch(x -> x.equals("{\"t\":\"intent\",\"seq\":0,\"cluster\":\"a\",\"base\":0,\"array\":\"0-7\",\"throttle\":4}"))
                .contains("{\"t\":\"throttle\",\"seq\":0,\"n\":6}", "{\"t\":\"takeback\",\"seq\":0,\"tasks\":\"5-7\"}",
                        "{\"t\":\"takenback\",\"seq\":0,\"tasks\":\"6-7\",\"kept\":\"5\"}",
                        "{\"t\":\"takenback\",\"seq\":0,\"tasks\":\"3\"}");
    }

    /**
     * squeue shows an ended task for minutes: a report of an attempt that already ended (retried, taken back) must not
     * end its index again once it is reserved for its next attempt (it did, with the reservation lost mid-tick).
     */
    @Test
    void aReportOfAnEndedAttemptDoesNotEndItsNextReservation() {
        Ledger l = Ledger.open(dir, "demo", range(2), T0);
        LedgerState.Submission s = l.intent("a", ArrayRanges.chunk(l.reserve("a", 2), 1000, 10).get(0));
        l.confirm(s, "300");
        l.observe(s, new TaskReport("300", 0, TaskState.FAILED, 1, ""), POLICY, 1); // retried: pending
        l.takeBack(s, new long[] {1});
        l.takenBack(s, new long[] {1}, new long[0]);
        l.reserve("b", new long[] {0, 1});
        assertThat(l.observe(s, new TaskReport("300", 0, TaskState.FAILED, 1, ""), POLICY, 2)).isNull();
        assertThat(l.observe(s, new TaskReport("300", 1, TaskState.CANCELLED, null, "JobHeldUser"), POLICY, 2)).isNull();
        assertThat(l.state().get(0).phase).isEqualTo(Phase.RESERVED);
        assertThat(l.state().get(1).phase).isEqualTo(Phase.RESERVED);
        assertThat(l.state().count(Phase.FAILED)).isZero();
    }
}
