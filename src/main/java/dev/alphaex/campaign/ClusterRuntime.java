package dev.alphaex.campaign;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.ClusterPaths;
import dev.alphaex.cluster.ClusterProtocol;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.Transport;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * One registered cluster as the engine runs it: its definition, what its kind and transport are, its facts once
 * read, its {@link ClusterState} and its back-off. Nothing here remembers a request: calls and answers travel in
 * the route's exchange ({@link ClusterCall}, {@link Answer}).
 */
final class ClusterRuntime {
    /** Back-off after failures: period * 2^n, at most this. */
    private static final long MAX_BACKOFF_MILLIS = 60_000;

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

    /** Tells each transport, once, the addresses of the clusters that use it ({@link Transport#prepare}). */
    static void prepareTransports(Collection<ClusterRuntime> clusters) {
        Map<Transport, List<String>> byTransport = new LinkedHashMap<>();
        for (ClusterRuntime rt : clusters) {
            if (!rt.detached()) {
                byTransport.computeIfAbsent(rt.line.transport(), t -> new ArrayList<>()).add(rt.line.address());
            }
        }
        byTransport.forEach(Transport::prepare);
    }

    String name() {
        return def.name();
    }

    boolean detached() {
        return state == ClusterState.DETACHED;
    }

    /** It answered: its state is known again (a refusal for good stays). */
    void answered(Logger log) {
        if (state != ClusterState.ANSWERED && state != ClusterState.REJECTED) {
            if (failures > 0) {
                log.info("cluster {} answers again after {} failed attempt(s)", name(), failures);
            }
            state = ClusterState.ANSWERED;
        }
        failures = 0;
        nextPollAt = 0;
        lastError = "";
    }

    /**
     * A command got no usable answer: the cluster's state is unknown (never "0 jobs"), it is asked again after a
     * back-off of period x 2^failures (at most a minute); a paused one at its period, logged once per pause.
     */
    void failed(ClusterException error, String what, long now, Logger log) {
        failures++;
        ClusterException.Kind kind = error.kind();
        ClusterState was = state;
        state = kind == ClusterException.Kind.PAUSED ? ClusterState.PAUSED : kind == ClusterException.Kind.BUSY ? ClusterState.BUSY
                : was == ClusterState.REJECTED ? ClusterState.REJECTED : ClusterState.UNREACHABLE;
        // a paused cluster is asked again at its period: its transport decides, without a login, whether it can go on
        long backoff = kind == ClusterException.Kind.PAUSED ? def.period() : Math.min(MAX_BACKOFF_MILLIS, def.period() << Math.min(failures, 10));
        nextPollAt = now + backoff;
        String message = error.getMessage() == null ? error.toString() : error.getMessage().trim();
        boolean news = kind == ClusterException.Kind.PAUSED ? was != ClusterState.PAUSED || !message.equals(lastError)
                : failures <= 3 || !message.equals(lastError) || failures % 10 == 0;
        if (news && kind == ClusterException.Kind.PAUSED) {
            log.warn("cluster {} is paused ({} not answered): {}; it gets nothing until a command works, the other clusters go on",
                    name(), what, message);
        } else if (news) {
            log.warn("cluster {}: {} failed ({}): {}; its state is unknown, next try in {} s (failure {} in a row)", name(), what,
                    kind.name().toLowerCase(Locale.ROOT), message, backoff / 1000, failures);
        }
        lastError = message;
    }

    /** Takes submissions: it answered, was not refused for good, and is not detached. */
    boolean accepting() {
        return state == ClusterState.ANSWERED;
    }
}
