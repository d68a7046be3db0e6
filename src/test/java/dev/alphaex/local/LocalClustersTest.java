package dev.alphaex.local;

import dev.alphaex.cluster.ClusterSnapshot;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local cluster keeps Slurm's job contract and survives its controller. */
class LocalClustersTest {
    @TempDir
    Path dir;

    private final LocalProtocol protocol = new LocalProtocol(4);

    private Path script(String body) throws Exception {
        Path s = dir.resolve("job.sh");
        Files.writeString(s, "#!/bin/sh\n" + body);
        s.toFile().setExecutable(true);
        return s;
    }

    private List<TaskReport> pollUntilFinal(LocalClusters clusters, String tag, String job) throws Exception {
        PollRequest req = new PollRequest(tag, List.of(job), Instant.now(), false);
        for (int i = 0; i < 200; i++) {
            ClusterSnapshot snap = protocol.parsePoll(req, clusters.exec("c", protocol.pollCommand(req)));
            if (!snap.tasks().isEmpty() && snap.tasks().stream().allMatch(t -> t.state().isFinal())) {
                return snap.tasks();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("tasks did not end");
    }

    @Test
    void tasksGetTheJobContractAndTheirExitStatusIsRecorded() throws Exception {
        Path job = script("echo \"$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_JOB_ID $ALPHAEX_INDEX $ALPHAEX_BASE $ALPHAEX_CAMPAIGN $ARG1 $1\"\n"
                + "echo oops >&2\nexit $((ALPHAEX_INDEX % 3))\n");
        LocalClusters clusters = new LocalClusters(dir.resolve("clusters").toString());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ALPHAEX_CAMPAIGN", "demo");
        env.put("ALPHAEX_BASE", "100");
        env.put("ARG1", "it's $(not) run");
        SubmitRequest req = new SubmitRequest("ax-demo-1", List.of(100L, 101L, 102L), 100, "0-2", job.toString(), List.of("a b"),
                env, dir.toString(), Map.of());
        CommandResult submitted = clusters.exec("c", protocol.submitCommand(req));
        String jobId = protocol.parseSubmit(req, submitted);
        List<TaskReport> tasks = pollUntilFinal(clusters, "ax-demo-1", jobId);
        assertThat(tasks).extracting(TaskReport::taskId, TaskReport::state, TaskReport::exitCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0L, TaskState.FAILED, 1),
                org.assertj.core.groups.Tuple.tuple(1L, TaskState.FAILED, 2),
                org.assertj.core.groups.Tuple.tuple(2L, TaskState.COMPLETED, 0));
        Path jobDir = dir.resolve("clusters/c/jobs/" + jobId);
        assertThat(jobDir.resolve("1.out")).hasContent("1 " + jobId + " 101 100 demo it's $(not) run a b");
        assertThat(jobDir.resolve("1.err")).hasContent("oops");
    }

    @Test
    void aTaskKilledWithoutRecordingItsExitStatusIsReportedFailedWithTheReason() throws Exception {
        Path job = script("sleep 30\n");
        LocalClusters clusters = new LocalClusters(dir.resolve("clusters").toString());
        SubmitRequest req = new SubmitRequest("ax-demo-2", List.of(0L), 0, "0", job.toString(), List.of(),
                Map.of("ALPHAEX_BASE", "0"), dir.toString(), Map.of());
        String jobId = protocol.parseSubmit(req, clusters.exec("c", protocol.submitCommand(req)));
        Path pid = dir.resolve("clusters/c/jobs/" + jobId + "/0.pid");
        for (int i = 0; i < 100 && !Files.exists(pid); i++) {
            Thread.sleep(20);
        }
        ProcessHandle wrapper = ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).orElseThrow();
        List<ProcessHandle> children = wrapper.descendants().toList();
        wrapper.destroyForcibly(); // SIGKILL first: the wrapper cannot write the exit status
        wrapper.onExit().join();
        children.forEach(ProcessHandle::destroyForcibly);
        List<TaskReport> tasks = pollUntilFinal(clusters, "ax-demo-2", jobId);
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).state()).isEqualTo(TaskState.FAILED);
        assertThat(tasks.get(0).exitCode()).isNull();
        assertThat(tasks.get(0).reason()).contains("without recording an exit status");
    }

    /** Regression: a poll between the wrapper's exit file and its exit reported the task lost (and it ran twice). */
}
