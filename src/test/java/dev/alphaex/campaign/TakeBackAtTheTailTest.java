package dev.alphaex.campaign;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Work taken back at the tail, through the real routes on local clusters: {@code slow} runs one task at a time (6 s
 * each) and holds four, {@code fast} runs two short ones. When the shared queue is empty, the tasks queued on slow for
 * longer than campaign.takeBackAfterSeconds are taken back (written to the ledger first) and run on fast: slow runs
 * only what it had started, every index completes exactly once, and none is taken back to slow again.
 */
@Tag("slow")
class TakeBackAtTheTailTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void tasksQueuedOnASlowClusterAreTakenBackAndRunWhereSlotsAreFree() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/tail-local.yaml");
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"0.1\","
                + " \"SLOW_CLUSTER\": \"slow\", \"SLOW_SLEEP\": \"6\"}");
        p.put("campaign.takeBackAfterSeconds", "1");
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(90));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 20).containsEntry("FAILED", 0);
        }
        Map<Long, Integer> starts = CampaignRun.starts(dir);
        assertThat(starts).as("every index ran").hasSize(20);
        assertThat(starts.values()).as("no index ran twice").containsOnly(1);

        LedgerState ledger = LedgerState.replay(dir.resolve(Ledger.FILE));
        Map<String, Integer> completedOn = new TreeMap<>();
        ledger.entries().forEach(en -> completedOn.merge(en.cluster, 1, Integer::sum));
        List<String> lines = Files.readAllLines(dir.resolve(Ledger.FILE));
        long takeBacks = lines.stream().filter(l -> l.contains("\"t\":\"takeback\"")).count();
        long answered = lines.stream().filter(l -> l.contains("\"t\":\"takenback\"")).count();
        assertThat(takeBacks).as("take-backs written to the ledger").isPositive();
        assertThat(answered).as("each answered").isEqualTo(takeBacks);
        assertThat(completedOn.getOrDefault("slow", 0)).as("slow ran only what it had started before the tail (one at a time)")
                .isLessThan(4);
        assertThat(ledger.attempts().values()).as("a task taken back never ran: no attempt counted twice").containsOnly(1);
        // the ledger's order: every take-back is written before its answer
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"t\":\"takenback\"")) {
                String seq = lines.get(i).replaceAll(".*\"seq\":(\\d+).*", "$1");
                assertThat(lines.subList(0, i)).anyMatch(l -> l.contains("\"t\":\"takeback\",\"seq\":" + seq + ","));
            }
        }
    }
}
