package dev.alphaex.campaign;

import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.cluster.Transport;

import java.time.Duration;

/**
 * One command for one cluster: the typed request the route carries out over the cluster's transport
 * ({@link Transmit#send}); its {@link Answer} comes back paired with it, so no bean has to remember what the route
 * asked last. A tick with nothing to ask carries {@link Nothing}.
 */
public sealed interface ClusterCall {
    /** The cluster's name. */
    String cluster();

    /** Where the command goes: the cluster's transport, its address there, and the command's time limit. */
    record Line(Transport transport, String address, Duration timeout) {
    }

    /** The poll: this campaign's tasks on the cluster (and with {@code request.facts()} its facts first). */
    record Poll(String cluster, Line line, PollRequest request, String command) implements ClusterCall {
    }

    /** One array submission, announced in the ledger as submission {@code seq} before it goes out. */
    record Submit(String cluster, Line line, int seq, SubmitRequest request, String command) implements ClusterCall {
    }

    /** Nothing to ask this tick: the cluster is backing off, detached, or has nothing left to do. */
    record Nothing(String cluster) implements ClusterCall {
    }
}
