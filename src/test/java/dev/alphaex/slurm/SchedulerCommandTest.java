package dev.alphaex.slurm;

import static dev.alphaex.slurm.SchedulerCommand.SACCT;
import static dev.alphaex.slurm.SchedulerCommand.SACCTMGR;
import static dev.alphaex.slurm.SchedulerCommand.SBATCH;
import static dev.alphaex.slurm.SchedulerCommand.SCANCEL;
import static dev.alphaex.slurm.SchedulerCommand.SCONTROL;
import static dev.alphaex.slurm.SchedulerCommand.SQUEUE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler programs read off the command lines this project sends. */
class SchedulerCommandTest {
    private final SlurmProtocol slurm = new SlurmProtocol();

    /** A poll is one squeue and at most one sacct, whatever the number of jobs; the first exchange is four commands. */
    @Test
    void pollIsOneSqueueAndAtMostOneSacct() {
        Instant since = Instant.parse("2026-12-06T10:00:00Z");
        List<String> jobs = java.util.stream.IntStream.range(10, 900).mapToObj(Integer::toString).toList();
        assertThat(SchedulerCommand.in(slurm.pollCommand(new PollRequest("bandit-x1", jobs, since, true))))
            .isEqualTo(Map.of(SQUEUE, 1, SACCT, 1));
        assertThat(SchedulerCommand.in(slurm.pollCommand(new PollRequest("bandit-x1", jobs, since, false))))
            .isEqualTo(Map.of(SQUEUE, 1, SACCT, 1));
        assertThat(SchedulerCommand.in(slurm.pollCommand(new PollRequest("bandit-x1", List.of(), since, false))))
            .isEqualTo(Map.of(SQUEUE, 1));
        assertThat(SchedulerCommand.in(slurm.pollCommand(new PollRequest("bandit-x1", List.of(), since, false, true))))
            .as("the first exchange: facts, the submit limit and the poll's squeue").isEqualTo(Map.of(SCONTROL, 1, SACCTMGR, 2, SQUEUE, 1));
    }

    @Test
    void submitIsOneSbatchWhateverItsValuesSay() {
        SubmitRequest req = new SubmitRequest("t1", List.of(0L), 0, "0-3%2", "jobs/run.sh",
            List.of("squeue", "; scancel -u me", "$(sacct)"), Map.of("X", "sbatch && squeue"), "~/w d",
            Map.of("comment", "scontrol show config", "extra", "--exclusive"));
        assertThat(SchedulerCommand.in(slurm.submitCommand(req))).isEqualTo(Map.of(SBATCH, 1));
    }

    @Test
    void infoThrottleAndLimits() {
        assertThat(SchedulerCommand.in(slurm.infoCommand())).isEqualTo(Map.of(SCONTROL, 1));
        assertThat(SchedulerCommand.in(ThrottleUpdate.command("7", 3))).isEqualTo(Map.of(SCONTROL, 1));
        assertThat(SchedulerCommand.in(SubmitLimitQuery.command("clusterb"))).isEqualTo(Map.of(SACCTMGR, 2));
    }

    /** Per chunk a hold, a cancel and a release (the cancel inside if/then, the hold inside $( )), then one squeue. */
    @Test
    void takeBackCountsEveryStep() {
        String cmd = new TakeBack(2).command("7", List.of(1L, 2L, 3L));
        assertThat(SchedulerCommand.in(cmd)).isEqualTo(Map.of(SCONTROL, 4, SCANCEL, 2, SQUEUE, 1));
    }

    @Test
    void programsNamedInArgumentsOrQuotesDoNotCount() {
        assertThat(SchedulerCommand.in("command -v sbatch squeue sacct")).isEmpty();
        assertThat(SchedulerCommand.in("for p in sbatch squeue; do command -v \"$p\"; done")).isEmpty();
        assertThat(SchedulerCommand.in("echo squeue 'sacct' \"scancel\"")).isEmpty();
        assertThat(SchedulerCommand.in("'squeue' -h")).isEmpty();
        assertThat(SchedulerCommand.in("cat squeue.txt; grep sbatch log")).isEmpty();
    }

    @Test
    void programsInEveryCommandPositionCount() {
        assertThat(SchedulerCommand.in("squeue -h")).isEqualTo(Map.of(SQUEUE, 1));
        assertThat(SchedulerCommand.in("/usr/bin/squeue -h")).isEqualTo(Map.of(SQUEUE, 1));
        assertThat(SchedulerCommand.in("TZ=UTC A='x y' sacct -X")).isEqualTo(Map.of(SACCT, 1));
        assertThat(SchedulerCommand.in("cd d && sbatch x || scancel 1; squeue|wc -l\nsacctmgr show qos"))
            .isEqualTo(Map.of(SBATCH, 1, SCANCEL, 1, SQUEUE, 1, SACCTMGR, 1));
        assertThat(SchedulerCommand.in("n=$(squeue -h | wc -l); echo \"$(sacct -n) $(scontrol show config)\""))
            .isEqualTo(Map.of(SQUEUE, 1, SACCT, 1, SCONTROL, 1));
        assertThat(SchedulerCommand.in("if squeue >/dev/null 2>&1; then scancel 5; else ! scontrol ping; fi"))
            .isEqualTo(Map.of(SQUEUE, 1, SCANCEL, 1, SCONTROL, 1));
        assertThat(SchedulerCommand.in("(squeue) & sacct")).isEqualTo(Map.of(SQUEUE, 1, SACCT, 1));
    }

    @Test
    void emptyOrNullIsNothing() {
        assertThat(SchedulerCommand.in("")).isEmpty();
        assertThat(SchedulerCommand.in(null)).isEmpty();
    }
}
