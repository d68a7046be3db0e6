package dev.alphaex.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alphaex.campaign.LedgerState.Entry;
import dev.alphaex.campaign.LedgerState.Submission;
import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.Check;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.TaskState;
import org.slf4j.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The operator's side of the engine: cancel, retry and resume ({@link OperatorRequest}), each checked against the
 * ledger and recorded in it as a typed event; a cluster's answer to its cancel; a cluster's code sync and preflight
 * outcome; the note at start when the campaign stands cancelled. The campaign serialises access.
 */
final class Operations {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Ledger ledger;
    private final CampaignConfig config;
    private final Function<String, ClusterRuntime> clusters;
    private final Clock clock;
    private final Logger log;

    Operations(Ledger ledger, CampaignConfig config, Function<String, ClusterRuntime> clusters, Clock clock, Logger log) {
        this.ledger = ledger;
        this.config = config;
        this.clusters = clusters;
        this.clock = clock;
        this.log = log;
    }

    private String name() {
        return config.settings.name();
    }

    String request(String json) {
        OperatorRequest r;
        try {
            r = JSON.readValue(json, OperatorRequest.class);
        } catch (JsonProcessingException e) {
            return answer(OperatorAnswer.refused(null, "not a request: " + e.getOriginalMessage()));
        }
        OperatorAnswer a;
        try {
            a = switch (r.op() == null ? "" : r.op()) {
                case "cancel" -> cancel(r);
                case "resume" -> resume(r);
                case "retry" -> retry(r);
                default -> OperatorAnswer.refused(r.id(), "unknown request '" + r.op() + "'; use cancel, retry or resume");
            };
        } catch (IllegalArgumentException e) {
            a = OperatorAnswer.refused(r.id(), e.getMessage());
        }
        String line = "campaign " + name() + ": " + r.op() + (r.by() == null ? "" : " (" + r.by() + ")") + ": " + a.message();
        if (a.ok()) {
            log.info(line);
        } else {
            log.warn(line);
        }
        return answer(a);
    }

    private static String answer(OperatorAnswer a) {
        try {
            return JSON.writeValueAsString(a);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ cancel

    private OperatorAnswer cancel(OperatorRequest r) {
        LedgerState s = ledger.state();
        if (s.finished()) {
            return OperatorAnswer.refused(r.id(), "campaign " + name() + " has finished (" + s.count(Phase.COMPLETED) + " completed, "
                    + s.count(Phase.FAILED) + " failed): there is nothing to cancel");
        }
        boolean again = s.cancelled() != null;
        ledger.operate(new LedgerEvent.Cancel(clock.instant().toString(), r.by() == null ? "" : r.by()));
        long active = s.count(Phase.SUBMITTING) + s.count(Phase.QUEUED) + s.count(Phase.RUNNING);
        return new OperatorAnswer(r.id(), true, (again ? "cancelled again: " : "cancelled: ") + active + " task(s) queued or running are"
                + " being cancelled on every cluster (the jobs carrying tag " + s.tag() + "), and nothing more is submitted; "
                + s.count(Phase.PENDING) + " task(s) not run yet stay pending. To go on later: alphaex resume", "", active);
    }

    /** A cluster's answer to its cancel: recorded once it cancelled; else tried again at its next poll. */
    void cancelled(ClusterRuntime rt, Answer answer) {
        try {
            if (answer.failure() != null) {
                throw answer.failure();
            }
            rt.protocol.parseCancel(ledger.state().tag(), answer.result());
            ledger.operate(new LedgerEvent.Cancelled(rt.name()));
            rt.reconcile = true; // the next poll finds every job of the tag and records how its tasks ended
            log.info("cluster {}: every job of campaign {} (tag {}) cancelled", rt.name(), name(), ledger.state().tag());
        } catch (ClusterException e) {
            rt.failed(e, "cancel", clock.millis(), log);
        }
    }

    // ------------------------------------------------------------------ resume

    private OperatorAnswer resume(OperatorRequest r) {
        LedgerState s = ledger.state();
        if (s.cancelled() == null) {
            return OperatorAnswer.refused(r.id(), "campaign " + name() + " is not cancelled: there is nothing to resume"
                    + (s.count(Phase.FAILED) > 0 ? " (to run failed tasks again: alphaex retry)" : ""));
        }
        List<Long> back = new ArrayList<>();
        for (Entry en : s.entries()) {
            if (en.stoppedByCancel && en.phase == Phase.FAILED) {
                back.add(en.index);
            }
        }
        ledger.operate(new LedgerEvent.Resume(clock.instant().toString()));
        long[] sorted = back.stream().mapToLong(Long::longValue).sorted().toArray();
        return new OperatorAnswer(r.id(), true, "resumed: " + sorted.length + " task(s) the cancel stopped are pending again"
                + (sorted.length == 0 ? "" : " (" + abbreviate(ArrayRanges.compress(sorted)) + ")") + ", " + s.count(Phase.PENDING)
                + " pending in all", ArrayRanges.compress(sorted), sorted.length);
    }

    // ------------------------------------------------------------------ retry

    private OperatorAnswer retry(OperatorRequest r) {
        LedgerState s = ledger.state();
        if (s.cancelled() != null) {
            return OperatorAnswer.refused(r.id(), "campaign " + name() + " is cancelled: resume it first (alphaex resume), then retry");
        }
        Set<String> outcomes = outcomes(r.outcomes());
        List<Entry> chosen = new ArrayList<>();
        Map<Phase, List<Long>> other = new TreeMap<>();
        if (r.indices() != null) {
            long[] asked = Indices.parse(r.indices());
            List<Long> outside = new ArrayList<>();
            for (long i : asked) {
                Entry en = s.get(i);
                if (en == null) {
                    outside.add(i);
                } else if (en.phase == Phase.FAILED && (outcomes.isEmpty() || outcomes.contains(en.outcome))) {
                    chosen.add(en);
                } else {
                    other.computeIfAbsent(en.phase, p -> new ArrayList<>()).add(i);
                }
            }
            if (!outside.isEmpty()) {
                throw new IllegalArgumentException("indices " + abbreviate(ArrayRanges.compress(outside.stream().mapToLong(Long::longValue)
                        .toArray())) + " are not in campaign " + name() + " (" + s.size() + " indices, " + range(s) + ")");
            }
        } else {
            for (Entry en : s.entries()) {
                if (en.phase == Phase.FAILED && (outcomes.isEmpty() || outcomes.contains(en.outcome))) {
                    chosen.add(en);
                }
            }
        }
        String left = other.isEmpty() ? "" : "; left alone (not failed" + (outcomes.isEmpty() ? "" : " with " + String.join(", ", outcomes))
                + "): " + describe(other);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no failed task" + (outcomes.isEmpty() ? "" : " with outcome " + String.join(", ", outcomes))
                    + (r.indices() == null ? "" : " among indices " + r.indices()) + " in campaign " + name() + " ("
                    + s.count(Phase.FAILED) + " failed in all)" + left);
        }
        Map<Resources, List<Long>> groups = new LinkedHashMap<>();
        for (Entry en : chosen) {
            groups.computeIfAbsent(resources(en, r), k -> new ArrayList<>()).add(en.index);
        }
        String at = clock.instant().toString();
        List<String> changes = new ArrayList<>();
        for (Map.Entry<Resources, List<Long>> g : groups.entrySet()) {
            String ranges = ArrayRanges.compress(g.getValue().stream().mapToLong(Long::longValue).sorted().toArray());
            Resources with = g.getKey();
            boolean changed = r.mem() != null || r.time() != null;
            ledger.operate(new LedgerEvent.Retry(ranges, at, changed ? with : null));
            if (changed) {
                changes.add(abbreviate(ranges) + " with " + with);
            }
        }
        long[] all = chosen.stream().mapToLong(en -> en.index).sorted().toArray();
        return new OperatorAnswer(r.id(), true, all.length + " failed task(s) pending again with fresh attempts ("
                + abbreviate(ArrayRanges.compress(all)) + ")" + (changes.isEmpty() ? "" : ": " + String.join("; ", changes)) + left,
                ArrayRanges.compress(all), all.length);
    }

    /** The resources of an entry's next attempts after this retry: as they were, or with the asked mem and time. */
    private Resources resources(Entry en, OperatorRequest r) {
        Resources with = en.resources;
        if (r.mem() != null) {
            with = with.withMem(r.mem().equalsIgnoreCase("x2") ? doubled(en, "mem") : checked(r.mem(), "mem"));
        }
        if (r.time() != null) {
            with = with.withTime(r.time().equalsIgnoreCase("x2") ? doubled(en, "time") : checked(r.time(), "time"));
        }
        return with;
    }

    private static String checked(String value, String what) {
        if (what.equals("mem")) {
            ResourceRetry.megabytes(value);
        } else {
            ResourceRetry.seconds(value);
        }
        return value.trim();
    }

    /** Twice the mem or time the entry's last attempt ran with (its submission's, else its cluster's). */
    private String doubled(Entry en, String what) {
        Submission s = ledger.submissionOf(en);
        String was = s == null ? null : what.equals("mem") ? s.with.mem() : s.with.time();
        if (was == null && s != null) {
            ClusterRuntime rt = clusters.apply(s.cluster);
            was = rt == null ? null : rt.def.options().get(what);
        }
        if (was == null) {
            throw new IllegalArgumentException("index " + en.index + " ran " + (s == null ? "nowhere" : "on " + s.cluster)
                    + " without a " + what + " of its own (the cluster's default): give --" + what + " a value instead of x2");
        }
        return what.equals("mem") ? ResourceRetry.mem(2 * ResourceRetry.megabytes(was)) : ResourceRetry.time(2 * ResourceRetry.seconds(was));
    }

    private static Set<String> outcomes(List<String> asked) {
        Set<String> out = new HashSet<>();
        if (asked == null) {
            return out;
        }
        for (String o : asked) {
            String u = o.trim().toUpperCase(Locale.ROOT);
            if (!u.equals(RetryPolicy.VANISHED)) {
                try {
                    if (!TaskState.valueOf(u).isFinal() || u.equals("COMPLETED")) {
                        throw new IllegalArgumentException();
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown outcome '" + o + "'; use FAILED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL,"
                            + " PREEMPTED, BOOT_FAIL, CANCELLED, DEADLINE or VANISHED");
                }
            }
            out.add(u);
        }
        return out;
    }

    private static String describe(Map<Phase, List<Long>> byPhase) {
        List<String> parts = new ArrayList<>();
        byPhase.forEach((p, l) -> parts.add(l.size() + " " + p.name().toLowerCase(Locale.ROOT) + " ("
                + abbreviate(ArrayRanges.compress(l.stream().mapToLong(Long::longValue).sorted().toArray())) + ")"));
        return String.join(", ", parts);
    }

    private static String range(LedgerState s) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (Entry en : s.entries()) {
            lo = Math.min(lo, en.index);
            hi = Math.max(hi, en.index);
        }
        return s.size() == 0 ? "none" : "lowest " + lo + ", highest " + hi;
    }

    static String abbreviate(String ranges) {
        return ranges.length() > 200 ? ranges.substring(0, ranges.lastIndexOf(',', 200)) + ",..." : ranges;
    }

    // ------------------------------------------------------------------ readiness and start

    /** Records how a cluster's code sync and preflight went (ready, refused: no work until the next check, no answer). */
    void readied(ClusterRuntime rt, Readiness.Outcome o, long recheckAt) {
        if (o.note() != null) {
            log.warn("cluster {}: {}", rt.name(), o.note());
        }
        if (o.unanswered() != null) {
            rt.failed(o.unanswered(), "preflight", clock.millis(), log);
            return;
        }
        rt.preflight = o.preflight();
        if (o.preflight() != null) {
            for (Check c : o.preflight().checks()) {
                if (c.status() == Check.Status.WARN) {
                    log.warn("cluster {}: {}", rt.name(), c.line());
                }
            }
        }
        if (o.ready()) {
            rt.ready = true;
            rt.blocked = null;
            rt.code = o.code();
            if (rt.info == null && o.preflight().info() != null) {
                rt.info = o.preflight().info();
            }
            log.info("cluster {} is ready: its preflight passed ({} checks){}", rt.name(), o.preflight().checks().size(),
                    o.code() == null ? "" : "; code " + o.code());
            return;
        }
        boolean news = !o.refused().equals(rt.blocked);
        rt.blocked = o.refused();
        rt.recheckAt = recheckAt;
        if (news) {
            log.warn("cluster {} gets no work: {}; the other clusters go on; it is checked again in {} s (or at a restart or routes"
                    + " reload)", rt.name(), o.refused(), (recheckAt - clock.millis() + 999) / 1000);
        }
    }

    /** At start: a cancelled campaign says so, and how to go on. */
    void startNote() {
        LedgerState s = ledger.state();
        LedgerEvent.Cancel c = s.cancelled();
        if (c != null) {
            log.warn("campaign {} was cancelled at {}{}: nothing is submitted ({} task(s) not run, {} failed); its clusters' jobs are"
                    + " cancelled first if any is left. To go on: alphaex resume (java -jar target/alphaex.jar resume, with this"
                    + " campaign's configuration); to run failed tasks again after that: alphaex retry", name(), c.at(),
                    c.by().isEmpty() ? "" : " (" + c.by() + ")", s.count(Phase.PENDING), s.count(Phase.FAILED));
        }
    }
}
