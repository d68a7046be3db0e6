package dev.alphaex.regression;

import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import dev.alphaex.slurm.SlurmProtocol;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found on the lab (db8794c): the engine asks accounting (sacct) only about tasks that left the queue, and sacct
 * lags squeue by seconds, so a task that failed was recorded without its exit status ("FAILED, NonZeroExitCode")
 * and SlurmProtocolIT failed whenever sacct lagged. The poll's squeue now prints each ended task's exit status
 * (exit_code, the raw wait status): the queue's section alone of the lab's captured answer says them all.
 */
class FailedTaskKeepsItsExitCodeWhenAccountingLagsTest {
    @Test
    void theQueueAloneGivesEachEndedTasksExitStatus() throws Exception {
        String captured = Files.readString(Path.of("src/test/resources/slurm/poll-exit-codes.txt"));
        String queueOnly = captured.substring(0, captured.indexOf("@@alphaex:squeue:0") + "@@alphaex:squeue:0".length()) + "\n";
        PollRequest poll = new PollRequest("axcap-exit", List.of(), Instant.parse("2026-11-29T00:00:00Z"), false);
        List<TaskReport> tasks = new SlurmProtocol().parsePoll(poll, new CommandResult(0, queueOnly, "")).tasks();
        assertThat(tasks).extracting(TaskReport::taskId, TaskReport::state, TaskReport::exitCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0L, TaskState.COMPLETED, 0),
                org.assertj.core.groups.Tuple.tuple(1L, TaskState.FAILED, 3),
                org.assertj.core.groups.Tuple.tuple(2L, TaskState.FAILED, null),
                org.assertj.core.groups.Tuple.tuple(3L, TaskState.CANCELLED, null),
                org.assertj.core.groups.Tuple.tuple(4L, TaskState.FAILED, 255),
                org.assertj.core.groups.Tuple.tuple(5L, TaskState.RUNNING, null));
        assertThat(tasks.get(2).reason()).contains("signal 9");
    }
}
