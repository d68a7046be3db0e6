package dev.alphaex.campaign;

import dev.alphaex.cluster.ClusterException;

import java.time.Instant;

/**
 * The cluster route's transport step (the {@code alphaex-cluster} endpoint): sends a {@link ClusterCall}'s command
 * over the cluster's transport, counts it in the cluster's books, and pairs the answer with the call. A failure is
 * the exchange's exception, handled once by the route configuration, which turns it into the answer
 * ({@link #unanswered}, bean {@code transport}).
 */
public final class Transmit {
    /** The answer to {@code call}. */
    public Answer send(ClusterCall call) throws ClusterException {
        if (call instanceof ClusterCall.Command c) {
            c.line().meter().sent(c.command(), Instant.now());
            return new Answer(call, c.line().transport().exec(c.line().address(), c.command(), c.line().timeout()), null);
        }
        return new Answer(call, null, null);
    }

    /**
     * The answer of a call that failed: the failure stands for the answer (a failure other than a
     * {@link ClusterException}, e.g. a transport's own bug, counts as no answer).
     */
    public Answer unanswered(ClusterCall call, Throwable failure) {
        ClusterException e = failure instanceof ClusterException c ? c
                : new ClusterException(ClusterException.Kind.UNREACHABLE, String.valueOf(failure), failure);
        return new Answer(call, null, e);
    }
}
