package dev.alphaex.slurm;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.ssh.Shell;
import java.util.regex.Pattern;

/**
 * Changes the throttle of an array already queued, in place: {@code scontrol update jobid=J arraytaskthrottle=N}.
 * Tasks already running go on when it is lowered (none is stopped; no new one starts until fewer than N
 * run); when it is raised, slurmctld starts more pending tasks at its next scheduling pass (about a second
 * on the lab). Pure: builds the command and reads its answer.
 *
 * <p>Answers measured on the lab's Slurm 22.05.8: exit 0 and no output when every task of the array is
 * queued or running; exit 1 with one line per range once some tasks have ended
 * ({@code 1702_0-9,13-19: No error} and {@code 1702_10-12: Job has already finished}): the live ones took
 * the new throttle; exit 1 {@code Job has already finished for job J} when the whole array ended; exit 1
 * {@code Invalid job id specified for job J} for an id slurmctld does not know (never, or purged MinJobAge
 * after it ended).
 */
public final class ThrottleUpdate {
    /** What became of the update. */
    public enum Outcome {
        /** The array's live tasks (queued or running) have the new throttle. */
        APPLIED,
        /** Every task of the array has ended: nothing to throttle. */
        ENDED,
        /** slurmctld does not know the job (a wrong id, or ended and purged): nothing to throttle. */
        UNKNOWN_JOB
    }

    private static final Pattern RANGE_LINE = Pattern.compile("[0-9]+_[0-9,\\-\\[\\]]+: .*");

    private ThrottleUpdate() {
    }

    /**
     * {@code scontrol update jobid='J' arraytaskthrottle='N'}.
     *
     * @param throttle 1 or more (0 would mean "no limit" to Slurm)
     */
    public static String command(String jobId, int throttle) {
        ControlErrors.checkJobId(jobId);
        if (throttle < 1) {
            throw new IllegalArgumentException("an array throttle must be 1 or more, got " + throttle
                + " (Slurm reads 0 as no limit at all)");
        }
        return "scontrol update jobid=" + Shell.quote(jobId) + " arraytaskthrottle=" + Shell.quote(Integer.toString(throttle));
    }

    /**
     * @throws ClusterException UNREACHABLE or BUSY when slurmctld did not answer (the throttle may be unchanged:
     *     send it again later); REJECTED for any other refusal (the message carries Slurm's text)
     */
    public static Outcome parse(String jobId, int throttle, CommandResult result) throws ClusterException {
        String text = ControlErrors.text(result);
        if (result.exitCode() == 0) {
            return Outcome.APPLIED;
        }
        String what = "throttle of job " + jobId + " to " + throttle;
        Kind trouble = ControlErrors.schedulerTrouble(text);
        if (trouble != null) {
            throw new ClusterException(trouble, what + ": slurmctld did not answer (exit " + result.exitCode() + "): "
                + SlurmProtocol.firstLines(text));
        }
        int live = 0;
        int ended = 0;
        int other = 0;
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (RANGE_LINE.matcher(l).matches() && l.endsWith(": No error")) {
                live++;
            } else if (l.contains("Job has already finished")) {
                ended++;
            } else {
                other++;
            }
        }
        if (other == 0 && live > 0) {
            return Outcome.APPLIED; // exit 1 only because some tasks have ended
        }
        if (other == 0 && ended > 0) {
            return Outcome.ENDED;
        }
        if (text.contains("Invalid job id specified")) {
            return Outcome.UNKNOWN_JOB;
        }
        throw new ClusterException(Kind.REJECTED, what + " refused (exit " + result.exitCode() + "): "
            + SlurmProtocol.firstLines(text));
    }
}
