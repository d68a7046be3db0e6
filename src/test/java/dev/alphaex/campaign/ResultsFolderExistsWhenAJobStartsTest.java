package dev.alphaex.campaign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 13 (the engine's part): {@code $ALPHAEX_RESULTS} did not exist when a local job started, so a
 * script that writes its log there without {@code mkdir -p} failed with exit 2. The folder exists before any
 * task of the job starts.
 */
class ResultsFolderExistsWhenAJobStartsTest {
    @TempDir
    Path dir;

    @Test
    void aJobWithoutMkdirWritesItsLog() throws Exception {
        Path job = dir.resolve("no-mkdir.sh");
        Files.writeString(job, "#!/bin/sh\nset -eu\nprintf 'step,value\\n1,1\\n' > \"$ALPHAEX_RESULTS/$ALPHAEX_INDEX.csv\"\n");
        Files.setPosixFilePermissions(job, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.script", job.toString());
        p.put("campaign.runs", "1");
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(30));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 5).containsEntry("FAILED", 0);
        }
        assertThat(dir.resolve("inbox/4.csv")).exists();
    }
}
