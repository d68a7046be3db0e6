package dev.alphaex.slurm;

import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tasks a poll saw, one per (job, task), with the rule for a task seen twice. */
final class TaskTable {
    private record Key(String jobId, long taskId) {
    }

    private record Entry(TaskReport report, boolean fromQueue) {
    }

    private final Map<Key, Entry> tasks = new LinkedHashMap<>();

    /**
     * Adds one report. A task already known: a final state replaces an active one, except that
     * squeue's PENDING/REQUEUED is never replaced by accounting (requeued under the same id, sacct
     * still shows the previous run's end for a few seconds); accounting's final state replaces a final
     * state of the queue that has no exit status.
     */
    void add(TaskReport report, boolean fromQueue) {
        Key key = new Key(report.jobId(), report.taskId());
        Entry old = tasks.get(key);
        if (old == null) {
            tasks.put(key, new Entry(report, fromQueue));
            return;
        }
        TaskState was = old.report().state();
        boolean requeued = old.fromQueue() && (was == TaskState.PENDING || was == TaskState.REQUEUED);
        // accounting's end adds the exit status when the queue's line had none (an answer in the 5-field format,
        // or a task killed by a signal, where sacct may say by whom)
        boolean details = old.fromQueue() && was.isFinal() && old.report().exitCode() == null && !fromQueue
            && report.state().isFinal();
        if ((!requeued && was.isActive() && report.state().isFinal()) || details) {
            tasks.put(key, new Entry(report, fromQueue));
        }
    }

    List<TaskReport> reports() {
        List<TaskReport> out = new ArrayList<>();
        for (Entry e : tasks.values()) {
            out.add(e.report());
        }
        out.sort(Comparator.comparing((TaskReport r) -> r.jobId().length()).thenComparing(TaskReport::jobId)
            .thenComparingLong(TaskReport::taskId));
        return out;
    }
}
