package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;

import java.util.List;

/**
 * Decides what a cluster gets, from a snapshot of the ledger and the cluster's answer: free slots = capacity minus
 * the campaign's tasks occupying the cluster, filled from the lowest pending indices (one shared queue: a faster
 * cluster takes more work) and split into array submissions the cluster accepts. Pure: no ledger, no clock, no
 * I/O; the engine reserves what it returns.
 */
final class Planner {
    private Planner() {
    }

    /**
     * What the planner sees of one cluster.
     *
     * @param accepting     the cluster answered and takes submissions (not refused for good, not detached)
     * @param openIntents   submissions of it whose fate is unknown (reconciled by tag before anything more goes there)
     * @param capacity      the most of the campaign's tasks queued or running there
     * @param occupying     the campaign's tasks there now (submitting, queued, running)
     * @param pending       the lowest pending indices, ascending (at least as many as the free slots, when there are)
     * @param maxArrayIndex the largest array task id it accepts
     * @param maxTasks      the most tasks per array submission
     */
    record Snapshot(boolean accepting, boolean openIntents, int capacity, int occupying, long[] pending, long maxArrayIndex,
                    int maxTasks) {
    }

    /** How many indices the cluster can take now. */
    static int freeSlots(Snapshot s) {
        return s.accepting() && !s.openIntents() ? Math.max(0, s.capacity() - s.occupying()) : 0;
    }

    /** The array submissions for the cluster now: at most {@link #freeSlots} indices, lowest first. */
    static List<ArrayRanges.Chunk> plan(Snapshot s) {
        int free = Math.min(freeSlots(s), s.pending().length);
        if (free == 0) {
            return List.of();
        }
        long[] take = java.util.Arrays.copyOf(s.pending(), free);
        return ArrayRanges.chunk(take, s.maxArrayIndex(), s.maxTasks());
    }
}
