package dev.alphaex.cluster;

/**
 * What a cluster says about one task of this campaign.
 *
 * @param jobId    the array job's id as the cluster names it (Slurm: %F / the part before "_")
 * @param taskId   the array task id (Slurm: SLURM_ARRAY_TASK_ID); the index is {@code base + taskId}
 * @param state    the state
 * @param exitCode the exit status for a final state when known, else null
 * @param reason   free text the cluster gives (Slurm's reason or "signal 9"), or "" when none
 */
public record TaskReport(String jobId, long taskId, TaskState state, Integer exitCode, String reason) {
    public TaskReport {
        if (jobId == null || jobId.isEmpty()) {
            throw new IllegalArgumentException("jobId is required");
        }
        if (state == null) {
            throw new IllegalArgumentException("state is required");
        }
        reason = reason == null ? "" : reason;
    }
}
