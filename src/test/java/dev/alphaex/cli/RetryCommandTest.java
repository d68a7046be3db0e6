package dev.alphaex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alphaex.campaign.CampaignRun;
import dev.alphaex.campaign.LedgerState;
import dev.alphaex.campaign.Phase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code alphaex retry} on the local cluster: failed tasks back to pending with fresh attempts, picked up by the running
 * controller, or recorded by the command itself for the next start; the selections (indices, outcomes, all) and their
 * errors; the resources of the next attempts recorded with the retry and with the submission.
 */
@Tag("slow")
class RetryCommandTest {
    @TempDir
    Path dir;

    private Map<String, String> campaign() throws Exception {
        Path fail = Files.createDirectories(dir.resolve("fail"));
        for (String i : List.of("3", "7", "12")) {
            Files.writeString(fail.resolve(i), "");
        }
        Map<String, String> p = CampaignRun.defaults(dir, StatusCommandTest.ONE_LOCAL);
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"0.05\", \"FAIL_DIR\": \"" + fail + "\"}");
        p.put("campaign.maxAttempts", "2");
        return p;
    }

    @Test
    void retryRunsFailedTasksAgainWithFreshAttemptsThroughTheControllerOrTheNextStart() throws Exception {
        Map<String, String> p = campaign();
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(60));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 17).containsEntry("FAILED", 3);

            Files.delete(dir.resolve("fail/3"));
            Files.delete(dir.resolve("fail/7"));
            CliRun r = CliRun.run(p, "retry", "--indices", "3,7");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("campaign test 2 failed task(s) pending again with fresh attempts (3,7) (by the running"
                    + " controller");
            run.awaitFinished(Duration.ofSeconds(30));
            assertThat(run.campaign().phases()).containsEntry(3L, "COMPLETED").containsEntry(7L, "COMPLETED").containsEntry(12L, "FAILED");
            assertThat(run.campaign().attempts()).as("2 failed attempts, then one that passed").containsEntry(3L, 3).containsEntry(12L, 2);

            CliRun outside = CliRun.run(p, "retry", "--indices", "12,18-25");
            assertThat(outside.exit()).isEqualTo(2);
            assertThat(outside.err()).isEqualTo("alphaex retry: indices 20-25 are not in campaign test (20 indices, lowest 0,"
                    + " highest 19)\n");
            CliRun none = CliRun.run(p, "retry", "--outcome", "TIMEOUT");
            assertThat(none.exit()).isEqualTo(2);
            assertThat(none.err()).isEqualTo("alphaex retry: no failed task with outcome TIMEOUT in campaign test (1 failed in all)\n");
            CliRun notFailed = CliRun.run(p, "retry", "--indices", "4-5");
            assertThat(notFailed.err()).isEqualTo("alphaex retry: no failed task among indices 4-5 in campaign test (1 failed in all);"
                    + " left alone (not failed): 2 completed (4-5)\n");
            CliRun unsaid = CliRun.run(p, "retry");
            assertThat(unsaid.exit()).isEqualTo(2);
            assertThat(unsaid.err()).contains("say which failed tasks: --all, --outcome OUTCOME[,OUTCOME] or --indices RANGES");
            CliRun noMem = CliRun.run(p, "retry", "--all", "--mem", "x2");
            assertThat(noMem.err()).isEqualTo("alphaex retry: index 12 ran on l1 without a mem of its own (the cluster's default):"
                    + " give --mem a value instead of x2\n");
        }
        // no controller: the command records it, the next start runs it
        Files.delete(dir.resolve("fail/12"));
        CliRun r = CliRun.run(p, "retry", "--all", "--mem", "2G", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("by").asText()).isEqualTo("command");
        assertThat(j.path("indices").asText()).isEqualTo("12");
        assertThat(j.path("message").asText()).isEqualTo("1 failed task(s) pending again with fresh attempts (12): 12 with mem 2G");
        LedgerState s = LedgerState.replay(dir.resolve("ledger.jsonl"));
        assertThat(s.count(Phase.PENDING)).isEqualTo(1);
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(30));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 20);
        }
        List<String> events = Files.readAllLines(dir.resolve("ledger.jsonl"));
        ObjectMapper m = new ObjectMapper();
        assertThat(events.stream().filter(e -> e.contains("\"t\":\"retry\"")).map(e -> readTree(m, e).path("indices").asText()))
                .containsExactly("3,7", "12");
        assertThat(events).anyMatch(e -> e.contains("\"t\":\"retry\",\"indices\":\"12\"") && e.contains("\"with\":{\"mem\":\"2G\"}"));
        assertThat(events).as("the submission records the resources it asked")
                .anyMatch(e -> e.contains("\"t\":\"intent\"") && e.contains("\"array\":\"12\"") && e.contains("\"with\":{\"mem\":\"2G\"}"));
    }

    private static JsonNode readTree(ObjectMapper m, String line) {
        try {
            return m.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
