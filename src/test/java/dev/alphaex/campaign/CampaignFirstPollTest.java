package dev.alphaex.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster's first exchange reads its facts (Slurm: scontrol show config); its first poll, and so the first
 * submissions, must follow in the same tick, not a poll period later: at a 2 s period that wait left every
 * slot idle for 2 s (SlurmMakespanBenchmark).
 */
class CampaignFirstPollTest {
    @TempDir
    Path dir;

    @Test
    void firstSubmissionsGoOutInTheTickThatReadTheClustersFacts() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local-slow-poll.yaml");
        p.put("campaign.runs", "1"); // 5 jobs, capacity 4, polled every 4 s
        try (CampaignRun run = CampaignRun.start(p)) {
            long t0 = System.nanoTime(); // routes started; the first tick comes 0.1 s later
            Path runs = dir.resolve("runs.log");
            CampaignRun.await(() -> Files.exists(runs), Duration.ofSeconds(10), "the first job to start");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(seconds).as("seconds from start to the first job (the poll period is 4 s)").isLessThan(2.0);
            assertThat(run.campaign().counts().get("PENDING")).as("the capacity was filled at once").isEqualTo(1);
            // the started tasks still write into the test's folder: let them end before it is deleted (it failed to
            // delete local/l1/jobs/1 under load)
            Path job = dir.resolve("local/l1/jobs/1");
            CampaignRun.await(() -> exits(job) == 4, Duration.ofSeconds(30), "the 4 started tasks to end");
        }
    }

    private static long exits(Path job) {
        try (var files = Files.list(job)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".exit")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
