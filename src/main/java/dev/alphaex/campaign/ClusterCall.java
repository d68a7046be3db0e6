package dev.alphaex.campaign;

import dev.alphaex.cluster.CommandMeter;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.cluster.Transport;

import java.time.Duration;
import java.util.List;

/**
 * One command for one cluster: the typed request the route carries out over the cluster's transport
 * ({@link Transmit#send}); its {@link Answer} comes back paired with it, so no bean has to remember what the route
 * asked last. A tick with nothing to ask carries {@link Nothing}.
 */
public sealed interface ClusterCall {
    /** The cluster's name. */
    String cluster();

    /** Where the command goes: the cluster's transport, its address there, the command's time limit, its books. */
    record Line(Transport transport, String address, Duration timeout, CommandMeter meter) {
    }

    /** A call that sends a command. */
    sealed interface Command extends ClusterCall {
        Line line();

        /** The command's text, as the cluster's shell runs it. */
        String command();
    }

    /** The poll: this campaign's tasks on the cluster (and with {@code request.facts()} its facts first). */
    record Poll(String cluster, Line line, PollRequest request, String command) implements Command {
    }

    /** One array submission, announced in the ledger as submission {@code seq} before it goes out. */
    record Submit(String cluster, Line line, int seq, SubmitRequest request, String command) implements Command {
    }

    /** The campaign was cancelled: cancel every job carrying its tag there (Slurm: scancel --name), before anything else. */
    record Cancel(String cluster, Line line, String tag, String command) implements Command {
    }

    /** The change of the throttle of submission {@code seq}'s array (job {@code jobId}) to {@code throttle}. */
    record Throttle(String cluster, Line line, int seq, String jobId, int from, int throttle, String command) implements Command {
    }

    /** The take-back of queued tasks ({@code taskIds}) of submission {@code seq}'s array, written to the ledger first. */
    record TakeBack(String cluster, Line line, int seq, String jobId, List<Long> taskIds, String command) implements Command {
        public TakeBack {
            taskIds = List.copyOf(taskIds);
        }
    }

    /** Nothing to ask this tick: no poll is due, the cluster is backing off, detached, or has nothing left to do. */
    record Nothing(String cluster) implements ClusterCall {
    }
}
