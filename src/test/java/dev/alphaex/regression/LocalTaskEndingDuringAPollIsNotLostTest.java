package dev.alphaex.regression;

import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import dev.alphaex.local.LocalClusters;
import dev.alphaex.local.LocalProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found on the lab (e2b6b64): the local cluster reported a task lost ("ended without recording an exit status"),
 * and the campaign ran it again, when the task ended during a poll: the poll read the exit file, then checked the
 * process, and a wrapper that wrote its exit file and exited in between looked killed. Observations now go pid
 * file, liveness, exit file, the order the wrapper writes them. 400 instant tasks polled in a tight loop (failed
 * within one run before the fix).
 */
class LocalTaskEndingDuringAPollIsNotLostTest {
    @TempDir
    Path dir;

    @Test
    void aTaskEndingDuringAPollIsNeverReportedLost() throws Exception {
        Path job = dir.resolve("job.sh");
        Files.writeString(job, "#!/bin/sh\nexit 0\n");
        job.toFile().setExecutable(true);
        LocalClusters clusters = new LocalClusters(dir.resolve("clusters").toString());
        LocalProtocol eight = new LocalProtocol(8);
        clusters.exec("c", eight.infoCommand());
        SubmitRequest req = new SubmitRequest("ax-race", LongStream.range(0, 400).boxed().toList(), 0, "0-399", job.toString(),
                List.of(), Map.of("ALPHAEX_BASE", "0"), dir.toString(), Map.of());
        String jobId = eight.parseSubmit(req, clusters.exec("c", eight.submitCommand(req)));
        PollRequest poll = new PollRequest("ax-race", List.of(jobId), Instant.now(), false);
        boolean done = false;
        while (!done) {
            List<TaskReport> tasks = eight.parsePoll(poll, clusters.exec("c", eight.pollCommand(poll))).tasks();
            for (TaskReport t : tasks) {
                assertThat(t.reason()).as("task %d", t.taskId()).doesNotContain("without recording");
            }
            done = tasks.stream().allMatch(t -> t.state() == TaskState.COMPLETED);
        }
    }
}
