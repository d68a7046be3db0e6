package dev.alphaex.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterSnapshot;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import dev.alphaex.ssh.Lab;
import dev.alphaex.ssh.RemoteFiles;
import dev.alphaex.ssh.Shell;
import dev.alphaex.ssh.SshSessions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SlurmProtocol's commands over the lab's SSH on both of its real Slurm clusters. */
class SlurmProtocolIT {
    private static Lab lab;
    private static SshSessions ssh;
    private final SlurmProtocol slurm = new SlurmProtocol();

    @BeforeAll
    static void lab() {
        lab = Lab.require();
        ssh = lab.sessions();
    }

    @AfterAll
    static void close() {
        if (ssh != null) {
            ssh.close();
        }
    }

    private static String tag(String what) {
        return "it-" + what + "-" + Long.toString(System.nanoTime(), 36);
    }

    @ParameterizedTest
    @ValueSource(strings = {Lab.A, Lab.B})
    void readsMaxArraySizeOnce(String cluster) throws Exception {
        ClusterInfo info = slurm.parseInfo(ssh.exec(cluster, slurm.infoCommand()));
        assertThat(info.maxArrayIndex()).isEqualTo(100_000);
        assertThat(info.description()).startsWith("Slurm ").contains(cluster.equals(Lab.A) ? "clustera" : "clusterb");
    }

    /** Submit an array of sleep / exit 3 tasks, poll until every task is final, check states and exit codes. */
    @ParameterizedTest
    @ValueSource(strings = {Lab.A, Lab.B})
    void submitAndPollUntilFinal(String cluster) throws Exception {
        Instant since = Instant.now();
        String tag = tag("rt");
        String work = "~/it-work/" + tag;
        ssh.exec(cluster, "mkdir -p " + Shell.quotePath(work) + " && cat > " + Shell.quotePath(work + "/job.sh")
            + " <<'EOF'\n#!/bin/bash\n#SBATCH -o /dev/null\ncase $SLURM_ARRAY_TASK_ID in 1|3) exit 3;; *) sleep 1;; esac\nEOF");
        SubmitRequest req = new SubmitRequest(tag, List.of(10L, 11L, 12L, 13L, 14L), 10, "0-4", "job.sh", List.of(),
            Map.of(), work, Map.of("time", "5"));
        String jobId = slurm.parseSubmit(req, ssh.exec(cluster, slurm.submitCommand(req)));
        assertThat(jobId).matches("[0-9]+");

        PollRequest poll = new PollRequest(tag, List.of(jobId), since, false);
        Map<Long, TaskReport> tasks = pollUntilFinal(cluster, poll, 5, Duration.ofSeconds(90));
        for (long t : List.of(0L, 2L, 4L)) {
            assertThat(tasks.get(t)).isEqualTo(new TaskReport(jobId, t, TaskState.COMPLETED, 0, ""));
        }
        for (long t : List.of(1L, 3L)) {
            assertThat(tasks.get(t)).isEqualTo(new TaskReport(jobId, t, TaskState.FAILED, 3, ""));
        }
        // after a restart the engine finds its submissions by tag alone
        ClusterSnapshot byTag = slurm.parsePoll(new PollRequest(tag, List.of(), since, true),
            ssh.exec(cluster, slurm.pollCommand(new PollRequest(tag, List.of(), since, true))));
        assertThat(byTag.tasks()).hasSize(5).allMatch(t -> t.jobId().equals(jobId));
        assertThat(ssh.logins(cluster)).isEqualTo(1);
    }

    /** The same campaign tag on the other cluster sees nothing of this one: an empty but answered queue. */
    @Test
    void anotherClusterAnswersWithNoTasks() throws Exception {
        PollRequest poll = new PollRequest(tag("none"), List.of(), Instant.now(), true);
        assertThat(slurm.parsePoll(poll, ssh.exec(Lab.B, slurm.pollCommand(poll))).tasks()).isEmpty();
    }

    /**
     * Values with $(...), backticks, quotes, spaces, semicolons, commas and newlines go through ssh, the
     * login shell and the real sbatch into a job, which writes them back: byte for byte equal, and the
     * files the injections would create do not exist.
     */
    @Test
    void nastyValuesReachTheJobVerbatimThroughTheRealSbatch(@TempDir Path local) throws Exception {
        String nasty = SlurmSubmitTest.NASTY.replace("INJECTED", "$HOME/INJECTED");
        Instant since = Instant.now();
        String tag = tag("quote");
        String work = "~/it-work/" + tag + " dir;$(touch INJECTED_DIR)";
        ssh.exec(Lab.A, "mkdir -p " + Shell.quotePath(work) + " && cat > " + Shell.quotePath(work + "/echo job.sh")
            + " <<'EOF'\n#!/bin/bash\n#SBATCH -o out.txt\nprintf '%s' \"$NASTY_ENV\" > env.bin\n"
            + "printf '%s' \"$COMMA\" > comma.bin\nprintf '%s\\0' \"$@\" > args.bin\nEOF");
        SubmitRequest req = new SubmitRequest(tag, List.of(0L), 0, "0", "echo job.sh", List.of(nasty, "", "x,y"),
            Map.of("NASTY_ENV", nasty, "COMMA", "a,b=c,d"), work, Map.of("comment", nasty));
        String jobId = slurm.parseSubmit(req, ssh.exec(Lab.A, slurm.submitCommand(req)));
        pollUntilFinal(Lab.A, new PollRequest(tag, List.of(jobId), since, false), 1, Duration.ofSeconds(60))
            .values().forEach(t -> assertThat(t.state()).as(t.toString()).isEqualTo(TaskState.COMPLETED));

        String remoteDir = Shell.quotePath(work); // as the shell sees it; SFTP needs the plain path
        String plain = ssh.exec(Lab.A, "cd " + remoteDir + " && pwd").stdout().strip();
        new RemoteFiles(ssh).fetch(Lab.A, plain, List.of("env.bin", "args.bin", "comma.bin"), local);
        assertThat(Files.readString(local.resolve("env.bin"), StandardCharsets.UTF_8)).isEqualTo(nasty);
        assertThat(Files.readString(local.resolve("comma.bin"), StandardCharsets.UTF_8)).isEqualTo("a,b=c,d");
        assertThat(Files.readString(local.resolve("args.bin"), StandardCharsets.UTF_8).split("\0", -1))
            .containsExactly(nasty, "", "x,y", "");
        CommandResult injected = ssh.exec(Lab.A, "find ~ -name 'INJECTED*' | head");
        assertThat(injected.stdout()).isEmpty();
    }

    private Map<Long, TaskReport> pollUntilFinal(String cluster, PollRequest poll, int count, Duration limit)
        throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            ClusterSnapshot snap = slurm.parsePoll(poll, ssh.exec(cluster, slurm.pollCommand(poll)));
            Map<Long, TaskReport> tasks = snap.tasks().stream()
                .collect(Collectors.toMap(TaskReport::taskId, Function.identity()));
            if (tasks.size() == count && tasks.values().stream().allMatch(t -> t.state().isFinal())) {
                return tasks;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("tasks not final within " + limit + ": " + snap.tasks());
            }
            Thread.sleep(500);
        }
    }
}
