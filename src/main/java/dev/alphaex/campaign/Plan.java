package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;

import java.util.List;

/**
 * What a cluster's tick led to, for the route's content-based router: how the cluster stands, and the calls planned
 * for it, in the order they go out: take-backs, throttle changes, array submissions (none when it is full, did not
 * answer, or nothing is left to do).
 */
public record Plan(String cluster, Outcome outcome, List<Action> actions) {
    /** How the tick went. */
    public enum Outcome {
        /**
         * The cluster's state is known (its poll of this tick, or its last one, answered): the planned calls go out, and
         * after a poll its logs are collected.
         */
        ANSWERED,
        /** No answer: its state is unknown (never "0 jobs"); nothing goes there, it is polled again with back-off. */
        UNREACHABLE,
        /** Its login waits for its user (a second factor): nothing goes there; the other clusters go on. */
        PAUSED,
        /** Nothing to ask or send: no poll is due and nothing is planned, or the cluster is backing off or detached. */
        NOTHING_TO_DO
    }

    public Plan {
        actions = List.copyOf(actions);
    }

    static Plan of(String cluster, Outcome outcome) {
        return new Plan(cluster, outcome, List.of());
    }

    /** One planned call for the cluster. */
    public sealed interface Action {
        String cluster();
    }

    /** One planned submission: indices reserved for a cluster, in array form, at most {@code throttle} running (0: none). */
    public record Reservation(String cluster, ArrayRanges.Chunk chunk, int throttle) implements Action {
        @Override
        public String toString() {
            return cluster + ": array " + chunk.array() + (throttle > 0 ? "%" + throttle : "") + (chunk.base() == 0 ? ""
                    : " + base " + chunk.base()) + " (" + chunk.indices().length + " tasks)";
        }
    }

    /** A change of a queued array's throttle (submission {@code seq}, job {@code jobId}). */
    public record Throttle(String cluster, int seq, String jobId, int from, int to) implements Action {
        @Override
        public String toString() {
            return cluster + ": job " + jobId + " throttle " + from + " -> " + to;
        }
    }

    /** Queued tasks of an array taken back ({@code resend}: written to the ledger before a restart). */
    public record TakeBack(String cluster, int seq, String jobId, long[] indices, boolean resend) implements Action {
        @Override
        public String toString() {
            return cluster + ": take back " + indices.length + " queued task(s) of job " + jobId + " (indices "
                    + ArrayRanges.compress(indices) + ")";
        }
    }
}
