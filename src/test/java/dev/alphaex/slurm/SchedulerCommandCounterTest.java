package dev.alphaex.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerCommandCounterTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration PERIOD = Duration.ofSeconds(30);

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Start-up (info + limits), then 4 polls 30 s apart, a submission after two of them, a take-back once. */
    @Test
    void countsPerKindAtStartUpAndPerPollPeriod() {
        SchedulerCommandCounter c = new SchedulerCommandCounter();
        c.sent("cluster-a", "scontrol show config", at(0));
        c.sent("cluster-a", SubmitLimitQuery.command("clustera"), at(0));
        for (int k = 0; k < 4; k++) {
            c.pollStarted("cluster-a", at(1 + 30L * k), PERIOD);
            c.sent("cluster-a", "squeue -h; TZ=UTC sacct -X -j 1", at(1 + 30L * k));
        }
        c.sent("cluster-a", "cd w && sbatch --parsable x.sh", at(2));
        c.sent("cluster-a", "cd w && sbatch --parsable x.sh", at(32));
        c.sent("cluster-a", new TakeBack().command("7", List.of(3L, 4L)), at(95));
        SchedulerCommandCounter.Summary s = c.summary("cluster-a", at(120));
        assertThat(s.startup()).isEqualTo(3);
        assertThat(s.byKind()).containsOnly(entry(SchedulerCommand.SCONTROL, 3L), entry(SchedulerCommand.SACCTMGR, 2L),
            entry(SchedulerCommand.SQUEUE, 5L), entry(SchedulerCommand.SACCT, 4L), entry(SchedulerCommand.SBATCH, 2L),
            entry(SchedulerCommand.SCANCEL, 1L));
        assertThat(s.total()).isEqualTo(17);
        assertThat(s.polls()).isEqualTo(4);
        // 14 commands after start-up over the 4 periods begun since the first poll (t = 1 .. 120)
        assertThat(s.periods()).isEqualTo(4);
        assertThat(s.perPeriod()).isEqualTo(3.5);
        // the busiest period: the 4th (t = 91..121): a poll (2) and the take-back (4 scontrol/scancel/squeue = 4)
        assertThat(s.busiestPeriod()).isEqualTo(6);
        assertThat(s.line()).isEqualTo("cluster-a: 17 scheduler commands (squeue 5, sacct 4, sbatch 2, scontrol 3,"
            + " scancel 1, sacctmgr 2): 3 at start-up, then 3.5 per poll period of 30 s (4 periods, 4 polls;"
            + " at most 6 in one period)");
    }

    @Test
    void beforeAnyPollAndForAnUnknownCluster() {
        SchedulerCommandCounter c = new SchedulerCommandCounter();
        c.sent("b", "scontrol show config", at(0));
        assertThat(c.summary("b", at(5)).line()).isEqualTo("b: 1 scheduler command (scontrol 1): 1 at start-up, no poll yet");
        assertThat(c.summary("nobody", at(5)).line()).isEqualTo("nobody: 0 scheduler commands: 0 at start-up, no poll yet");
    }

    @Test
    void oneLinePerClusterInOrder() {
        SchedulerCommandCounter c = new SchedulerCommandCounter();
        c.pollStarted("cluster-b", at(0), Duration.ofMillis(2500));
        c.sent("cluster-b", "squeue", at(0));
        c.sent("cluster-a", "squeue", at(0));
        assertThat(c.lines(at(1))).isEqualTo(
            "cluster-b: 1 scheduler command (squeue 1): 0 at start-up, then 1.0 per poll period of 2.5 s (1 period, 1 poll;"
                + " at most 1 in one period)\n"
                + "cluster-a: 1 scheduler command (squeue 1): 1 at start-up, no poll yet");
    }

    @Test
    void badInput() {
        SchedulerCommandCounter c = new SchedulerCommandCounter();
        assertThatThrownBy(() -> c.pollStarted("a", T0, Duration.ZERO)).hasMessageContaining("more than zero");
        assertThatThrownBy(() -> c.sent("a", SchedulerCommand.SQUEUE, -1, T0)).hasMessageContaining("negative");
    }
}
