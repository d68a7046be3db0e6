package dev.alphaex.campaign;

import dev.alphaex.it.ControllerLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 6: a cluster removed from the routes file (or the file saved cut off after the first cluster)
 * while it had running tasks stalled the campaign for ever at "27/30 completed ... ETA 14 s", a progress line
 * every 300 ms, and nothing said that putting the cluster back was the way out. Now one clear message says so
 * (not repeated every poll), the progress lines stop repeating themselves, and the tasks are adopted (not run
 * again) when the cluster is back.
 */
@Tag("slow")
class RemovedClusterWithTasksTest {
    @TempDir
    Path dir;

    private Path clusters() {
        return dir.resolve("routes").resolve("my-campaign.yaml");
    }

    private static String text(ControllerLog log) {
        try {
            return log.text();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void aRemovedClustersTasksAreNamedOnceAndAdoptedWhenItIsBack() throws Exception {
        Files.createDirectories(clusters().getParent());
        Files.writeString(clusters(), RoutesFiles.localCluster("a", 4) + RoutesFiles.localCluster("b", 4));
        Map<String, String> p = CampaignRun.defaults(dir, clusters().toString());
        p.put("camel.main.routesReloadEnabled", "true");
        p.put("camel.main.routesReloadDirectory", clusters().getParent().toString());
        p.put("camel.main.routesReloadPattern", "my-campaign.yaml");
        p.put("campaign.runs", "2"); // 10 jobs of 2 s, 4 + 4 at a time
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"2\"}");
        try (ControllerLog log = ControllerLog.to(dir.resolve("controller.log")); CampaignRun run = CampaignRun.start(p)) {
            CampaignRun.await(() -> CampaignRun.startsOn(dir).size() >= 8, Duration.ofSeconds(30), "8 jobs to start");
            RoutesFiles.edit(clusters(), RoutesFiles.localCluster("a", 4)); // saved cut off after the first cluster
            CampaignRun.await(() -> text(log).contains("is waiting only for"), Duration.ofSeconds(30), "the stall to be reported");
            int progressBefore = count(log.text(), "\\[a\\] running");
            Thread.sleep(3000); // 30 polls of cluster a
            String text = log.text();
            assertThat(count(text, "\\[a\\] running") - progressBefore).as("progress lines while nothing can change").isLessThanOrEqualTo(1);
            assertThat(count(text, "cluster 'b' is not declared in")).isEqualTo(1);
            assertThat(text).contains("cluster 'b' is not declared in " + clusters() + " (removed from it, or left out since the"
                    + " restart), but 4 task(s) of the campaign are queued or running there")
                    .contains("Put cluster 'b' back into " + clusters());
            assertThat(run.campaign().finished()).isFalse();

            RoutesFiles.edit(clusters(), RoutesFiles.localCluster("a", 4) + RoutesFiles.localCluster("b", 4));
            run.awaitFinished(Duration.ofSeconds(30));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 10);
            assertThat(log.text()).contains("cluster 'b' is declared again");
        }
        assertThat(CampaignRun.starts(dir)).as("starts per index").hasSize(10).allSatisfy((i, n) -> assertThat(n).isEqualTo(1));
    }
}
