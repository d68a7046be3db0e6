package dev.alphaex.campaign;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 7: the README's command for "a campaign routes file of your own" never exited. It leaves out
 * routes/results.yaml, so nothing reads the inbox, and campaign.drainInboxBeforeExit=true (the properties
 * file's default) waited for ever for a drain nothing would do. The campaign waits for a drain only when a
 * route reads its inbox.
 */
@Tag("slow")
class OwnRoutesFileCommandExitsTest {
    @TempDir
    Path dir;

    @Test
    void withoutTheResultsRoutesTheCampaignStopsWhenDone() throws Exception {
        Path mine = dir.resolve("my-campaign.yaml");
        Files.copy(Path.of("src/test/resources/campaigns/one-local.yaml"), mine);
        Map<String, String> p = CampaignRun.defaults(dir, mine.toString());
        p.put("camel.main.routesIncludePattern", "file:routes/alphaex.yaml,file:" + mine); // as the README wrote it
        p.put("campaign.runs", "1");
        p.put("campaign.exitWhenDone", "true");
        p.put("campaign.drainInboxBeforeExit", "true"); // config/application.properties says so
        p.put("campaign.exitGraceSeconds", "0");
        try (ControllerJvm c = ControllerJvm.start(p, dir.resolve("out.log"))) {
            Integer exit = c.exitCode(Duration.ofSeconds(40));
            assertThat(exit).as(c.output()).isEqualTo(0);
            assertThat(c.output()).contains("5 completed, 0 failed").contains("no route reads the inbox " + dir.resolve("inbox"));
        }
        assertThat(dir.resolve("inbox/4.csv")).exists();
    }

    @Test
    void theResultsRoutesReadTheInboxSoItsDrainIsWaitedFor() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("camel.main.routesIncludePattern", "file:routes/alphaex.yaml,file:routes/results.yaml,file:src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.sweep", "config/bandit-sweep.json");
        p.put("campaign.runs", "1");
        try (CampaignRun run = CampaignRun.start(p)) {
            BooleanSupplier readers = run.context().getRegistry().lookupByNameAndType("inboxReaders", BooleanSupplier.class);
            assertThat(readers.getAsBoolean()).as("a route of routes/results.yaml reads " + dir.resolve("inbox")).isTrue();
        }
    }
}
