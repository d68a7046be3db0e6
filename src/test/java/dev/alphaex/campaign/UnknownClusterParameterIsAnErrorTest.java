package dev.alphaex.campaign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateParameterDefinition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.alphaex.campaign.StartupFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 10: an unknown templatedRoute parameter ({@code capacityy}) was ignored, so the cluster ran with
 * the default or the other value and nothing said so. It is an error naming the file, the line, the cluster, the
 * unknown name and the known ones.
 */
class UnknownClusterParameterIsAnErrorTest {
    @TempDir
    Path dir;

    /** Cluster l1 (local, capacity 4; its parameters on lines 4-6) and one more parameter on line 7. */
    private static String clusterL1With(String parameter) {
        return "- templatedRoute:\n"
                + "    routeTemplateRef: cluster\n"
                + "    parameters:\n"
                + "      - {name: name, value: l1}\n"
                + "      - {name: kind, value: local}\n"
                + "      - {name: capacity, value: \"4\"}\n"
                + parameter;
    }

    @Test
    void aMisspelledParameterIsRefusedNamingFileLineClusterAndTheKnownNames() throws Exception {
        Path f = dir.resolve("clusters.yaml");
        Files.writeString(f, clusterL1With("      - {name: maxTaks, value: \"2\"}\n"));
        String message = failure(CampaignRun.defaults(dir, f.toString()));
        assertThat(message).contains(f + ":7: cluster 'l1': unknown parameter 'maxTaks' (did you mean maxTasks?); the cluster"
                + " template's parameters are name, kind, capacity, running, period, host, workDir, script, results, sweep, maxTasks,"
                + " timeout, account, partition, time, mem, gres, extra, file");
        assertThat(dir.resolve("ledger.jsonl")).doesNotExist();
    }

    @Test
    void theKnownNamesAreTheClusterTemplatesParameters() throws Exception {
        try (CampaignRun run = CampaignRun.start(CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml"))) {
            List<String> names = new ArrayList<>();
            for (RouteTemplateParameterDefinition p : ((ModelCamelContext) run.context()).getRouteTemplateDefinition("cluster")
                    .getTemplateParameters()) {
                names.add(p.getName());
            }
            assertThat(names).isEqualTo(ClusterFile.PARAMETERS);
        }
    }

    @Test
    void aParameterGivenTwiceIsRefused() throws Exception {
        Path f = dir.resolve("clusters.yaml");
        Files.writeString(f, clusterL1With("      - {name: capacity, value: \"8\"}\n"));
        assertThat(failure(CampaignRun.defaults(dir, f.toString())))
                .contains(f + ":7: cluster 'l1': parameter 'capacity' is given twice (first on line 6)");
    }
}
