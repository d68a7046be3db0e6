package dev.alphaex.cluster;

import java.util.Locale;

/**
 * The state of one task (one index) as a cluster reports it. The names are Slurm's job states;
 * the local cluster reports the same ones.
 */
public enum TaskState {
    PENDING, RUNNING, COMPLETING, SUSPENDED, REQUEUED, RESIZING,
    COMPLETED, FAILED, TIMEOUT, CANCELLED, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE;

    /** True while the task occupies a place of the cluster's capacity (queued or running). */
    public boolean isActive() {
        switch (this) {
            case PENDING:
            case RUNNING:
            case COMPLETING:
            case SUSPENDED:
            case REQUEUED:
            case RESIZING:
                return true;
            default:
                return false;
        }
    }

    /** True once the task has left the cluster with an outcome. */
    public boolean isFinal() {
        return !isActive();
    }

    /**
     * Parses Slurm's long spelling ({@code COMPLETED}, {@code CANCELLED by 1001}, {@code CANCELLED+});
     * rarer states map to the nearest one. squeue's short codes ({@code %t}) are not accepted: use {@code %T}.
     *
     * @throws IllegalArgumentException for an unknown state
     */
    public static TaskState parse(String text) {
        String s = text.trim();
        int cut = s.indexOf(' ');
        if (cut > 0) {
            s = s.substring(0, cut);
        }
        while (s.endsWith("+")) {
            s = s.substring(0, s.length() - 1);
        }
        s = s.toUpperCase(Locale.ROOT);
        switch (s) {
            case "CONFIGURING":
            case "SIGNALING":
                return RUNNING;
            case "STAGE_OUT":
                return COMPLETING;
            case "STOPPED":
                return SUSPENDED;
            case "REQUEUE_HOLD":
            case "REQUEUE_FED":
                return REQUEUED;
            case "RESV_DEL_HOLD":
                return PENDING;
            case "SPECIAL_EXIT":
                return FAILED;
            default:
                return TaskState.valueOf(s);
        }
    }
}
