package dev.alphaex.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alphaex.campaign.CollectorAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 3c56a02: where logs may lag (a Slurm cluster's shared file system), a completed task's log not there yet is looked
 * for again before it is recorded missing; the lookups were counted on the task's vanish counter, which the polls
 * that did not report the task while it ran had already raised, so its log was recorded missing at the first lookup.
 * Lookups have their own counter: a task missed by 5 polls before it completed still gets its lookups.
 */
class CompletedLogLookupsHaveTheirOwnCounterTest {
    @TempDir
    Path dir;

    @Test
    void aLogThatLagsIsFoundAtALaterLookupAlthoughPollsMissedTheTask() throws Exception {
        Path results = Files.createDirectories(dir.resolve("results"));
        try (CollectorAccess c = CollectorAccess.slurmClusterWithLocalFiles(dir, results, 3)) {
            c.completedAfterMissedPolls(0, 5);
            c.collect();
            assertThat(c.recordedMissing(0)).as("missing at the first lookup, with the vanish counter at 5").isFalse();
            Files.writeString(results.resolve("0.csv"), "step,value\n1,1\n"); // the file system caught up
            c.collect();
            assertThat(c.collectedWithLog(0)).as("found at the second lookup").isTrue();
            assertThat(dir.resolve("inbox/0.csv")).exists();
        }
    }
}
