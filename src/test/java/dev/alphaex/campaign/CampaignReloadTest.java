package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
class CampaignReloadTest {
    @TempDir
    Path dir;

    private static String cluster(String name, int capacity) {
        return "- templatedRoute:\n"
                + "    routeTemplateRef: cluster\n"
                + "    routeId: cluster-" + name + "\n"
                + "    parameters:\n"
                + "      - {name: name, value: " + name + "}\n"
                + "      - {name: kind, value: local}\n"
                + "      - {name: capacity, value: \"" + capacity + "\"}\n"
                + "      - {name: period, value: \"100\"}\n";
    }

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

    @Test
    void aClusterAddedToTheRoutesFileOfARunningCampaignGetsWork() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path clusters = routes.resolve("my-campaign.yaml");
        Files.writeString(clusters, cluster("first", 1));
        Map<String, String> p = CampaignRun.defaults(dir, clusters.toString());
        p.put("camel.main.routesReloadEnabled", "true");
        p.put("camel.main.routesReloadDirectory", routes.toString());
        p.put("camel.main.routesReloadPattern", "my-campaign.yaml");
        p.put("camel.main.routesReloadRemoveAllRoutes", "false");
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"0.3\"}");
        try (CampaignRun run = CampaignRun.start(p)) {
            CampaignRun.await(() -> completedOn("first") >= 2, Duration.ofSeconds(30), "the first cluster to complete 2 tasks");
            // as an editor saves it: a new file moved over the old one (a half-written file is not read)
            Path edited = dir.resolve("my-campaign.yaml.new");
            Files.writeString(edited, cluster("first", 1) + cluster("second", 4));
            Files.move(edited, clusters, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path clusters = routes.resolve("my-campaign.yaml");
        Files.writeString(clusters, cluster("first", 2));
        Map<String, String> p = CampaignRun.defaults(dir, clusters.toString());
        p.put("camel.main.routesReloadEnabled", "true");
        p.put("camel.main.routesReloadDirectory", routes.toString());
        p.put("camel.main.routesReloadPattern", "my-campaign.yaml");
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"0.2\"}");
        try (CampaignRun run = CampaignRun.start(p)) {
            CampaignRun.await(() -> completedOn("first") >= 1, Duration.ofSeconds(30), "a first completed task");
            Path edited = dir.resolve("edit.yaml");
            Files.writeString(edited, cluster("first", 2) + cluster("broken", 0));
            Files.move(edited, clusters, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            run.awaitFinished(Duration.ofSeconds(60));
            assertThat(run.context().getRoute("cluster-broken")).isNull();
            assertThat(run.context().getRoute("cluster-first")).isNotNull();
        }
        assertThat(completedOn("first")).isEqualTo(20);
    }
}
