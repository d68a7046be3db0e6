package dev.alphaex.cluster;

import java.util.List;

/**
 * The answer to one poll: every task of this campaign the cluster knows about, from its queue
 * (active tasks) and from its accounting (tasks of the asked jobs that have left the queue).
 * A task that appears in neither is not known to the cluster (yet, or any more).
 *
 * @param tasks one report per (jobId, taskId); when the queue and accounting both report a task, a
 *              final state wins over a running one, and the queue's pending (a task requeued under
 *              the same id) wins over accounting's end of the previous run
 * @param info  the cluster's facts when the poll asked for them ({@link PollRequest#facts()}), else null
 */
public record ClusterSnapshot(List<TaskReport> tasks, ClusterInfo info) {
    public ClusterSnapshot {
        tasks = List.copyOf(tasks);
    }

    /** An answer without the cluster's facts. */
    public ClusterSnapshot(List<TaskReport> tasks) {
        this(tasks, null);
    }
}
