package dev.alphaex.cluster;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What became of queued tasks of one array that the engine took back ({@link ClusterProtocol#takeBackCommand}), by
 * task id.
 *
 * @param takenBack cancelled before they started: they never ran there; run them elsewhere
 * @param started   had started (running or ended, with the state the cluster shows): they keep running there and
 *                  are followed as before, never run again
 * @param notTaken  still queued there (the cluster did not take the request): they stay there
 * @param notFound  the cluster has no trace of them any more: what became of them is left to the polls
 * @param notes     what the cluster said when a step did not go through, one line each
 */
public record TakeBackReport(String jobId, SortedSet<Long> takenBack, SortedMap<Long, TaskState> started, SortedSet<Long> notTaken,
                             SortedSet<Long> notFound, List<String> notes) {
    public TakeBackReport {
        takenBack = Collections.unmodifiableSortedSet(new TreeSet<>(takenBack));
        started = Collections.unmodifiableSortedMap(new TreeMap<>(started));
        notTaken = Collections.unmodifiableSortedSet(new TreeSet<>(notTaken));
        notFound = Collections.unmodifiableSortedSet(new TreeSet<>(notFound));
        notes = List.copyOf(notes);
    }
}
