package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A controller killed with SIGKILL at about 40% of a campaign, while tasks run, then started again on the same
 * ledger: no index is lost and none runs twice (tasks that were running are re-attached).
 */
class CampaignRestartTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    /** Starts the real main class (dev.alphaex.AlphaExMain) in a JVM of its own. */
    private Process controller(Map<String, String> props, String logName) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        cmd.add("-Dlog4j2.configurationFile=src/main/resources/log4j2.properties"); // INFO, not the tests' WARN
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("dev.alphaex.AlphaExMain");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile()).start();
    }

    private int completed() {
        return status("completed");
    }

    private int status(String field) {
        try {
            JsonNode status = new ObjectMapper().readTree(dir.resolve("status.json").toFile());
            return status.path(field).asInt();
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void killedControllerRestartsWithNoIndexLostOrDuplicated() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        // 20 jobs of 8 s, 4 at a time: ~45 s; tasks outlast the restart, so some must be re-attached. The kill comes
        // once the wave after the 8th completion runs: on a loaded 2-CPU machine the second JVM took up to 6 s to
        // its first exchange, and with 2.5 s tasks killed as a wave ended it found none running.
        p.put("campaign.runs", "4");
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"8\"}");
        Process first = controller(p, "first.log");
        try {
            CampaignRun.await(() -> completed() >= 8 && status("running") >= 2 || !first.isAlive(), Duration.ofSeconds(90),
                    "40% of the campaign and the next tasks running");
            assertThat(first.isAlive()).as("the first controller is still running (see first.log)").isTrue();
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
            first.waitFor(10, TimeUnit.SECONDS);
        }
        int atKill = completed();
        assertThat(atKill).isBetween(8, 19);

        p.put("campaign.exitWhenDone", "true");
        p.put("campaign.exitGraceSeconds", "0");
        Process second = controller(p, "second.log");
        boolean ended;
        try {
            ended = second.waitFor(90, TimeUnit.SECONDS);
        } finally {
            second.destroyForcibly(); // never leave a controller behind when the test fails
        }
        String log = Files.readString(dir.resolve("second.log"));
        assertThat(ended).as("the second controller ends by itself; its log:%n%s", log).isTrue();
        assertThat(log).contains("campaign test finished").contains("20 completed, 0 failed")
                .containsPattern("found \\d+ job\\(s\\) of a previous run: [1-9]\\d* task\\(s\\) running");

        Map<Long, Integer> starts = CampaignRun.starts(dir);
        assertThat(starts).as("every index ran").hasSize(20);
        assertThat(starts.values()).as("no index ran twice").containsOnly(1);
        String[] inbox = dir.resolve("inbox").toFile().list();
        assertThat(inbox).hasSize(20);
        assertThat(new File(dir.toFile(), "ledger.jsonl")).exists();
    }
}
