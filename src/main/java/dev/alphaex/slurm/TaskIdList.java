package dev.alphaex.slurm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Task ids of one array as Slurm's job id expressions: {@code 1702_[9-11,15]}, in chunks of a bounded size. */
final class TaskIdList {
    private TaskIdList() {
    }

    static SortedSet<Long> sorted(Collection<Long> taskIds) {
        if (taskIds == null || taskIds.isEmpty()) {
            throw new IllegalArgumentException("no task ids");
        }
        SortedSet<Long> ids = new TreeSet<>();
        for (Long id : taskIds) {
            if (id == null || id < 0) {
                throw new IllegalArgumentException("not a task id: " + id);
            }
            ids.add(id);
        }
        return ids;
    }

    /** {@code J_[a-b,c]} for each run of at most {@code perChunk} ids, in ascending order. */
    static List<String> specs(String jobId, Collection<Long> taskIds, int perChunk) {
        List<String> specs = new ArrayList<>();
        List<Long> chunk = new ArrayList<>();
        for (long id : sorted(taskIds)) {
            chunk.add(id);
            if (chunk.size() == perChunk) {
                specs.add(jobId + "_[" + ranges(chunk) + "]");
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            specs.add(jobId + "_[" + ranges(chunk) + "]");
        }
        return specs;
    }

    /** Ascending ids as {@code 9-11,15}. */
    static String ranges(Collection<Long> ascending) {
        StringBuilder sb = new StringBuilder();
        long from = -1;
        long to = -1;
        for (long id : ascending) {
            if (from >= 0 && id == to + 1) {
                to = id;
                continue;
            }
            if (from >= 0) {
                append(sb, from, to);
            }
            from = id;
            to = id;
        }
        if (from >= 0) {
            append(sb, from, to);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, long from, long to) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(from);
        if (to > from) {
            sb.append('-').append(to);
        }
    }
}
