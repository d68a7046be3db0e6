package dev.alphaex.campaign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static dev.alphaex.campaign.StartupFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 8: failures were hard to see. A non-executable script gave "FAILED (exit 126)" three times per
 * index with the reason (Permission denied) only in the job's .err file, and the process exited 0 with 15 of 15
 * jobs failed. Now: the reason shows the first lines of the task's stderr, the summary lists the failed indices
 * by outcome, the exit code says the campaign ended with failures (3), and a local job script that cannot run
 * is refused at start.
 */
class FailuresAreVisibleTest {
    @TempDir
    Path dir;

    private Path script(String name, String body, String mode) throws Exception {
        Path job = dir.resolve(name);
        Files.writeString(job, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(job, PosixFilePermissions.fromString(mode));
        return job;
    }

    @Test
    void aFailedCampaignExitsWithCode3AndShowsEachTasksStderr() throws Exception {
        Path job = script("fails.sh", "echo \"loading model for $ALPHAEX_INDEX\" >&2\necho 'boom: no such model' >&2\n"
                + "[ \"$ALPHAEX_INDEX\" = 2 ] || exit 3\nmkdir -p \"$ALPHAEX_RESULTS\"\nprintf 'step,value\\n1,1\\n' > \"$ALPHAEX_RESULTS/2.csv\"\n",
                "rwxr-xr-x");
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.script", job.toString());
        p.put("campaign.runs", "1");
        p.put("campaign.maxAttempts", "1");
        p.put("campaign.exitWhenDone", "true");
        p.put("campaign.exitGraceSeconds", "0");
        try (ControllerJvm c = ControllerJvm.start(p, dir.resolve("out.log"))) {
            Integer exit = c.exitCode(Duration.ofSeconds(40));
            String out = c.output();
            assertThat(exit).as(out).isEqualTo(3);
            assertThat(out).contains("index 0 failed for good on l1: FAILED (exit 3), stderr: loading model for 0 | boom: no such model (")
                    .contains("/local/l1/jobs/1/0.err)");
            assertThat(out).contains("5 jobs, 1 completed, 4 failed: FAILED exit 3: 0-1,3-4 (index 0: stderr: loading model for 0 ");
        }
    }

    /**
     * Exit 126 (found but cannot be run) and 127 (not found) come from the shell, before the experiment does anything:
     * a retry runs into the same wall (it was retried campaign.maxAttempts times). One attempt, and the line says why.
     */
    @Test
    void aCommandTheJobCannotRunIsNotRetried() throws Exception {
        Path job = script("missing-program.sh", "[ \"$ALPHAEX_INDEX\" = 1 ] && exec " + dir.resolve("not-executable.txt")
                + "\nexec " + dir.resolve("no-such-program") + " --seed \"$ALPHAEX_INDEX\"\n", "rwxr-xr-x");
        Files.writeString(dir.resolve("not-executable.txt"), "data\n");
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.script", job.toString());
        p.put("campaign.runs", "1");
        p.put("campaign.maxAttempts", "3");
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(30));
            assertThat(run.campaign().counts()).containsEntry("FAILED", 5);
            assertThat(run.campaign().attempts()).as("one attempt each").containsOnly(
                    Map.entry(0L, 1), Map.entry(1L, 1), Map.entry(2L, 1), Map.entry(3L, 1), Map.entry(4L, 1));
        }
        assertThat(RetryPolicy.defaults(3).decide("FAILED", 127, 1)).isEqualTo(RetryPolicy.Decision.FAIL);
        assertThat(RetryPolicy.defaults(3).decide("FAILED", 126, 1)).isEqualTo(RetryPolicy.Decision.FAIL);
        assertThat(RetryPolicy.defaults(3).decide("FAILED", 1, 1)).isEqualTo(RetryPolicy.Decision.RETRY);
    }

    @Test
    void aLocalJobScriptThatIsNotExecutableIsRefusedAtStart() throws Exception {
        Path job = script("not-executable.sh", "exit 0\n", "rw-r--r--");
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.script", job.toString());
        assertThat(failure(p)).contains("campaign.script: job script " + job + " is not executable (chmod +x " + job + ")");
    }
}
