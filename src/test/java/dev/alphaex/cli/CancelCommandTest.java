package dev.alphaex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.campaign.CampaignOutcome;
import dev.alphaex.campaign.CampaignRun;
import dev.alphaex.campaign.LedgerState;
import dev.alphaex.campaign.Phase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code alphaex cancel} on the local cluster: with a controller running (it takes the request and cancels) and with
 * none (the command cancels itself, killing the tasks a stopped controller left running); either way no process of
 * the campaign is left, the ledger records it, and a restart submits nothing until {@code alphaex resume}.
 */
@Tag("slow")
class CancelCommandTest {
    @TempDir
    Path dir;

    private Map<String, String> campaign(String sleep) {
        Map<String, String> p = CampaignRun.defaults(dir, StatusCommandTest.ONE_LOCAL);
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"" + sleep + "\"}");
        return p;
    }

    @Test
    void cancelWithARunningControllerStopsEveryTaskAndARestartSubmitsNothingUntilResume() throws Exception {
        List<ProcessHandle> tasks;
        try (CampaignRun run = CampaignRun.start(campaign("60"))) {
            CampaignRun.await(() -> run.campaign().counts().get("RUNNING") == 4, Duration.ofSeconds(30), "4 tasks running");
            tasks = taskProcesses();
            assertThat(tasks).as("the 4 tasks and their children").hasSizeGreaterThanOrEqualTo(8).allMatch(ProcessHandle::isAlive);

            CliRun r = CliRun.run(campaign("60"), "cancel", "--json", "--wait", "30");
            assertThat(r.exit()).as(r.toString()).isZero();
            JsonNode j = r.json();
            assertThat(j.path("by").asText()).isEqualTo("controller");
            assertThat(j.path("complete").asBoolean()).isTrue();
            assertThat(j.path("clusters").get(0).path("cancelled").asBoolean()).isTrue();
            assertThat(j.path("message").asText()).startsWith("cancelled: 4 task(s) queued or running are being cancelled");
            awaitDead(tasks);
            CampaignRun.await(() -> run.campaign().outcome() == CampaignOutcome.CANCELLED, Duration.ofSeconds(10), "the cancelled summary");
        }
        assertCancelled();
        restartSubmitsNothingThenResumeRunsTheRest(4);
    }

    @Test
    void cancelWithoutAControllerCancelsItselfTheTasksAStoppedControllerLeft() throws Exception {
        List<ProcessHandle> tasks;
        try (CampaignRun run = CampaignRun.start(campaign("60"))) {
            CampaignRun.await(() -> run.campaign().counts().get("RUNNING") == 4, Duration.ofSeconds(30), "4 tasks running");
            tasks = taskProcesses();
        }
        assertThat(tasks).as("the stopped controller's tasks run on").allMatch(ProcessHandle::isAlive);
        CliRun r = CliRun.run(campaign("60"), "cancel", "--json", "--wait", "30");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json().path("by").asText()).isEqualTo("command");
        assertThat(r.json().path("complete").asBoolean()).isTrue();
        awaitDead(tasks);
        assertCancelled();
        assertThat(dir.resolve("controller.lock")).as("the command let its lock go").exists();
        restartSubmitsNothingThenResumeRunsTheRest(4);
    }

    @Test
    void aFinishedCampaignHasNothingToCancel() throws Exception {
        try (CampaignRun run = CampaignRun.start(campaign("0"))) {
            run.awaitFinished(Duration.ofSeconds(30));
        }
        byte[] ledger = Files.readAllBytes(dir.resolve("ledger.jsonl"));
        CliRun r = CliRun.run(campaign("0"), "cancel");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("alphaex cancel: campaign test has finished (20 completed, 0 failed): there is nothing to cancel\n");
        assertThat(Files.readAllBytes(dir.resolve("ledger.jsonl"))).isEqualTo(ledger);
    }

    private void assertCancelled() {
        LedgerState s = LedgerState.replay(dir.resolve("ledger.jsonl"));
        assertThat(s.cancelled()).isNotNull();
        assertThat(s.owesCancel("l1")).isFalse();
        assertThat(s.count(Phase.FAILED)).as("the 4 running tasks ended CANCELLED").isEqualTo(4);
        assertThat(s.count(Phase.PENDING)).isEqualTo(16);
        assertThat(s.count(Phase.RUNNING) + s.count(Phase.QUEUED) + s.count(Phase.SUBMITTING)).isZero();
    }

    /** A restart submits nothing and stops as cancelled; alphaex resume (to the running controller) runs the rest. */
    private void restartSubmitsNothingThenResumeRunsTheRest(int started) throws Exception {
        assertThat(lines(dir.resolve("runs.log"))).hasSize(started);
        Map<String, String> quick = campaign("0.05");
        try (CampaignRun run = CampaignRun.start(quick)) {
            CampaignRun.await(() -> run.campaign().outcome() == CampaignOutcome.CANCELLED, Duration.ofSeconds(10), "the cancelled summary");
            Thread.sleep(1000); // 10 more polls
            assertThat(lines(dir.resolve("runs.log"))).as("nothing submitted after the restart").hasSize(started);

            CliRun r = CliRun.run(quick, "resume");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("campaign test resumed: 4 task(s) the cancel stopped are pending again (0-3), 20 pending in all");
            run.awaitFinished(Duration.ofSeconds(60));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 20);
            assertThat(run.campaign().attempts()).containsEntry(0L, 2).containsEntry(4L, 1);
        }
        CliRun again = CliRun.run(quick, "resume");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("campaign test is not cancelled: there is nothing to resume");
    }

    /** The local tasks' wrappers (their pid files) and everything below them. */
    private List<ProcessHandle> taskProcesses() throws IOException {
        List<ProcessHandle> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("local"))) {
            for (Path pid : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(h -> {
                    out.add(h);
                    h.descendants().forEach(out::add);
                });
            }
        }
        return out;
    }

    private static void awaitDead(List<ProcessHandle> tasks) throws InterruptedException {
        CampaignRun.await(() -> tasks.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(10),
                "every task process and its children to end: " + tasks.stream().filter(ProcessHandle::isAlive).toList());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
