package dev.alphaex.campaign;

import dev.alphaex.campaign.LedgerState.Entry;
import dev.alphaex.campaign.LedgerState.Submission;
import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.cluster.TakeBackReport;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import dev.alphaex.cluster.ThrottleOutcome;
import org.slf4j.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The planned calls of a cluster on their way out and back: {@link #announce} writes to the ledger what must be
 * there before a call goes out (a submission's intent, a take-back, a raised throttle) and gives the call;
 * {@link #record} writes its answer (the job id, the tasks taken back, a lowered throttle). Whatever the moment a
 * controller stops, the ledger never has fewer tasks on a cluster, or a lower throttle, than the cluster has.
 */
final class Dispatch {
    private final Ledger ledger;
    private final Function<String, ClusterRuntime> clusters;
    private final Observations observations;
    private final CampaignConfig config;
    private final Clock clock;
    private final Logger log;

    Dispatch(Ledger ledger, Function<String, ClusterRuntime> clusters, Observations observations, CampaignConfig config, Clock clock, Logger log) {
        this.ledger = ledger;
        this.clusters = clusters;
        this.observations = observations;
        this.config = config;
        this.clock = clock;
        this.log = log;
    }

    /** The call of a planned action, once what must precede it is in the ledger; Nothing when the cluster cannot take it now. */
    ClusterCall announce(Plan.Action action) {
        ClusterRuntime rt = clusters.apply(action.cluster());
        if (action instanceof Plan.Reservation r) {
            return submit(rt, r);
        }
        if (!rt.known()) {
            return new ClusterCall.Nothing(rt.name());
        }
        if (action instanceof Plan.Throttle t) {
            Submission s = ledger.state().submission(t.seq());
            if (t.to() != s.throttle && !new Planner.ThrottleChange(t.seq(), t.jobId(), t.from(), t.to()).lowering()) {
                ledger.throttle(s, t.to()); // a raise is written before it is sent
            }
            return new ClusterCall.Throttle(rt.name(), rt.line, t.seq(), t.jobId(), t.from(), t.to(),
                    rt.protocol.throttleCommand(t.jobId(), t.to()));
        }
        Plan.TakeBack tb = (Plan.TakeBack) action;
        Submission s = ledger.state().submission(tb.seq());
        if (!tb.resend()) {
            ledger.takeBack(s, tb.indices()); // synced before it goes out
        }
        List<Long> tasks = new ArrayList<>();
        for (long index : tb.indices()) {
            ledger.state().get(index).takeBackAsked = true;
            tasks.add(index - s.base);
        }
        return new ClusterCall.TakeBack(rt.name(), rt.line, tb.seq(), tb.jobId(), tasks, rt.protocol.takeBackCommand(tb.jobId(), tasks));
    }

    private ClusterCall submit(ClusterRuntime rt, Plan.Reservation r) {
        if (!rt.accepting() || ledger.state().cancelled() != null) {
            ledger.release(rt.name());
            return new ClusterCall.Nothing(rt.name());
        }
        ArrayRanges.Chunk chunk = r.chunk();
        Resources with = JobRequest.resources(ledger.state(), chunk, rt.name());
        Submission s = ledger.intent(rt.name(), chunk, r.throttle(), rt.code, with);
        SubmitRequest request = JobRequest.of(config, ledger.state().tag(), chunk, rt.paths, with.options(rt.name(), rt.def.options()),
                r.throttle());
        return new ClusterCall.Submit(rt.name(), rt.line, s.seq, request, rt.protocol.submitCommand(request));
    }

    /** Records a call's answer. */
    void record(Answer answer) {
        if (answer.call() instanceof ClusterCall.Submit call) {
            submitted(call, answer);
        } else if (answer.call() instanceof ClusterCall.Throttle call) {
            throttled(call, answer);
        } else if (answer.call() instanceof ClusterCall.TakeBack call) {
            takenBack(call, answer);
        }
    }

    /**
     * The job id the cluster gave a submission. A refusal for good (REJECTED) returns its indices to pending and stops
     * submissions to the cluster; any other failure leaves it uncertain (the cluster may have taken it): the next poll
     * reconciles by the campaign's tag before anything is submitted again.
     */
    private void submitted(ClusterCall.Submit call, Answer answer) {
        ClusterRuntime rt = clusters.apply(call.cluster());
        Submission s = ledger.state().submission(call.seq());
        try {
            if (answer.failure() != null) {
                throw answer.failure();
            }
            String jobId = rt.protocol.parseSubmit(call.request(), answer.result());
            ledger.confirm(s, jobId);
            s.throttleSure = true;
            long now = clock.millis();
            observations.seen(s, now);
            for (long i : s.indices) {
                ledger.state().get(i).sinceMillis = now;
            }
            log.info("cluster {}: submitted job {}: array {}{}{} ({} tasks){}", rt.name(), jobId, call.request().array(),
                    call.request().throttle() > 0 ? "%" + call.request().throttle() : "", s.base == 0 ? "" : " + base " + s.base,
                    s.indices.length, s.with.isNone() ? "" : " with " + s.with);
        } catch (ClusterException e) {
            if (e.kind() == ClusterException.Kind.REJECTED) {
                ledger.abandon(s, e.getMessage());
                rt.state = ClusterState.REJECTED;
                log.error("cluster {} refused a submission: {}; no more submissions go there (fix the definition; a routes reload"
                        + " or a restart tries again)", rt.name(), e.getMessage());
            } else {
                rt.reconcile = true;
                rt.failed(e, "submission", clock.millis(), log);
            }
            ledger.release(rt.name());
        }
    }

    private void throttled(ClusterCall.Throttle call, Answer answer) {
        ClusterRuntime rt = clusters.apply(call.cluster());
        Submission s = ledger.state().submission(call.seq());
        try {
            if (answer.failure() != null) {
                throw answer.failure();
            }
            ThrottleOutcome outcome = rt.protocol.parseThrottle(call.jobId(), call.throttle(), answer.result());
            if (outcome == ThrottleOutcome.APPLIED && call.throttle() != s.throttle) {
                ledger.throttle(s, call.throttle()); // a lowering, now applied
            }
            s.throttleSure = true;
            log.info("cluster {}: job {}: at most {} task(s) at once (was {}): {}", rt.name(), call.jobId(), call.throttle(), call.from(),
                    outcome.name().toLowerCase(java.util.Locale.ROOT));
        } catch (ClusterException e) {
            s.throttleSure = false; // sent again at the next plan (a raise is already in the ledger; a lowering is not)
            if (e.kind() == ClusterException.Kind.REJECTED) {
                s.throttleSure = true; // not sent again: the planner keeps counting the ledger's (higher) throttle
                log.warn("cluster {}: the throttle of job {} could not be changed to {}: {}", rt.name(), call.jobId(), call.throttle(),
                        e.getMessage());
            } else {
                rt.failed(e, "throttle change", clock.millis(), log);
            }
        }
    }

    /** Tasks taken back are pending again (for other clusters first); those that had started keep running there. */
    private void takenBack(ClusterCall.TakeBack call, Answer answer) {
        ClusterRuntime rt = clusters.apply(call.cluster());
        Submission s = ledger.state().submission(call.seq());
        TakeBackReport report;
        try {
            if (answer.failure() != null) {
                throw answer.failure();
            }
            report = rt.protocol.parseTakeBack(call.jobId(), call.taskIds(), answer.result());
        } catch (ClusterException e) {
            for (long task : call.taskIds()) {
                ledger.state().get(s.base + task).takeBackAsked = false; // sent again once the cluster answers
            }
            rt.failed(e, "take-back", clock.millis(), log);
            return;
        }
        List<Long> taken = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        List<TaskReport> started = new ArrayList<>();
        for (long task : call.taskIds()) {
            Entry en = ledger.state().get(s.base + task);
            if (en.seq != s.seq || !en.takeBackOpen) {
                continue; // ended or taken back meanwhile (a poll saw it)
            }
            if (report.takenBack().contains(task)) {
                taken.add(en.index);
            } else if (report.started().containsKey(task) || report.notTaken().contains(task)) {
                kept.add(en.index);
                TaskState state = report.started().get(task);
                if (state != null && state.isActive()) {
                    started.add(new TaskReport(call.jobId(), task, state, null, ""));
                }
            }
        }
        ledger.takenBack(s, taken.stream().mapToLong(Long::longValue).toArray(), kept.stream().mapToLong(Long::longValue).toArray());
        observations.reported(s, started);
        log.info("cluster {}: took back {} queued task(s) of job {}{}{}{}", rt.name(), taken.size(), call.jobId(),
                taken.isEmpty() ? "" : " (indices " + ArrayRanges.compress(taken.stream().mapToLong(Long::longValue).toArray())
                        + "; they run elsewhere)",
                kept.isEmpty() ? "" : "; " + kept.size() + " had started or stayed queued and go on there",
                report.notes().isEmpty() ? "" : "; " + String.join("; ", report.notes()));
    }
}
