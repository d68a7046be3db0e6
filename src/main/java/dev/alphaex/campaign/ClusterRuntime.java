package dev.alphaex.campaign;

import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.ClusterPaths;
import dev.alphaex.cluster.ClusterProtocol;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.Transport;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * One registered cluster as the engine runs it: its definition, what its kind and transport are, its facts once
 * read, its {@link ClusterState} and its back-off. Nothing here remembers a request: calls and answers travel in
 * the route's exchange ({@link ClusterCall}, {@link Answer}).
 */
final class ClusterRuntime {
    final ClusterSettings def;
    final ClusterKind kind;
    final ClusterProtocol protocol;
    final ClusterPaths paths;
    final ClusterCall.Line line;
    ClusterInfo info;
    ClusterState state = ClusterState.STARTING;
    String lastError = "";
    int failures;
    long nextPollAt;
    /** Look the campaign's jobs up by its tag at the next poll (after a restart or an uncertain submission). */
    boolean reconcile = true;
    /** Jobs carrying the campaign's tag that the ledger does not know, each reported once. */
    final Set<String> ignoredJobs = new HashSet<>();

    ClusterRuntime(ClusterSettings def, ClusterKind kind, Transport transport, ClusterPaths paths) {
        this.def = def;
        this.kind = kind;
        this.protocol = kind.protocol(def);
        this.paths = paths;
        this.line = new ClusterCall.Line(transport, kind.address(def), Duration.ofMillis(def.timeout()));
    }

    String name() {
        return def.name();
    }

    boolean detached() {
        return state == ClusterState.DETACHED;
    }

    /** Takes submissions: answered (or not refused for good) and not detached. */
    boolean accepting() {
        return state == ClusterState.ANSWERED;
    }
}
