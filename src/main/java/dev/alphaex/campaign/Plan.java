package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;

import java.util.List;

/**
 * What a cluster's poll led to, for the route's content-based router: how the cluster answered, and the array
 * submissions planned for it (none when it is full, did not answer, or no index is left).
 */
public record Plan(String cluster, Outcome outcome, List<Reservation> submissions) {
    /** How the poll went. */
    public enum Outcome {
        /** The cluster answered: its state is known; submissions are planned and its logs are collected. */
        ANSWERED,
        /** No answer: its state is unknown (never "0 jobs"); nothing goes there, it is polled again with back-off. */
        UNREACHABLE,
        /** Its login waits for its user (a second factor): nothing goes there; the other clusters go on. */
        PAUSED,
        /** Nothing was asked: the cluster is backing off, detached, or has nothing left to do. */
        NOTHING_TO_DO
    }

    public Plan {
        submissions = List.copyOf(submissions);
    }

    static Plan of(String cluster, Outcome outcome) {
        return new Plan(cluster, outcome, List.of());
    }

    /** One planned submission: indices reserved for a cluster, in array form. */
    public record Reservation(String cluster, ArrayRanges.Chunk chunk) {
        @Override
        public String toString() {
            return cluster + ": array " + chunk.array() + (chunk.base() == 0 ? "" : " + base " + chunk.base())
                    + " (" + chunk.indices().length + " tasks)";
        }
    }
}
