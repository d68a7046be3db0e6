package dev.alphaex.campaign;

import dev.alphaex.campaign.LedgerState.Entry;
import dev.alphaex.campaign.LedgerState.Submission;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's side of planning: what the pure {@link Planner} sees of a cluster (its arrays from the ledger, the
 * pending indices it may take, the free running slots of the other clusters) and what becomes of the decision (its
 * submissions reserved in the ledger, the calls in the order they go out). A cluster is planned after each answered
 * poll, and between polls whenever the ledger has changed (another cluster's poll ended or took back tasks) or a
 * second has passed (a queued task may have waited long enough to be taken back): what the ledger holds is an upper
 * bound of what the cluster holds (tasks only leave it between polls), so both limits hold without asking it.
 */
final class Planning {
    private final Ledger ledger;
    private final Collection<ClusterRuntime> clusters;
    private final Clock clock;
    private final long takeBackAfterMillis;

    /**
     * @param clusters            every registered cluster (a live view)
     * @param takeBackAfterMillis how long a task must have been queued before it may be taken back
     */
    Planning(Ledger ledger, Collection<ClusterRuntime> clusters, Clock clock, long takeBackAfterMillis) {
        this.ledger = ledger;
        this.clusters = clusters;
        this.clock = clock;
        this.takeBackAfterMillis = takeBackAfterMillis;
    }

    /** Between polls: whether anything may have changed since the cluster was last planned. */
    boolean worthPlanning(ClusterRuntime rt) {
        return ledger.state().events != rt.plannedEvents || clock.millis() - rt.plannedAt >= 1000;
    }

    /** Plans the cluster now: its submissions are reserved, and the calls come in the order they go out. */
    List<Plan.Action> plan(ClusterRuntime rt) {
        ledger.release(rt.name()); // reservations of an interrupted tick
        Planner.Decision d = Planner.plan(snapshot(rt));
        List<Plan.Action> actions = new ArrayList<>();
        for (Planner.TakeBackOrder o : d.takeBacks()) {
            actions.add(new Plan.TakeBack(rt.name(), o.seq(), o.jobId(), o.indices(), o.resend()));
        }
        for (boolean lowerings : new boolean[] {true, false}) {
            for (Planner.ThrottleChange c : d.throttles()) {
                if (c.lowering() == lowerings) {
                    actions.add(new Plan.Throttle(rt.name(), c.seq(), c.jobId(), c.from(), c.to()));
                }
            }
        }
        LedgerState state = ledger.state();
        for (Planner.Submission s : d.submissions()) {
            for (Planner.Submission part : JobRequest.byResources(s, state, rt.name(), rt.info.maxArrayIndex(), rt.def.maxTasks())) {
                ledger.reserve(rt.name(), part.chunk().indices());
                actions.add(new Plan.Reservation(rt.name(), part.chunk(), part.throttle()));
            }
        }
        rt.plannedEvents = ledger.state().events;
        rt.plannedAt = clock.millis();
        return actions;
    }

    /** What the planner sees of the cluster now. */
    Planner.Snapshot snapshot(ClusterRuntime rt) {
        LedgerState s = ledger.state();
        int capacity = rt.capacity();
        boolean otherTakesWork = false;
        int freeElsewhere = 0;
        for (ClusterRuntime other : clusters) {
            if (other != rt && !other.detached() && other.accepting() && other.info != null) {
                otherTakesWork = true;
                freeElsewhere += Planner.freeSlots(view(other, arrays(other, false), new long[0], false));
            }
        }
        // indices taken back from this cluster go elsewhere while another cluster takes work; none while cancelled
        long[] pending = s.cancelled() != null ? new long[0] : s.pendingHead(capacity, otherTakesWork ? rt.name() : null);
        boolean queueEmpty = s.count(Phase.PENDING) + s.count(Phase.RESERVED) == 0;
        Planner.Snapshot view = view(rt, arrays(rt, true), pending, queueEmpty);
        return new Planner.Snapshot(view.known(), view.accepting(), view.openIntents(), view.throttled(), view.capacity(),
                view.running(), view.arrays(), pending, queueEmpty, freeElsewhere, view.maxArrayIndex(), view.maxTasks());
    }

    private Planner.Snapshot view(ClusterRuntime rt, List<Planner.Array> arrays, long[] pending, boolean queueEmpty) {
        return new Planner.Snapshot(rt.known() && rt.info != null, rt.accepting() && rt.info != null,
                !ledger.openIntents(rt.name()).isEmpty(), rt.protocol.throttles(), rt.capacity(), rt.def.runningBudget(), arrays,
                pending, queueEmpty, 0, rt.info == null ? 0 : rt.info.maxArrayIndex(), rt.def.maxTasks());
    }

    /** The cluster's arrays with live tasks, from the ledger; with {@code takeBacks}, which tasks may be taken back. */
    private List<Planner.Array> arrays(ClusterRuntime rt, boolean takeBacks) {
        return arrays(ledger.state(), rt.name(), clock.millis(), takeBackAfterMillis, takeBacks);
    }

    /**
     * A cluster's arrays with live tasks in {@code s}; with {@code takeBacks}, which tasks may be taken back at
     * {@code now} (a task first seen now starts its queued time).
     */
    static List<Planner.Array> arrays(LedgerState s, String cluster, long now, long takeBackAfterMillis, boolean takeBacks) {
        Map<Integer, List<Entry>> bySeq = new TreeMap<>();
        for (long index : s.occupyingSet(cluster)) {
            Entry en = s.get(index);
            if (en.phase == Phase.SUBMITTING || en.phase == Phase.QUEUED || en.phase == Phase.RUNNING) {
                bySeq.computeIfAbsent(en.seq, k -> new ArrayList<>()).add(en);
            }
        }
        List<Planner.Array> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Entry>> e : bySeq.entrySet()) {
            Submission sub = s.submission(e.getKey());
            List<Entry> live = e.getValue();
            int running = 0;
            List<Long> eligible = new ArrayList<>();
            List<Long> resend = new ArrayList<>();
            for (Entry en : live) {
                running += en.phase == Phase.RUNNING ? 1 : 0;
                if (en.sinceMillis < 0) {
                    en.sinceMillis = now; // first seen by this controller
                }
                if (takeBacks && en.takeBackOpen && !en.takeBackAsked) {
                    resend.add(en.index);
                } else if (takeBacks && en.phase == Phase.QUEUED && !en.takeBackOpen && now - en.sinceMillis >= takeBackAfterMillis) {
                    eligible.add(en.index);
                }
            }
            out.add(new Planner.Array(sub.seq, sub.jobId, sub.throttle, sub.throttleSure || sub.throttle == 0, sorted(live),
                    running, sorted(eligible), sorted(resend)));
        }
        return out;
    }

    /** The cluster did not answer: its queued tasks may be taken back as soon as another cluster has room for them. */
    void unanswered(ClusterRuntime rt) {
        LedgerState s = ledger.state();
        for (long index : s.occupyingSet(rt.name())) {
            Entry en = s.get(index);
            if (en.phase == Phase.QUEUED) {
                en.sinceMillis = 0;
            }
        }
    }

    private static long[] sorted(List<?> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = values.get(i);
            out[i] = v instanceof Entry en ? en.index : (Long) v;
        }
        Arrays.sort(out);
        return out;
    }
}
