package dev.alphaex.campaign;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's main job: the default campaign (config/application.properties, routes/campaign.yaml,
 * the bandit job) as shipped, only its folder moved to a temporary one.
 */
@Tag("slow")
class ExampleCampaignTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultBanditCampaignRunsEveryIndexAndWritesItsLog() throws Exception {
        try (CampaignRun run = CampaignRun.start(Map.of(
                "campaign.dir", dir.toString(),
                "campaign.inbox", dir.resolve("inbox").toString(),
                "campaign.exitWhenDone", "false",
                "camel.main.routesReloadEnabled", "false"))) {
            run.awaitFinished(Duration.ofSeconds(120));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 300).containsEntry("FAILED", 0);
        }
        List<Path> logs;
        try (Stream<Path> s = Files.walk(dir.resolve("inbox"))) {
            logs = s.filter(p -> p.getFileName().toString().matches("\\d+\\.csv")).toList();
        }
        assertThat(logs).hasSize(300);
        List<String> lines = Files.readAllLines(logs.get(0));
        assertThat(lines).hasSize(1001);
        assertThat(lines.get(0)).isEqualTo("step,reward,optimal_action");
        assertThat(lines.get(1000)).matches("1000,-?\\d+\\.\\d{6},[01]");
    }
}
