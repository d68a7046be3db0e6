package dev.alphaex.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alphaex.campaign.LedgerState;
import dev.alphaex.ssh.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 on the lab's real Slurm through the real routes: the scheduler refills the slots from throttled arrays,
 * and the tail takes back what a busy cluster holds. Invariants, from the clusters' own squeue every 0.5 s (over SSH
 * sessions of the sampler's own): running tasks never above {@code running}, queued + running never above
 * {@code capacity}; and every index completes exactly once (the jobs' own runs.log: no second start), also when the
 * controller is killed with SIGKILL during a take-back.
 */
class SlurmRefillIT {
    private static final Map<String, Integer> RUNNING = Map.of(Lab.A, 4, Lab.B, 2);
    private static final Map<String, Integer> CAPACITY = Map.of(Lab.A, 12, Lab.B, 6);

    private static LabCampaign campaign(String name, int tasks, String sleep) throws IOException {
        LabCampaign c = LabCampaign.prepare(name, LabCampaign.TEST_JOB, "[[0," + (tasks - 1) + "]]");
        c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString(), "JOB_SLEEP", sleep)));
        c.set("slurmit.runningA", "4").set("slurmit.runningB", "2");
        return c;
    }

    /**
     * 120 tasks of 1 s, running 4 / 2 and capacity 12 / 6, polls every 3 s: the arrays' throttles keep the running
     * limit (the lab has 64 and 32 CPUs: nothing else would), the capacity holds, each index runs once, and the
     * summary counts the scheduler commands per cluster.
     */
    @Test
    void throttledArraysKeepBothLimitsAndEveryIndexRunsOnce() throws Exception {
        LabCampaign c = campaign("itrefill", 120, "1");
        c.set("slurmit.period", "3000");
        try (c; QueueSampler sampler = QueueSampler.start(c.lab, c.start().campaign().tag(), Duration.ofMillis(500))) {
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofSeconds(300), "120 tasks: " + c.campaign().counts());
            LabCampaign.await(() -> log(c).contains("campaign itrefill finished"), Duration.ofSeconds(30), "the summary");
            System.out.printf("[SlurmRefillIT] throttled: most running %s, most active %s, %d samples over a limit of %s;%n  %s%n",
                sampler.maxRunning(), sampler.max(), sampler.overLimits(RUNNING, CAPACITY), sampler.answered(),
                String.join("\n  ", c.campaign().commandLines()));
            assertThat(c.campaign().counts()).containsEntry("COMPLETED", 120).containsEntry("FAILED", 0);
            assertEachIndexStartedOnce(c, 120);
            assertThat(sampler.answered().get(Lab.A)).isGreaterThan(10);
            assertThat(sampler.answered().get(Lab.B)).isGreaterThan(10);
            assertThat(sampler.overLimits(RUNNING, CAPACITY)).as("samples over a limit").isZero();
            assertThat(sampler.maxRunning().get(Lab.A)).as("the throttles filled cluster-a's running budget").isEqualTo(4);
            assertThat(log(c)).as("arrays carry throttles").containsPattern("submitted job \\d+: array [0-9,-]+%[1-4] ");
            assertThat(c.campaign().commandLines()).hasSize(2).allSatisfy(l -> assertThat(l).containsPattern(": [1-4] at start-up"));
        }
        c.delete();
    }

    /**
     * The busy cluster: before the campaign starts, another user's job fills every CPU of cluster-b for longer than the
     * campaign needs. The campaign finishes on cluster-a: the tasks queued on b, which never start there, are taken back
     * at the tail and run on a.
     */
    @Test
    void aBusyClusterGivesItsQueuedTasksBackAndTheCampaignFinishesOnTheOther() throws Exception {
        LabCampaign c = campaign("itbusy", 60, "0.5");
        c.set("slurmit.period", "2000").set("campaign.takeBackAfterSeconds", "5");
        try (OtherUsersJob hog = OtherUsersJob.fillClusterB(c.lab);
             c; QueueSampler sampler = QueueSampler.start(c.lab, c.start().campaign().tag(), Duration.ofMillis(500))) {
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofSeconds(300), "60 tasks: " + c.campaign().counts());
            System.out.printf("[SlurmRefillIT] busy b: most running %s, most active %s, %d samples over a limit; hog %s%n",
                sampler.maxRunning(), sampler.max(), sampler.overLimits(RUNNING, CAPACITY), hog.state());
            assertThat(hog.state()).as("the other user's job still fills cluster-b").isEqualTo("RUNNING");
            assertThat(c.campaign().counts()).containsEntry("COMPLETED", 60).containsEntry("FAILED", 0);
            assertEachIndexStartedOnce(c, 60);
            assertThat(completedOn(c)).as("where the indices completed").containsOnlyKeys(Lab.A);
            assertThat(ledgerLines(c, "takenback")).as("tasks taken back from cluster-b").isPositive();
            assertThat(sampler.maxRunning().get(Lab.B)).as("nothing ran on the busy cluster").isZero();
            assertThat(sampler.overLimits(RUNNING, CAPACITY)).as("samples over a limit").isZero();
        }
        c.delete();
    }

    /**
     * The controller (the real main class, in a JVM of its own) is killed with SIGKILL as soon as a take-back is in its
     * ledger (the command takes a second or two on the lab: holds cost slurmctld time), then started again: it finishes
     * the take-back (sends it again, or reads the cancelled tasks in its first poll), and no task is lost or run twice.
     */
    @Test
    void killedDuringATakeBackTheRestartedControllerFinishesIt() throws Exception {
        LabCampaign c = campaign("ittbkill", 40, "0.5");
        c.set("slurmit.period", "2000").set("campaign.takeBackAfterSeconds", "5");
        Path ledger = c.controller.resolve("ledger.jsonl");
        boolean answeredBeforeKill;
        try (OtherUsersJob hog = OtherUsersJob.fillClusterB(c.lab)) {
            Process first = c.startChild("first.log");
            try {
                LabCampaign.await(() -> firstLine(ledger) != null || !first.isAlive(), Duration.ofSeconds(60), "the ledger");
                String tag = new ObjectMapper().readTree(firstLine(ledger)).path("tag").asText();
                try (QueueSampler sampler = QueueSampler.start(c.lab, tag, Duration.ofMillis(500))) {
                    try {
                        LabCampaign.await(() -> ledgerText(ledger).contains("\"t\":\"takeback\"") || !first.isAlive(),
                            Duration.ofSeconds(240), "a take-back in the ledger");
                    } finally {
                        first.destroyForcibly(); // SIGKILL
                        first.waitFor(10, TimeUnit.SECONDS);
                    }
                    answeredBeforeKill = ledgerText(ledger).contains("\"t\":\"takenback\"");
                    c.set("campaign.exitWhenDone", "true").set("campaign.exitGraceSeconds", "0");
                    Process second = c.startChild("second.log");
                    boolean ended = second.waitFor(300, TimeUnit.SECONDS);
                    if (!ended) {
                        second.destroyForcibly();
                    }
                    String log = Files.readString(c.controller.resolve("second.log"));
                    assertThat(ended).as("the restarted controller ends by itself; its log:%n%s", log).isTrue();
                    System.out.printf("[SlurmRefillIT] killed during a take-back (answered before the kill: %s); most running %s,"
                        + " most active %s, %d samples over a limit%n", answeredBeforeKill, sampler.maxRunning(), sampler.max(),
                        sampler.overLimits(RUNNING, CAPACITY));
                    log.lines().filter(l -> l.contains("took back") || l.contains("was taken back") || l.contains("reconciled by"))
                        .forEach(l -> System.out.println("[SlurmRefillIT]   after the restart: " + l.replaceAll("^.*Campaign +", "")));
                    assertThat(log).contains("campaign ittbkill finished").contains("40 jobs, 40 completed, 0 failed");
                    assertThat(sampler.overLimits(RUNNING, CAPACITY)).as("samples over a limit").isZero();
                }
            } finally {
                first.destroyForcibly();
            }
        }
        assertEachIndexStartedOnce(c, 40);
        assertThat(completedOn(c)).containsOnlyKeys(Lab.A);
        LedgerState state = LedgerState.replay(ledger);
        assertThat(state.attempts().values()).as("an attempt taken back never counts").containsOnly(1);
        c.delete();
    }

    // ------------------------------------------------------------------ helpers

    private static void assertEachIndexStartedOnce(LabCampaign c, int n) throws IOException {
        Map<Long, Integer> starts = c.starts();
        assertThat(starts).as("every index ran").hasSize(n);
        assertThat(starts.values()).as("no index started twice (runs.log)").containsOnly(1);
    }

    /** Per cluster, how many indices completed there (the ledger). */
    private static Map<String, Integer> completedOn(LabCampaign c) {
        Map<String, Integer> out = new TreeMap<>();
        LedgerState s = LedgerState.replay(c.controller.resolve("ledger.jsonl"));
        s.clusters().forEach((index, cluster) -> out.merge(String.valueOf(cluster), 1, Integer::sum));
        return out;
    }

    private static String log(LabCampaign c) {
        try {
            return c.log();
        } catch (IOException e) {
            return "";
        }
    }

    private static long ledgerLines(LabCampaign c, String type) throws IOException {
        return Files.readAllLines(c.controller.resolve("ledger.jsonl")).stream().filter(l -> l.contains("\"t\":\"" + type + "\"")).count();
    }

    private static String ledgerText(Path ledger) {
        try {
            return Files.exists(ledger) ? Files.readString(ledger) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String firstLine(Path ledger) {
        String text = ledgerText(ledger);
        int nl = text.indexOf('\n');
        return nl < 0 ? null : text.substring(0, nl);
    }
}
