package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes reload: a cluster added to the campaign routes file of a running campaign is picked up
 * without a restart or a compilation, and the cluster already there keeps its tasks.
 */
@Tag("slow")
class CampaignReloadTest {
    @TempDir
    Path dir;

    private int completedOn(String cluster) {
        try {
            for (JsonNode c : new ObjectMapper().readTree(dir.resolve("status.json").toFile()).path("clusters")) {
                if (c.path("name").asText().equals(cluster)) {
                    return c.path("completed").asInt();
                }
            }
        } catch (Exception e) {
            // not written yet
        }
        return 0;
    }

    private Path clusters() {
        return dir.resolve("routes").resolve("my-campaign.yaml");
    }

    /** A campaign on a routes file of its own, with routes reload on; jobs of {@code sleep} seconds. */
    private CampaignRun start(String clustersYaml, String sleep) throws Exception {
        Files.createDirectories(clusters().getParent());
        Files.writeString(clusters(), clustersYaml);
        Map<String, String> p = CampaignRun.defaults(dir, clusters().toString());
        p.put("camel.main.routesReloadEnabled", "true");
        p.put("camel.main.routesReloadDirectory", clusters().getParent().toString());
        p.put("camel.main.routesReloadPattern", "my-campaign.yaml");
        p.put("camel.main.routesReloadRemoveAllRoutes", "false");
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"" + sleep + "\"}");
        return CampaignRun.start(p);
    }

    @Test
    void aClusterAddedToTheRoutesFileOfARunningCampaignGetsWork() throws Exception {
        try (CampaignRun run = start(RoutesFiles.localCluster("first", 1), "0.3")) {
            CampaignRun.await(() -> completedOn("first") >= 2, Duration.ofSeconds(30), "the first cluster to complete 2 tasks");
            RoutesFiles.edit(clusters(), RoutesFiles.localCluster("first", 1) + RoutesFiles.localCluster("second", 4));
            CampaignRun.await(() -> completedOn("second") >= 1, Duration.ofSeconds(30), "the added cluster to complete a task");
            run.awaitFinished(Duration.ofSeconds(60));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 20);
        }
        assertThat(completedOn("first") + completedOn("second")).isEqualTo(20);
        assertThat(completedOn("second")).isGreaterThan(completedOn("first")); // 4 slots against 1
        assertThat(CampaignRun.starts(dir).values()).hasSize(20).containsOnly(1);
    }

    @Test
    void aBadEditIsRefusedAndTheRunningClustersGoOn() throws Exception {
        try (CampaignRun run = start(RoutesFiles.localCluster("first", 2), "0.2")) {
            CampaignRun.await(() -> completedOn("first") >= 1, Duration.ofSeconds(30), "a first completed task");
            RoutesFiles.edit(clusters(), RoutesFiles.localCluster("first", 2) + RoutesFiles.localCluster("broken", 0));
            run.awaitFinished(Duration.ofSeconds(60));
            assertThat(run.context().getRoute("cluster-broken")).isNull();
            assertThat(run.context().getRoute("cluster-first")).isNotNull();
        }
        assertThat(completedOn("first")).isEqualTo(20);
    }
}
