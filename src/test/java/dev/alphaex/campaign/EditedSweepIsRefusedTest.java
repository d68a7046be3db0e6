package dev.alphaex.campaign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.alphaex.campaign.StartupFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 4: editing a sweep value between restarts relabelled old runs (epsilon 0.1 -> 0.2 with the same
 * number of values was accepted, and the chart said epsilon=0.2 for runs made with 0.1). The campaign records the
 * sweep's content in its ledger and refuses a changed sweep at start, naming the keys and values that changed.
 */
class EditedSweepIsRefusedTest {
    private static final String SWEEP = "{\"x\": [1, 2, 3, 4, 5], \"epsilon\": [0, 0.01, 0.1]}";

    @TempDir
    Path dir;

    private Path sweepFile() {
        return dir.resolve("sweep.json");
    }

    private Map<String, String> props() {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.sweep", sweepFile().toString());
        p.put("campaign.runs", "1");
        return p;
    }

    @Test
    void aChangedValueIsRefusedNamingTheKeyAndBothValues() throws Exception {
        Files.writeString(sweepFile(), SWEEP);
        try (CampaignRun run = CampaignRun.start(props())) {
            run.awaitFinished(Duration.ofSeconds(60));
        }
        byte[] ledger = Files.readAllBytes(dir.resolve("ledger.jsonl"));
        Files.writeString(sweepFile(), SWEEP.replace("0.1]", "0.2]").replace("[1, 2, 3, 4, 5]", "[1, 2, 3, 4, 6]"));
        assertThat(failure(props())).contains(sweepFile() + " is not the sweep campaign 'test' began with")
                .contains("/x/4: 5 -> 6").contains("/epsilon/2: 0.1 -> 0.2")
                .contains(dir.resolve("sweep-recorded.json").toString());
        assertThat(Files.readAllBytes(dir.resolve("ledger.jsonl"))).isEqualTo(ledger);
        assertThat(Files.readString(dir.resolve("sweep-recorded.json"))).contains("\"epsilon\" : [ 0, 0.01, 0.1 ]");

        Files.writeString(sweepFile(), SWEEP.replace("0.1]", "0.1, 0.5]"));
        assertThat(failure(props())).contains("/epsilon: 3 -> 4 values (added 0.5)");
        Files.writeString(sweepFile(), "{\"epsilon\": [0, 0.01, 0.1], \"x\": [1, 2, 3, 4, 5]}");
        assertThat(failure(props())).contains("the order of the keys changed: x, epsilon -> epsilon, x");
    }

    @Test
    void theSameSweepWrittenDifferentlyIsTheSameCampaign() throws Exception {
        Files.writeString(sweepFile(), SWEEP);
        try (CampaignRun run = CampaignRun.start(props())) {
            run.awaitFinished(Duration.ofSeconds(60));
        }
        Files.writeString(sweepFile(), "{\n  \"x\": [1,2,3,4,5],\n  \"epsilon\": [0,0.01,0.1]\n}\n");
        try (CampaignRun run = CampaignRun.start(props())) {
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 15);
        }
    }

    @Test
    void aLedgerOfAnEarlierVersionReplaysAndRecordsItsSweepFromThen() throws Exception {
        // written by b80c370 (no sweep record): a finished campaign of test-sweep.json, 5 jobs
        Files.copy(Path.of("src/test/resources/ledgers/finished-b80c370.jsonl"), dir.resolve("ledger.jsonl"));
        Files.copy(Path.of("src/test/resources/campaigns/test-sweep.json"), sweepFile());
        try (CampaignRun run = CampaignRun.start(props())) {
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 5).containsEntry("PENDING", 0);
            assertThat(run.campaign().tag()).isEqualTo("ax-test-280186");
        }
        assertThat(Files.readString(dir.resolve("ledger.jsonl"))).contains("{\"t\":\"sweep\"");
        Files.writeString(sweepFile(), "{\"x\": [1, 2, 3, 4, 50]}");
        assertThat(failure(props())).contains("/x/4: 5 -> 50");
    }
}
