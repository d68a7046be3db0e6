package dev.alphaex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.campaign.CampaignRun;
import dev.alphaex.campaign.LedgerState;
import dev.alphaex.campaign.Phase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code alphaex status} on a real campaign of the local cluster: while the controller runs (it reads the ledger
 * beside it, without its lock) and after it stopped, its JSON checked against the ledger itself.
 */
@Tag("slow")
class StatusCommandTest {
    static final String ONE_LOCAL = "src/test/resources/campaigns/one-local.yaml";

    @TempDir
    Path dir;

    private Map<String, String> campaign() {
        Map<String, String> p = CampaignRun.defaults(dir, ONE_LOCAL);
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"0.3\", \"FAIL_INDICES\": \"3 7\"}");
        p.put("campaign.maxAttempts", "2");
        return p;
    }

    @Test
    void statusWhileTheControllerRunsAndAfterItStoppedSaysWhatTheLedgerSays() throws Exception {
        Map<String, String> p = campaign();
        Path ledger = dir.resolve("ledger.jsonl");
        try (CampaignRun run = CampaignRun.start(p)) {
            CampaignRun.await(() -> run.campaign().counts().get("COMPLETED") >= 4, Duration.ofSeconds(30), "4 completed");
            LedgerState before = LedgerState.replay(ledger);
            CliRun r = CliRun.run(p, "status", "--json");
            LedgerState after = LedgerState.replay(ledger);
            assertThat(r.exit()).as(r.toString()).isZero();
            JsonNode s = r.json();
            assertThat(s.path("controller").path("running").asBoolean()).isTrue();
            assertThat(s.path("controller").path("holder").asText()).contains("pid " + ProcessHandle.current().pid());
            assertThat(s.path("total").asInt()).isEqualTo(20);
            assertThat(s.path("tag").asText()).isEqualTo(after.tag());
            assertThat(s.path("completed").asInt()).isBetween(before.count(Phase.COMPLETED), after.count(Phase.COMPLETED));
            JsonNode l1 = s.path("clusters").get(0);
            assertThat(l1.path("name").asText()).isEqualTo("l1");
            assertThat(l1.path("state").asText()).isEqualTo("ok");
            assertThat(l1.path("running").asInt() + l1.path("queued").asInt()).isBetween(0, 4);
            run.awaitFinished(Duration.ofSeconds(60));
        }
        LedgerState s = LedgerState.replay(ledger);
        CliRun r = CliRun.run(p, "status", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("controller").path("running").asBoolean()).as("the controller stopped").isFalse();
        assertThat(j.path("finished").asBoolean()).isTrue();
        assertThat(j.path("completed").asInt()).isEqualTo(s.count(Phase.COMPLETED)).isEqualTo(18);
        assertThat(j.path("failed").asInt()).isEqualTo(s.count(Phase.FAILED)).isEqualTo(2);
        JsonNode l1 = j.path("clusters").get(0);
        assertThat(l1.path("state").asText()).as("no controller: not known now").isEqualTo("unknown");
        assertThat(l1.path("lastState").asText()).isEqualTo("ok");
        assertThat(l1.path("completed").asInt()).isEqualTo(s.counts("l1").get(Phase.COMPLETED));
        JsonNode failed = j.path("failedTasks");
        assertThat(failed.size()).isEqualTo(2);
        for (int k = 0; k < 2; k++) {
            JsonNode f = failed.get(k);
            long index = k == 0 ? 3 : 7;
            assertThat(f.path("index").asLong()).isEqualTo(index);
            assertThat(f.path("outcome").asText()).isEqualTo("FAILED");
            assertThat(f.path("exit").asInt()).isEqualTo(1);
            assertThat(f.path("attempts").asInt()).isEqualTo(s.attempts().get(index)).isEqualTo(2);
            assertThat(f.path("cluster").asText()).isEqualTo("l1");
            assertThat(f.path("reason").asText()).contains("index " + index + " fails on purpose");
            String job = f.path("job").asText();
            assertThat(f.path("output").asText()).isEqualTo("stdout " + dir.resolve("local/l1/jobs/" + job + "/" + f.path("task").asLong()
                    + ".out") + ", stderr " + dir.resolve("local/l1/jobs/" + job + "/" + f.path("task").asLong() + ".err"));
            assertThat(Files.readString(Path.of(f.path("output").asText().replaceAll(".*stderr ", ""))))
                    .contains("index " + index + " fails on purpose");
        }
        CliRun text = CliRun.run(p, "status");
        assertThat(text.out()).contains("20 jobs: 18 completed, 2 failed, 0 running, 0 queued, 0 pending (finished)")
                .contains("no controller running").contains("failed tasks (2):")
                .contains("index 3: FAILED exit 1 after 2 attempt(s) on l1 (job ");
    }

    @Test
    void anUnknownCampaignOrClusterIsOneClearError() throws Exception {
        Map<String, String> p = campaign();
        CliRun none = CliRun.run(p, "status");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("alphaex: no campaign 'test' in " + dir + " (no ledger.jsonl there): it has not started");
        assertThat(none.out()).isEmpty();
        Files.createDirectories(dir.resolve("other"));
        Files.writeString(dir.resolve("other/ledger.jsonl"), "");
        CliRun elsewhere = CliRun.run(p, "status", "--dir", dir.resolve("nowhere").toString());
        assertThat(elsewhere.err()).contains("no campaign 'test' in " + dir.resolve("nowhere")).contains("campaigns in " + dir + ": other");
        try (CampaignRun run = CampaignRun.start(p)) {
            CliRun cluster = CliRun.run(p, "status", "--cluster", "l9");
            assertThat(cluster.exit()).isEqualTo(2);
            assertThat(cluster.err()).isEqualTo("alphaex: cluster 'l9' is not in " + ONE_LOCAL + " (its clusters: l1)\n");
        }
    }
}
