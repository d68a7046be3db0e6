package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A controller killed with SIGKILL at about 40% of a campaign, while tasks run, then started again on the same
 * ledger: no index is lost and none runs twice (tasks that were on the cluster are re-attached). Judged by the
 * ledger (phases, attempts) and the jobs' own record of their starts, never by a log line's text.
 */
@Tag("slow")
class CampaignRestartTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private int status(String field) {
        try {
            JsonNode status = new ObjectMapper().readTree(dir.resolve("status.json").toFile());
            return status.path(field).asInt();
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void killedControllerRestartsWithNoIndexLostOrDuplicated() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        // 20 jobs of 8 s, 4 at a time: ~45 s; tasks outlast the restart, so some must be re-attached. The kill comes
        // once the wave after the 8th completion runs: on a loaded 2-CPU machine the second JVM took up to 6 s to
        // its first exchange, and with 2.5 s tasks killed as a wave ended it found none running.
        p.put("campaign.runs", "4");
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"8\"}");
        List<Long> onTheCluster;
        try (ControllerJvm first = ControllerJvm.start(p, dir.resolve("first.log"))) {
            CampaignRun.await(() -> status("completed") >= 8 && status("running") >= 2, Duration.ofSeconds(90),
                    "40% of the campaign and the next tasks running (see first.log)");
            first.kill9(); // SIGKILL: no shutdown hook, no clean close
        }
        assertThat(status("completed")).isBetween(8, 19);
        // the ledger as the killed controller left it: some tasks were on the cluster (submitted, queued or running)
        onTheCluster = LedgerState.replay(dir.resolve("ledger.jsonl")).phases().entrySet().stream()
                .filter(e -> e.getValue() == Phase.SUBMITTING || e.getValue() == Phase.QUEUED || e.getValue() == Phase.RUNNING)
                .map(Map.Entry::getKey).toList();
        assertThat(onTheCluster).as("tasks on the cluster when the controller was killed").isNotEmpty();

        p.put("campaign.exitWhenDone", "true");
        p.put("campaign.exitGraceSeconds", "0");
        try (ControllerJvm second = ControllerJvm.start(p, dir.resolve("second.log"))) {
            assertThat(second.exitCode(Duration.ofSeconds(90))).as("the second controller ends by itself: %s", second.output())
                    .isEqualTo(0);
        }
        LedgerState after = LedgerState.replay(dir.resolve("ledger.jsonl"));
        assertThat(after.phases().values()).as("every index completed").hasSize(20).containsOnly(Phase.COMPLETED);
        assertThat(after.attempts().values()).as("no index was submitted twice, none lost").containsOnly(1);
        for (long i : onTheCluster) {
            assertThat(after.attempts().get(i)).as("index %d, on the cluster at the kill, was re-attached, not run again", i).isEqualTo(1);
        }
        Map<Long, Integer> starts = CampaignRun.starts(dir);
        assertThat(starts).as("every index ran").hasSize(20);
        assertThat(starts.values()).as("no index ran twice").containsOnly(1);
        assertThat(dir.resolve("inbox").toFile().list()).hasSize(20);
    }
}
