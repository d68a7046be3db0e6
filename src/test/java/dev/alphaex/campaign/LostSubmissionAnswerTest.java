package dev.alphaex.campaign;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.Transport;
import dev.alphaex.local.LocalClusters;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A submission whose answer is lost on the way back (the connection drops after sbatch ran): the route's error
 * handling turns the failure into the answer, the cluster is looked up by the campaign's tag before anything is
 * submitted there again, the job is adopted, and no index runs twice. The cluster is a real local one; its
 * transport, plugged in by name ({@code transport: lossy}), loses the answers of the first two submissions.
 */
class LostSubmissionAnswerTest {
    @TempDir
    Path dir;

    /** The local runner, except that the answers of the first submissions are lost after they ran. */
    static final class LossyTransport implements Transport {
        private final LocalClusters local;
        final AtomicInteger lost = new AtomicInteger();

        LossyTransport(LocalClusters local) {
            this.local = local;
        }

        @Override
        public String name() {
            return "lossy";
        }

        @Override
        public CommandResult exec(String address, String command, Duration timeout) throws ClusterException {
            CommandResult r = local.exec(address, command, timeout);
            if (command.contains("\"op\":\"submit\"") && lost.getAndIncrement() < 2) {
                throw new ClusterException(ClusterException.Kind.UNREACHABLE, "the connection dropped before the answer came");
            }
            return r;
        }

        @Override
        public LogFetch fetch(String address, String folder, List<String> names, Path inbox) {
            return local.fetch(address, folder, names, inbox);
        }
    }

    @Test
    void theSubmissionIsFoundByTheCampaignsTagAndNothingRunsTwice() throws Exception {
        Path routes = dir.resolve("clusters.yaml");
        Files.writeString(routes, "- templatedRoute:\n    routeTemplateRef: cluster\n    routeId: cluster-l1\n    parameters:\n"
                + "      - {name: name, value: l1}\n      - {name: kind, value: local}\n      - {name: transport, value: lossy}\n"
                + "      - {name: capacity, value: \"4\"}\n      - {name: period, value: \"100\"}\n");
        LossyTransport lossy = new LossyTransport(new LocalClusters(dir.resolve("local").toString()));
        try (CampaignRun run = CampaignRun.start(CampaignRun.defaults(dir, routes.toString()), Map.of("lossyTransport", lossy))) {
            NotifyBuilder failed = new NotifyBuilder(run.context()).whenFailed(1).create();
            run.awaitFinished(Duration.ofSeconds(60));
            assertThat(failed.matches()).as("no exchange failed: the route configuration handled the lost answers").isFalse();
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 20).containsEntry("FAILED", 0);
            assertThat(run.campaign().attempts().values()).as("a lost answer is not a second attempt").containsOnly(1);
        }
        assertThat(lossy.lost.get()).isGreaterThan(2);
        assertThat(CampaignRun.starts(dir).values()).as("no index ran twice").hasSize(20).containsOnly(1);
        assertThat(Files.readString(dir.resolve("ledger.jsonl"))).doesNotContain("\"t\":\"abandon\"");
    }
}
