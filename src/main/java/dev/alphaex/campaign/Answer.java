package dev.alphaex.campaign;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.CommandResult;

/**
 * A cluster's answer paired with the call it answers: its result, or the failure that took its place (no answer:
 * unreachable, paused), or neither for {@link ClusterCall.Nothing}.
 */
public record Answer(ClusterCall call, CommandResult result, ClusterException failure) {
    /** The cluster's name. */
    public String cluster() {
        return call.cluster();
    }
}
