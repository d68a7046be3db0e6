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
 * read, its {@link ClusterState}, its back-off, when its next poll is due ({@link PollPacer}) and the books of the
 * commands it was sent. Nothing here remembers a request: calls and answers travel in the route's exchange
 * ({@link ClusterCall}, {@link Answer}).
 */
final class ClusterRuntime {
    /** Back-off after failures: period * 2^n, at most this. */
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    final ClusterSettings def;
    final ClusterKind kind;
    final ClusterProtocol protocol;
    final ClusterPaths paths;
    final ClusterCall.Line line;
    /** When polls are due: the period, or longer after a slow poll. Kept across a reload of the definition. */
    final PollPacer pacer;
    ClusterInfo info;
    ClusterState state = ClusterState.STARTING;
    String lastError = "";
    /** While PAUSED: the command that brings it back (status.json), else empty. */
    String remedy = "";
    int failures;
    long nextPollAt;
    /** Look the campaign's jobs up by its tag at the next poll (after a restart or an uncertain submission). */
    boolean reconcile = true;
    /** Jobs carrying the campaign's tag that the ledger does not know, each reported once. */
    final Set<String> ignoredJobs = new HashSet<>();
    /** Its code sync and preflight passed: it may get work ({@link Readiness}). */
    boolean ready;
    /** The last preflight (null before the first), when the next is due after a failure, the code version it runs. */
    dev.alphaex.cluster.Preflight preflight;
    long recheckAt;
    String code;
    /** Why its code sync or preflight failed, or null. */
    String blocked;
    /** When the poll in flight began. */
    java.time.Instant pollStartedAt;
    /** A poll answered since the last log fetch: the logs of completed tasks are fetched once per poll. */
    boolean fetchDue;
    /** The ledger's event count and the time when the cluster was last planned between polls. */
    long plannedEvents = -1;
    long plannedAt;

    /**
     * @param before the runtime of the same cluster before its definition was reloaded (its facts, poll pacing and
     *               command books go on), or null
     */
    ClusterRuntime(ClusterSettings def, ClusterKind kind, Transport transport, ClusterPaths paths, ClusterRuntime before) {
        this.def = def;
        this.kind = kind;
        this.protocol = kind.protocol(def);
        this.paths = paths;
        this.line = new ClusterCall.Line(transport, kind.address(def), Duration.ofMillis(def.timeout()),
                before != null ? before.line.meter() : kind.meter(def));
        this.pacer = before != null ? before.pacer : new PollPacer(Duration.ofMillis(period(def, kind)));
        pacer.period(Duration.ofMillis(period(def, kind)));
        if (before != null) {
            info = before.info;
        }
    }

    private static long period(ClusterSettings def, ClusterKind kind) {
        return def.periodOr(kind.defaultPeriodMillis());
    }

    /** The ms between polls: the cluster's period, else its kind's default. */
    long period() {
        return period(def, kind);
    }

    /** The most of the campaign's tasks queued or running there: its capacity, within the account's submit limit. */
    int capacity() {
        Integer room = info == null ? null : info.submitRoom();
        return room == null ? def.capacity() : Math.min(def.capacity(), room);
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
            if (state == ClusterState.PAUSED) {
                log.info("cluster {} is no longer paused, it answers again (after {} paused poll(s)); it gets work again", name(),
                        failures);
            } else if (failures > 0) {
                log.info("cluster {} answers again after {} failed attempt(s)", name(), failures);
            }
            state = ClusterState.ANSWERED;
        }
        failures = 0;
        nextPollAt = 0;
        lastError = "";
        remedy = "";
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
        long backoff = kind == ClusterException.Kind.PAUSED ? period() : Math.min(Math.max(MAX_BACKOFF_MILLIS, period()),
                period() << Math.min(failures, 10));
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
        remedy = state == ClusterState.PAUSED ? error.remedy() : "";
    }

    /** Takes submissions: it answered, was not refused for good, is not detached, and passed its preflight. */
    boolean accepting() {
        return state == ClusterState.ANSWERED && ready;
    }

    /** Its state as status.json and alphaex status show it: CHECK_FAILED while it answers but failed its preflight. */
    ClusterState shown() {
        return state == ClusterState.ANSWERED && blocked != null ? ClusterState.CHECK_FAILED : state;
    }

    /** Its state is known (its last poll answered): take-backs and throttle changes may go there. */
    boolean known() {
        return state == ClusterState.ANSWERED || state == ClusterState.REJECTED && failures == 0;
    }
}
