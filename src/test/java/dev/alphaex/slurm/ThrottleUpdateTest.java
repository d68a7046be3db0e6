package dev.alphaex.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.slurm.ThrottleUpdate.Outcome;
import org.junit.jupiter.api.Test;

/** The answers are those of the lab's Slurm 22.05.8 (scontrol update jobid=J arraytaskthrottle=N). */
class ThrottleUpdateTest {
    @Test
    void commandQuotesEveryValue() {
        assertThat(ThrottleUpdate.command("1702", 6)).isEqualTo("scontrol update jobid='1702' arraytaskthrottle='6'");
    }

    @Test
    void commandRefusesWhatIsNotAJobIdOrAThrottle() {
        assertThatThrownBy(() -> ThrottleUpdate.command("1702; scancel -u me", 2)).hasMessageContaining("not a Slurm job id");
        assertThatThrownBy(() -> ThrottleUpdate.command("1702_3", 2)).hasMessageContaining("not a Slurm job id");
        assertThatThrownBy(() -> ThrottleUpdate.command("1702", 0)).hasMessageContaining("no limit");
    }

    @Test
    void silentSuccessIsApplied() throws ClusterException {
        assertThat(ThrottleUpdate.parse("1717", 2, new CommandResult(0, "", ""))).isEqualTo(Outcome.APPLIED);
    }

    /** Once some tasks ended, scontrol exits 1 with one line per range, though the live ones took the throttle. */
    @Test
    void exitOneWithSomeTasksEndedIsStillApplied() throws ClusterException {
        CommandResult r = new CommandResult(1, "", "1702_0-9,13-19: No error\n1702_10-12: Job has already finished\n");
        assertThat(ThrottleUpdate.parse("1702", 3, r)).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void wholeArrayEnded() throws ClusterException {
        assertThat(ThrottleUpdate.parse("1710", 2, new CommandResult(1, "", "Job has already finished for job 1710\n")))
            .isEqualTo(Outcome.ENDED);
        assertThat(ThrottleUpdate.parse("1702", 2, new CommandResult(1, "", "1702_0-19: Job has already finished\n")))
            .isEqualTo(Outcome.ENDED);
    }

    @Test
    void unknownJob() throws ClusterException {
        assertThat(ThrottleUpdate.parse("99999999", 2,
            new CommandResult(1, "", "Invalid job id specified for job 99999999\n"))).isEqualTo(Outcome.UNKNOWN_JOB);
    }

    /** slurmctld stopped: scontrol update says "Unexpected message received" (rc 1 after ~9 s), not "unable to contact". */
    @Test
    void slurmctldDownIsUnreachable() {
        assertThatThrownBy(() -> ThrottleUpdate.parse("1702", 2,
            new CommandResult(1, "", "Unexpected message received for job 1702\n")))
            .isInstanceOf(ClusterException.class).satisfies(e -> assertThat(((ClusterException) e).kind()).isEqualTo(Kind.UNREACHABLE))
            .hasMessageContaining("slurmctld did not answer").hasMessageContaining("Unexpected message received");
        assertThatThrownBy(() -> ThrottleUpdate.parse("1702", 2,
            new CommandResult(1, "", "slurm_update error: Socket timed out on send/recv operation\n")))
            .satisfies(e -> assertThat(((ClusterException) e).kind()).isEqualTo(Kind.BUSY));
    }

    @Test
    void anyOtherRefusalIsRejectedWithSlurmsText() {
        assertThatThrownBy(() -> ThrottleUpdate.parse("1702", 2,
            new CommandResult(1, "", "scontrol: error: Invalid ArrayTaskThrottle value\n")))
            .satisfies(e -> assertThat(((ClusterException) e).kind()).isEqualTo(Kind.REJECTED))
            .hasMessageContaining("Invalid ArrayTaskThrottle value");
        assertThatThrownBy(() -> ThrottleUpdate.parse("1702", 2,
            new CommandResult(1, "", "Access/permission denied for job 1702\n")))
            .satisfies(e -> assertThat(((ClusterException) e).kind()).isEqualTo(Kind.REJECTED));
        assertThatThrownBy(() -> ThrottleUpdate.parse("1702", 2,
            new CommandResult(1, "", "1702_0-9: Access/permission denied\n1702_10-12: Job has already finished\n")))
            .satisfies(e -> assertThat(((ClusterException) e).kind()).isEqualTo(Kind.REJECTED));
    }
}
