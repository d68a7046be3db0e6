package dev.alphaex.regression;

import dev.alphaex.campaign.CampaignOutcome;
import dev.alphaex.campaign.CampaignRun;
import dev.alphaex.campaign.LedgerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found on the lab (3fe3750): a log fetched into the inbox by a controller killed before it recorded the fetch
 * stalled the restarted campaign: the fetch skipped the file already there without saying so, the log was never
 * recorded collected, and the campaign waited for ever. Here the ledger loses its last collect events (the
 * controller died between the move and the record) while the logs are in the inbox: the restarted controller
 * records them collected, fetches nothing twice, and finishes.
 */
class LogFetchedByAKilledControllerIsRecordedTest {
    @TempDir
    Path dir;

    @Test
    void logsAlreadyInTheInboxAreRecordedCollectedAndTheCampaignFinishes() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        try (CampaignRun run = CampaignRun.start(p)) {
            CampaignRun.await(() -> run.campaign().outcome() == CampaignOutcome.COMPLETED, Duration.ofSeconds(60),
                    "the campaign to finish with every log collected");
        }
        Path ledger = dir.resolve("ledger.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(ledger));
        int dropped = 0;
        for (int i = lines.size() - 1; i >= 0 && dropped < 5; i--) {
            if (lines.get(i).startsWith("{\"t\":\"collect\"")) {
                lines.remove(i);
                dropped++;
            }
        }
        Files.write(ledger, lines);
        assertThat(dropped).isEqualTo(5);
        assertThat(dir.resolve("inbox").toFile().list()).as("every log was moved into the inbox").hasSize(20);

        try (CampaignRun run = CampaignRun.start(p)) {
            CampaignRun.await(() -> run.campaign().outcome() == CampaignOutcome.COMPLETED, Duration.ofSeconds(30),
                    "the restarted campaign to record the logs it found in the inbox and finish");
        }
        LedgerState after = LedgerState.replay(ledger);
        assertThat(Files.readAllLines(ledger).stream().filter(l -> l.startsWith("{\"t\":\"collect\"") && l.contains("\"ok\":true")))
                .as("every index recorded collected, with its log").hasSize(20);
        assertThat(after.attempts().values()).as("nothing ran again").containsOnly(1);
        assertThat(dir.resolve("inbox").toFile().list()).hasSize(20);
    }
}
