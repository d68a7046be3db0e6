package dev.alphaex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.campaign.CampaignRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code alphaex plan}, the dry run, on local clusters: the submissions the first polls would make (their command lines),
 * each cluster's budget; nothing submitted, the ledger not touched (not even made before the first start).
 */
class PlanCommandTest {
    static final String TWO_LOCAL = "src/test/resources/campaigns/two-local.yaml";

    @TempDir
    Path dir;

    @Test
    void beforeTheFirstStartThePlanIsTheConfigurationsAndNothingIsMade() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, TWO_LOCAL);
        CliRun r = CliRun.run(p, "plan", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("started").asBoolean()).isFalse();
        assertThat(j.path("total").asInt()).isEqualTo(20);
        assertThat(j.path("planned").asInt()).isEqualTo(5);
        assertThat(j.path("leftPending").asInt()).isEqualTo(15);
        JsonNode l1 = j.path("clusters").get(0);
        JsonNode l2 = j.path("clusters").get(1);
        assertThat(l1.path("name").asText()).isEqualTo("l1");
        assertThat(l1.path("capacity").asInt()).isEqualTo(3);
        assertThat(l1.path("free").asInt()).isEqualTo(3);
        assertThat(l1.path("submissions").get(0).path("array").asText()).as("the lowest pending indices first").isEqualTo("0-2");
        assertThat(l2.path("submissions").get(0).path("array").asText()).as("the next ones to the next cluster").isEqualTo("3-4");
        String command = l1.path("submissions").get(0).path("command").asText();
        assertThat(command).startsWith("{\"op\":\"submit\",\"slots\":3,\"tag\":\"ax-test-NEWTAG\",\"base\":0,\"array\":\"0-2\","
                + "\"script\":\"" + CampaignRun.TEST_JOB + "\"");
        assertThat(j.path("doctor").get(0).path("ok").asBoolean()).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("nothing made: no ledger, no local cluster folders").isEmpty();
        }
        CliRun text = CliRun.run(p, "plan");
        assertThat(text.out()).contains("plan for campaign test (not started yet").contains("cluster l1 (local): capacity 3, 0 of the"
                + " campaign's tasks there, 3 free").contains("  3 task(s), array 0-2:\n    {\"op\":\"submit\"")
                .contains("5 task(s) would go out at the first polls; 15 stay pending for later polls. Nothing was submitted.");
    }

    @Tag("slow")
    @Test
    void aStartedCampaignsPlanSubmitsNothingAndLeavesTheLedgerAsItWas() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, TWO_LOCAL);
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"30\"}");
        try (CampaignRun run = CampaignRun.start(p)) {
            CampaignRun.await(() -> run.campaign().counts().get("RUNNING") == 5, Duration.ofSeconds(30), "5 tasks running");
        } // its tasks run on
        byte[] ledger = Files.readAllBytes(dir.resolve("ledger.jsonl"));
        long starts = Files.readAllLines(dir.resolve("runs.log")).size();
        CliRun r = CliRun.run(p, "plan", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("started").asBoolean()).isTrue();
        assertThat(j.path("pending").asInt()).isEqualTo(15);
        JsonNode l1 = j.path("clusters").get(0);
        assertThat(l1.path("occupying").asInt()).isEqualTo(3);
        assertThat(l1.path("free").asInt()).as("full: its tasks from before run on").isZero();
        assertThat(l1.path("submissions").size()).isZero();
        Thread.sleep(500);
        assertThat(Files.readAllBytes(dir.resolve("ledger.jsonl"))).as("the ledger, byte for byte").isEqualTo(ledger);
        assertThat(Files.readAllLines(dir.resolve("runs.log"))).as("nothing started").hasSize((int) starts);
        CliRun.run(p, "cancel", "--wait", "30"); // the tasks left running end here
    }

    @Test
    void aClusterTheRoutesFileDoesNotDeclareIsAnError() {
        Map<String, String> p = CampaignRun.defaults(dir, TWO_LOCAL);
        CliRun r = CliRun.run(p, "plan", "--cluster", "gpu");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("alphaex: cluster 'gpu' is not in " + TWO_LOCAL + " (its clusters: l1, l2)\n");
    }
}
