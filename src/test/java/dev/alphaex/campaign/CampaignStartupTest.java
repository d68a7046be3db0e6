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
 * Bad campaign definitions stop start-up with one clear error naming the file and the cluster,
 * and leave the ledger as it was.
 */
class CampaignStartupTest {
    @TempDir
    Path dir;

    private static String cluster(String name, String kind, String capacity) {
        return "- templatedRoute:\n"
                + "    routeTemplateRef: cluster\n"
                + "    parameters:\n"
                + "      - name: name\n        value: " + name + "\n"
                + "      - name: kind\n        value: " + kind + "\n"
                + "      - name: capacity\n        value: \"" + capacity + "\"\n"
                + "      - name: period\n        value: \"100\"\n";
    }

    private Path clusters(String yaml) throws Exception {
        Path f = dir.resolve("clusters.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** A ledger with some history: one short campaign run to completion. */
    private byte[] ledgerWithHistory(Map<String, String> p) throws Exception {
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(60));
        }
        return Files.readAllBytes(dir.resolve("ledger.jsonl"));
    }

    @Test
    void zeroCapacityNamesTheFileAndTheCluster() throws Exception {
        Path f = clusters(cluster("ok", "local", "2") + cluster("tiny", "local", "0"));
        Map<String, String> p = CampaignRun.defaults(dir, f.toString());
        p.put("campaign.runs", "1");
        byte[] before = ledgerWithHistory(CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml"));
        assertThat(failure(p)).contains(f + ", cluster 'tiny': capacity must be 1 or more, got 0");
        assertThat(Files.readAllBytes(dir.resolve("ledger.jsonl"))).isEqualTo(before);
    }

    @Test
    void anUnknownKindIsRefused() throws Exception {
        Path f = clusters(cluster("c1", "cloud", "2"));
        assertThat(failure(CampaignRun.defaults(dir, f.toString()))).contains(f + ", cluster 'c1': unknown kind 'cloud'; use local or slurm");
    }

    @Test
    void twoClustersWithOneNameAreRefused() throws Exception {
        Path f = clusters(cluster("twin", "local", "2") + cluster("twin", "local", "3"));
        assertThat(failure(CampaignRun.defaults(dir, f.toString()))).contains(f + ", cluster 'twin': two clusters are named 'twin'");
    }

    @Test
    void aMissingSweepFileIsNamed() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.sweep", "config/no-such-sweep.json");
        assertThat(failure(p)).contains("config/no-such-sweep.json: no such file");
    }

    @Test
    void aMalformedRoutesFileIsNamed() throws Exception {
        Path f = clusters(cluster("ok", "local", "2") + "- templatedRoute:\n   routeTemplateRef: cluster\n  parameters: [\n");
        byte[] before = ledgerWithHistory(CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml"));
        assertThat(failure(CampaignRun.defaults(dir, f.toString()))).contains(f.getFileName().toString());
        assertThat(Files.readAllBytes(dir.resolve("ledger.jsonl"))).isEqualTo(before);
    }

    @Test
    void badCampaignPropertiesAreNamed() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.exports", "{\"ALPHAEX_INDEX\": \"1\"}");
        assertThat(failure(p)).contains("config/application.properties: campaign.exports: ALPHAEX_INDEX is set by AlphaEx or Slurm");
        p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.jobs", "[[4, 1]]");
        assertThat(failure(p)).contains("config/application.properties: campaign.jobs: element 0: range [4,1] ends before it starts");
    }
}
