package dev.alphaex.slurm;

import dev.alphaex.cluster.ClusterException.Kind;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the error text of a Slurm client command ({@code scontrol}, {@code scancel}, {@code sacctmgr}) says
 * about the scheduler itself, measured on the lab's Slurm 22.05.8 with slurmctld stopped:
 * {@code scontrol update/hold/release} print "Unexpected message received for job J" (rc 1, after ~9 s),
 * {@code scancel} "Kill job error on job id J: Unable to contact slurm controller (connect failure)" (rc 8),
 * {@code squeue}/{@code scancel --state} "slurm_load_jobs error: Unable to contact slurm controller" (rc 1);
 * a slurmctld busy with a long RPC answers others "Socket timed out on send/recv operation".
 */
final class ControlErrors {
    private static final Pattern JOB_ID = Pattern.compile("[0-9]+");

    private ControlErrors() {
    }

    /** UNREACHABLE or BUSY when the text says the scheduler did not answer; null when it answered. */
    static Kind schedulerTrouble(String text) {
        String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if (t.contains("unable to contact slurm controller") || t.contains("unexpected message received")
            || t.contains("connection refused") || t.contains("connect failure") || t.contains("zero bytes were transmitted")
            || t.contains("slurm_persist_conn_open") || t.contains("problem talking to the database")) {
            return Kind.UNREACHABLE;
        }
        if (t.contains("socket timed out") || t.contains("resource temporarily unavailable")
            || t.contains("temporarily unable")) {
            return Kind.BUSY;
        }
        return null;
    }

    /** An array job id as the scheduler prints it (digits only). */
    static String checkJobId(String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("not a Slurm job id: '" + jobId + "'");
        }
        return jobId;
    }

    static String text(dev.alphaex.cluster.CommandResult result) {
        String out = result.stdout().strip();
        String err = result.stderr().strip();
        return out.isEmpty() ? err : err.isEmpty() ? out : err + "\n" + out;
    }
}
