package dev.alphaex.campaign;

import org.apache.camel.Route;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SplitDefinition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The campaign engine through the real YAML routes (routes/alphaex.yaml) on local clusters. */
@Tag("slow")
class CampaignRoutesTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void everyIndexCompletesExactlyOnceAndItsLogIsInTheInbox() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/two-local.yaml");
        try (CampaignRun run = CampaignRun.start(p)) {
            // every poll of either cluster's route ends without an error, and each cluster's calls go out over its
            // transport endpoint
            NotifyBuilder failed = new NotifyBuilder(run.context()).whenFailed(1).create();
            NotifyBuilder polls = new NotifyBuilder(run.context()).fromRoute("cluster-l1").whenCompleted(5)
                    .and().fromRoute("cluster-l2").whenCompleted(5).create();
            NotifyBuilder exchanges = new NotifyBuilder(run.context()).fromRoute("cluster-l2")
                    .wereSentTo("alphaex-cluster:l2").whenCompleted(5).create();
            assertThat(polls.matches(30, TimeUnit.SECONDS)).as("both clusters' poll routes run").isTrue();
            assertThat(exchanges.matches(30, TimeUnit.SECONDS)).as("calls travel the cluster's transport endpoint").isTrue();
            run.awaitFinished(Duration.ofSeconds(60));
            assertThat(failed.matches()).as("no exchange failed").isFalse();
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 20).containsEntry("FAILED", 0);
            CampaignRun.await(() -> inbox().length == 20, Duration.ofSeconds(10), "20 logs in the inbox");
        }
        Map<Long, Integer> starts = CampaignRun.starts(dir);
        assertThat(starts).hasSize(20);
        assertThat(starts.values()).containsOnly(1);
        for (long i = 0; i < 20; i++) {
            assertThat(dir.resolve("inbox").resolve(i + ".csv")).hasContent("step,value\n1," + i + "\n2," + i);
        }
        // both clusters took work from the shared queue
        String runs = Files.readString(dir.resolve("runs.log"));
        assertThat(Files.list(dir.resolve("local")).map(d -> d.getFileName().toString())).containsExactlyInAnyOrder("l1", "l2");
        assertThat(runs).contains(" test"); // ALPHAEX_CAMPAIGN
    }

    private String[] inbox() {
        String[] names = dir.resolve("inbox").toFile().list();
        return names == null ? new String[0] : names;
    }

    @Test
    void failingIndicesAreRetriedUpToTheLimitThenReportedFailed() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.maxAttempts", "3");
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"FAIL_INDICES\": \"3 11 17\"}");
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(60));
            Map<Long, String> phases = run.campaign().phases();
            assertThat(phases).containsEntry(3L, "FAILED").containsEntry(11L, "FAILED").containsEntry(17L, "FAILED");
            assertThat(phases.values().stream().filter("COMPLETED"::equals).count()).isEqualTo(17);
            assertThat(run.campaign().attempts()).containsEntry(3L, 3).containsEntry(0L, 1);
        }
        Map<Long, Integer> starts = CampaignRun.starts(dir);
        assertThat(starts).containsEntry(3L, 3).containsEntry(11L, 3).containsEntry(17L, 3).containsEntry(4L, 1);
        assertThat(Stream.of(inbox())).hasSize(17).doesNotContain("3.csv", "11.csv", "17.csv");
    }

    @Test
    void theClusterRouteSendsSubmissionsThroughAContentBasedRouter() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        try (CampaignRun run = CampaignRun.start(p)) {
            RouteDefinition route = ((ModelCamelContext) run.context())
                    .getRouteDefinition(run.context().getRoutes().stream().map(Route::getRouteId)
                            .filter(id -> id.startsWith("cluster-")).findFirst().orElseThrow());
            ChoiceDefinition choice = find(route, ChoiceDefinition.class);
            assertThat(choice).as("a choice in the cluster route").isNotNull();
            assertThat(choice.getWhenClauses()).as("its when: the cluster answered").hasSize(1);
            assertThat(choice.getWhenClauses().get(0).getExpression().getExpression()).as("it routes on how the cluster answered")
                    .isEqualTo("${body.outcome} == 'ANSWERED'");
            assertThat(choice.getWhenClauses().get(0).getOutputs().stream()
                    .map(n -> find(n, SplitDefinition.class)).filter(Objects::nonNull))
                    .as("the submissions are split inside the when").hasSize(1);
            run.awaitFinished(Duration.ofSeconds(60));
        }
    }

    /** The first node of a type under a node, depth first. */
    private static <T> T find(ProcessorDefinition<?> node, Class<T> type) {
        if (type.isInstance(node)) {
            return type.cast(node);
        }
        for (ProcessorDefinition<?> child : node.getOutputs()) {
            T found = find(child, type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static <T> T find(RouteDefinition route, Class<T> type) {
        for (ProcessorDefinition<?> child : route.getOutputs()) {
            T found = find(child, type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
