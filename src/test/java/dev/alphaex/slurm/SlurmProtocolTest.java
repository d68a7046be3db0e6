package dev.alphaex.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterSnapshot;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Parsers against answers captured from the real lab (src/test/resources/slurm, see README there). */
class SlurmProtocolTest {
    private static final Instant SINCE = Instant.parse("2026-11-29T04:20:00Z");
    private final SlurmProtocol slurm = new SlurmProtocol();

    static String fixture(String name) {
        try (InputStream in = SlurmProtocolTest.class.getResourceAsStream("/slurm/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /slurm/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PollRequest poll(String... jobs) {
        return new PollRequest("axcap", List.of(jobs), SINCE, false);
    }

    private static Map<String, TaskReport> byTask(ClusterSnapshot snapshot) {
        return snapshot.tasks().stream().collect(Collectors.toMap(t -> t.jobId() + "_" + t.taskId(), Function.identity()));
    }

    // ------------------------------------------------------------------ submit

    /**
     * Issue 8, item 13 on Slurm: $ALPHAEX_RESULTS did not exist when a job started there (a script without mkdir -p
     * failed with exit 2; the local runner creates it). The submission creates it first, in the same command.
     */
    @Test
    void theResultsFolderExistsWhenAJobStarts() {
        SubmitRequest r = new SubmitRequest("ax-r-1", List.of(0L), 0, "0", "job.sh", List.of(),
            Map.of("ALPHAEX_RESULTS", "results/my run"), "proj", Map.of());
        assertThat(slurm.submitCommand(r)).startsWith("cd 'proj' && mkdir -p 'results/my run' && ALPHAEX_CAMPAIGN=");
        SubmitRequest none = new SubmitRequest("ax-r-1", List.of(0L), 0, "0", "job.sh", List.of(), Map.of(), "proj", Map.of());
        assertThat(slurm.submitCommand(none)).startsWith("cd 'proj' && ALPHAEX_CAMPAIGN=");
    }

    // ------------------------------------------------------------------ info

    @Test
    void infoReadsMaxArraySizeVersionAndClusterName() throws Exception {
        ClusterInfo info = slurm.parseInfo(new CommandResult(0, fixture("scontrol-show-config.txt"), ""));
        assertThat(info.maxArrayIndex()).isEqualTo(100_000);
        assertThat(info.description()).isEqualTo("Slurm 22.05.8, cluster clustera, MaxArraySize 100001");
        assertThat(slurm.infoCommand()).isEqualTo("scontrol show config");
    }

    @Test
    void infoFromADownControllerIsUnreachableAndFromNonSlurmRejected() {
        assertThatThrownBy(() -> slurm.parseInfo(new CommandResult(1, "",
            "slurm_load_ctl_conf error: Unable to contact slurm controller (connect failure)")))
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
            .hasMessageContaining("Unable to contact");
        assertThatThrownBy(() -> slurm.parseInfo(new CommandResult(0, "hello\n", "")))
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(Kind.REJECTED))
            .hasMessageContaining("no MaxArraySize");
        assertThatThrownBy(() -> slurm.parseInfo(new CommandResult(0, "MaxArraySize = 0\n", "")))
            .hasMessageContaining("disabled");
    }

    @Test
    void theFirstPollReadsTheClustersFactsAndTheSubmitLimitInTheSameRoundTrip() throws Exception {
        PollRequest first = new PollRequest("ax-facts-1", List.of(), SINCE, false, true);
        assertThat(slurm.pollCommand(first)).startsWith("c=$(scontrol show config); r=$?;").contains("sacctmgr -n -P show user")
            .contains("squeue -h -r -t all -u \"$USER\" -O 'JobID:|,ArrayJobID:|,ArrayTaskID:|,State:|,exit_code:|,Reason:|,Name:'")
            .doesNotContain("--name=");
        ClusterSnapshot snapshot = slurm.parsePoll(first, new CommandResult(0, fixture("poll-first-facts.txt"), ""));
        assertThat(snapshot.info().maxArrayIndex()).isEqualTo(100_000);
        assertThat(snapshot.info().limitKnown()).isTrue();
        assertThat(snapshot.info().submitRoom()).as("axa has no association on the lab: nothing limits it").isNull();
        assertThat(snapshot.info().limit()).contains("no submit limit").contains("1 other queued or running job of yours there");
        assertThat(snapshot.tasks()).as("the campaign's tasks, by its tag; the other job is not one").hasSize(6)
            .allMatch(t -> t.jobId().equals("8575"));
        assertThat(slurm.parsePoll(new PollRequest("axcap-exit", List.of("2032"), SINCE, false),
            new CommandResult(0, fixture("poll-exit-codes.txt"), "")).info()).as("later polls do not ask").isNull();
        String down = "@@alphaex:config:1\n@@alphaex:assoc:0\n@@alphaex:qos:0\n@@alphaex:squeue:1\n";
        assertThatThrownBy(() -> slurm.parsePoll(first, new CommandResult(0, down, "Unable to contact slurm controller")))
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE));
    }

    /** The submit limit leaves room for the user's other jobs: MaxSubmitJobs 40 (the association's), one other job there. */
    @Test
    void theSubmitRoomIsTheLimitLessTheUsersOtherJobs() throws Exception {
        String limits = fixture("limits-assoc-qos.stdout").replace("clusterb", "clustera");
        String answer = fixture("poll-first-facts.txt").replaceFirst("(?s)@@alphaex:config:0\n.*@@alphaex:qos:0\n",
            "@@alphaex:config:0\n" + java.util.regex.Matcher.quoteReplacement(limits));
        ClusterInfo info = slurm.parsePoll(new PollRequest("ax-facts-1", List.of(), SINCE, false, true),
            new CommandResult(0, answer, "")).info();
        assertThat(info.submitRoom()).isEqualTo(39);
        assertThat(info.limit()).contains("MaxSubmitJobs 40");
        String noAccounting = fixture("poll-first-facts.txt").replaceFirst("(?s)@@alphaex:config:0\n.*@@alphaex:qos:0\n",
            "@@alphaex:config:0\nYou are not running a supported accounting_storage plugin\n@@alphaex:assoc:1\n@@alphaex:qos:1\n");
        ClusterInfo unknown = slurm.parsePoll(new PollRequest("ax-facts-1", List.of(), SINCE, false, true),
            new CommandResult(0, noAccounting, "")).info();
        assertThat(unknown.limitKnown()).isFalse();
        assertThat(unknown.submitRoom()).isNull();
    }

    // ------------------------------------------------------------------ poll command

    @Test
    void pollCommandIsOneRoundTripWithExplicitFormatNameFilterMarkersAndStartTime() {
        String cmd = slurm.pollCommand(poll("12", "15"));
        assertThat(cmd).isEqualTo(
            "squeue -h -r -t all -u \"$USER\" --name='axcap' -O 'JobID:|,ArrayJobID:|,ArrayTaskID:|,State:|,exit_code:|,Reason:';"
                + " echo \"@@alphaex:squeue:$?\"; "
                + "TZ=UTC sacct -X -n -P -S 2026-11-29T03:20:00 -o JobID,JobIDRaw,JobName,State,ExitCode,Reason"
                + " -j 12,15; echo \"@@alphaex:sacct:$?\"");
    }

    /** One squeue and at most one sacct whatever the number of jobs (after a restart: by tag, which covers them). */
    @Test
    void pollCommandAsksAccountingOnceAndByTagAfterARestart() {
        List<String> jobs = java.util.stream.IntStream.range(1, 1001).mapToObj(Integer::toString).toList();
        String cmd = slurm.pollCommand(new PollRequest("t1", jobs, SINCE, false));
        assertThat(cmd).contains(" -j 1,2,3,").contains(",999,1000; echo \"@@alphaex:sacct:$?\"");
        assertThat(cmd.split("@@alphaex:sacct", -1)).hasSize(2);
        String byTag = slurm.pollCommand(new PollRequest("t1", List.of("1", "2"), SINCE, true));
        assertThat(byTag).contains("--name='t1'; echo \"@@alphaex:sacct:$?\"").doesNotContain(" -j ");
        assertThat(byTag.split("@@alphaex:sacct", -1)).hasSize(2);
        assertThat(slurm.pollCommand(poll())).doesNotContain("sacct");
    }

    @Test
    void pollCommandRefusesWhatWouldNotFilterCorrectly() {
        assertThatThrownBy(() -> slurm.pollCommand(new PollRequest("a,b", List.of(), SINCE, false)))
            .hasMessageContaining("'a,b'");
        assertThatThrownBy(() -> slurm.pollCommand(poll("12; rm -rf ~")))
            .hasMessageContaining("not a Slurm job id: '12; rm -rf ~'");
        assertThatThrownBy(() -> slurm.pollCommand(new PollRequest("t", List.of(), null, false)))
            .hasMessageContaining("since");
    }

    // ------------------------------------------------------------------ poll answers

    @Test
    void mixedOutcomesWhileRunningAndPendingArrayRows() throws Exception {
        ClusterSnapshot snap = slurm.parsePoll(poll("1", "2"), new CommandResult(0, fixture("poll-mixed-running.txt"), ""));
        Map<String, TaskReport> t = byTask(snap);
        assertThat(t).hasSize(16);
        assertThat(t.get("1_0")).isEqualTo(new TaskReport("1", 0, TaskState.COMPLETED, 0, ""));
        assertThat(t.get("1_1")).isEqualTo(new TaskReport("1", 1, TaskState.FAILED, 3, ""));
        assertThat(t.get("1_2")).isEqualTo(new TaskReport("1", 2, TaskState.FAILED, null, "signal 9"));
        assertThat(t.get("1_3")).isEqualTo(new TaskReport("1", 3, TaskState.CANCELLED, 0, "by 1002"));
        assertThat(t.get("1_4").state()).isEqualTo(TaskState.RUNNING);
        assertThat(t.get("2_0").state()).isEqualTo(TaskState.RUNNING);
        for (int i = 2; i <= 9; i++) {
            assertThat(t.get("2_" + i)).isEqualTo(new TaskReport("2", i, TaskState.PENDING, null, "JobArrayTaskLimit"));
        }
        assertThat(snap.tasks().get(0).jobId()).isEqualTo("1");
    }

    @Test
    void finalStatesFromAccountingIncludingTimeout() throws Exception {
        Map<String, TaskReport> t = byTask(slurm.parsePoll(poll("1", "2"),
            new CommandResult(0, fixture("poll-mixed-final.txt"), "")));
        assertThat(t.get("1_4")).isEqualTo(new TaskReport("1", 4, TaskState.TIMEOUT, 0, ""));
        assertThat(t.get("1_5").state()).isEqualTo(TaskState.COMPLETED);
        // 2_[6-9%2] is pending in sacct and squeue is empty: the row expands to its tasks
        assertThat(t.get("2_6")).isEqualTo(new TaskReport("2", 6, TaskState.PENDING, null, "JobArrayTaskLimit"));
        assertThat(t.get("2_9").state()).isEqualTo(TaskState.PENDING);
        assertThat(t).hasSize(16);
    }

    @Test
    void requeuedAfterNodeFailIsReportedWithItsCurrentState() throws Exception {
        // captured 3 s after the node went down: squeue has 4_0, 4_1 back in PENDING (BeginTime),
        // sacct still shows NODE_FAIL for them; 6_0 had --no-requeue
        Map<String, TaskReport> t = byTask(slurm.parsePoll(poll("4", "6"),
            new CommandResult(0, fixture("poll-nodefail-requeued.txt"), "")));
        assertThat(t.get("4_0")).isEqualTo(new TaskReport("4", 0, TaskState.PENDING, null, "BeginTime"));
        assertThat(t.get("4_1").state()).isEqualTo(TaskState.PENDING);
        assertThat(t.get("6_0")).isEqualTo(new TaskReport("6", 0, TaskState.NODE_FAIL, 0, ""));
    }

    @Test
    void preemptedTasksAndNonArrayJobsSkipped() throws Exception {
        ClusterSnapshot snap = slurm.parsePoll(poll("1", "3"), new CommandResult(0, fixture("poll-preempted.txt"), ""));
        assertThat(snap.tasks()).containsExactly(
            new TaskReport("1", 0, TaskState.PREEMPTED, 0, ""),
            new TaskReport("1", 1, TaskState.PREEMPTED, 0, ""));
    }

    @Test
    void aTaskThatEndedBetweenSqueueAndSacctGetsItsFinalState() throws Exception {
        String out = "7|5|2|RUNNING|None\n@@alphaex:squeue:0\n5_2|7|t|COMPLETED|0:0|None\n@@alphaex:sacct:0\n";
        assertThat(slurm.parsePoll(poll("5"), new CommandResult(0, out, "")).tasks())
            .containsExactly(new TaskReport("5", 2, TaskState.COMPLETED, 0, ""));
    }

    @Test
    void anEndedTaskStillInTheQueueIsFinalAtOnceAndAccountingAddsItsExitStatus() throws Exception {
        // squeue -t all shows tasks that just ended; sacct, seconds behind, knows their exit status
        String queueOnly = "9|9|0|COMPLETED|None\n9|9|1|FAILED|NonZeroExitCode\n@@alphaex:squeue:0\n";
        assertThat(slurm.parsePoll(poll(), new CommandResult(0, queueOnly, "")).tasks()).containsExactly(
            new TaskReport("9", 0, TaskState.COMPLETED, 0, ""),
            new TaskReport("9", 1, TaskState.FAILED, null, "NonZeroExitCode"));
        String both = queueOnly + "9_1|9|t|FAILED|3:0|None\n@@alphaex:sacct:0\n";
        assertThat(slurm.parsePoll(poll("9"), new CommandResult(0, both, "")).tasks())
            .contains(new TaskReport("9", 1, TaskState.FAILED, 3, ""));
    }

    @Test
    void exitStatusesStraightFromTheQueue() throws Exception {
        // captured on the lab (poll-exit-codes.txt): true, exit 3, kill -9 self, scancel, exit 255, still running;
        // squeue alone (the engine asks sacct only for tasks that left the queue) already has every exit status
        String answer = fixture("poll-exit-codes.txt");
        String queueOnly = answer.substring(0, answer.indexOf("@@alphaex:squeue:0\n") + "@@alphaex:squeue:0\n".length());
        Map<String, TaskReport> q = byTask(slurm.parsePoll(poll(), new CommandResult(0, queueOnly, "")));
        assertThat(q).hasSize(6);
        assertThat(q.get("2032_0")).isEqualTo(new TaskReport("2032", 0, TaskState.COMPLETED, 0, ""));
        assertThat(q.get("2032_1")).isEqualTo(new TaskReport("2032", 1, TaskState.FAILED, 3, ""));
        assertThat(q.get("2032_2")).isEqualTo(new TaskReport("2032", 2, TaskState.FAILED, null, "signal 9; JobLaunchFailure"));
        assertThat(q.get("2032_3")).isEqualTo(new TaskReport("2032", 3, TaskState.CANCELLED, null, "signal 15"));
        assertThat(q.get("2032_4")).isEqualTo(new TaskReport("2032", 4, TaskState.FAILED, 255, ""));
        assertThat(q.get("2032_5")).isEqualTo(new TaskReport("2032", 5, TaskState.RUNNING, null, ""));

        // with accounting too: it completes what the queue could not say (who cancelled), and does not replace
        // an exit status the queue had (sacct printed 127:0 for the exit 255)
        Map<String, TaskReport> both = byTask(slurm.parsePoll(poll("2032"), new CommandResult(0, answer, "")));
        assertThat(both.get("2032_1")).isEqualTo(new TaskReport("2032", 1, TaskState.FAILED, 3, ""));
        assertThat(both.get("2032_2")).isEqualTo(new TaskReport("2032", 2, TaskState.FAILED, null, "signal 9"));
        assertThat(both.get("2032_3")).isEqualTo(new TaskReport("2032", 3, TaskState.CANCELLED, 0, "by 1002"));
        assertThat(both.get("2032_4")).isEqualTo(new TaskReport("2032", 4, TaskState.FAILED, 255, ""));
    }

    @Test
    void anEmptyQueueThatAnsweredIsZeroTasks() throws Exception {
        assertThat(slurm.parsePoll(poll(), new CommandResult(0, "@@alphaex:squeue:0\n", "")).tasks()).isEmpty();
    }

    @Test
    void aControllerThatDidNotAnswerIsNeverZeroJobs() {
        CommandResult down = new CommandResult(0, fixture("poll-slurmctld-down.stdout"),
            fixture("poll-slurmctld-down.stderr"));
        assertThatThrownBy(() -> slurm.parsePoll(poll("1"), down))
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
            .hasMessageContaining("squeue (the controller) did not answer (exit 1)")
            .hasMessageContaining("Unable to contact slurm controller");
    }

    @Test
    void aCutShortOrFailedAnswerIsUnreachable() {
        assertThatThrownBy(() -> slurm.parsePoll(poll("1"), new CommandResult(0, "1|1|0|RUNNING|None\n@@alphaex:squeue:0\n", "")))
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
            .hasMessageContaining("incomplete poll answer: 1 of 2 sections");
        assertThatThrownBy(() -> slurm.parsePoll(poll(), new CommandResult(255, "", "Connection closed")))
            .hasMessageContaining("0 of 1 sections").hasMessageContaining("Connection closed");
        assertThatThrownBy(() -> slurm.parsePoll(poll("1"),
            new CommandResult(0, "@@alphaex:squeue:0\n@@alphaex:sacct:1\n", "sacct: error: slurmdbd: connection refused")))
            .hasMessageContaining("sacct (the accounting) did not answer");
        assertThatThrownBy(() -> slurm.parsePoll(poll(), new CommandResult(0, "1|1|0|WEIRD|x\n@@alphaex:squeue:0\n", "")))
            .isInstanceOf(ClusterException.class).hasMessageContaining("cannot read squeue line '1|1|0|WEIRD|x'");
    }

    @Test
    void taskRangesExpand() {
        assertThat(SlurmLines.taskIds("[2-9%2]")).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(SlurmLines.taskIds("[1,3,5-7]")).containsExactly(1, 3, 5, 6, 7);
        assertThat(SlurmLines.taskIds("[0-8:4]")).containsExactly(0, 4, 8);
        assertThat(SlurmLines.taskIds("12")).containsExactly(12);
        assertThatThrownBy(() -> SlurmLines.taskIds("[3-1]")).hasMessageContaining("[3-1]");
    }

    @Test
    void cancelIsOneScancelOfTheTagAndItsExitStatus() throws Exception {
        SlurmProtocol p = new SlurmProtocol();
        assertThat(p.cancelCommand("ax-bandit-0a1b2c")).isEqualTo("scancel -u \"$USER\" --name='ax-bandit-0a1b2c'; echo \"@@alphaex:scancel:$?\"");
        p.parseCancel("ax-bandit-0a1b2c", new CommandResult(0, "@@alphaex:scancel:0\n", ""));
        assertThatThrownBy(() -> p.parseCancel("ax-bandit-0a1b2c", new CommandResult(0,
                "@@alphaex:scancel:1\n", "scancel: error: Unable to contact slurm controller (connect failure)")))
            .isInstanceOf(ClusterException.class)
            .hasMessage("scancel --name=ax-bandit-0a1b2c failed (exit 1): scancel: error: Unable to contact slurm controller (connect"
                + " failure)");
        assertThatThrownBy(() -> p.cancelCommand("a b")).hasMessageContaining("not a usable campaign tag");
    }
}
