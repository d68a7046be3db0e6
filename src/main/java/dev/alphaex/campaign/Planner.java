package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Decides what one cluster gets, from a snapshot of the ledger and of what the clusters answered: which queued
 * tasks are taken back, which array throttles change, and which array submissions go out. Pure: no ledger, no clock,
 * no I/O; the engine reserves and announces what it returns.
 *
 * <p>The two limits of a cluster: at most {@code capacity} of the campaign's tasks queued or running there (the
 * submit budget, within the account's submit limit), and at most {@code running} of them running. Where arrays carry
 * throttles (Slurm's {@code %N}), the running limit is kept by the throttles: an array's <em>share</em> is the most of
 * its tasks that can run from now on, {@code min(live, max(throttle, running))} (a throttle lowered below the number
 * running stops none of them; an array in its tail needs no more than its live tasks), and the shares of a cluster's
 * arrays never add up to more than {@code running}. Slots freed as tasks end are refilled by the scheduler itself from
 * the queued tasks of the same array; a share that an array's tail no longer uses goes to a new array or to the throttle
 * of a queued one. Without throttles (the local runner), the cluster keeps its running limit itself.
 *
 * <p>Take-backs at the tail: when no index is left in the shared queue and other clusters have free running slots, the
 * tasks this cluster has had queued longer than the threshold (or since it did not answer) are taken back, the ones it
 * would start last first, at most as many as those free slots; a take-back written before a restart and not answered
 * is sent again first.
 */
final class Planner {
    private Planner() {
    }

    /**
     * One array of the campaign's on the cluster, as the ledger has it.
     *
     * @param seq      its submission's number
     * @param jobId    the cluster's job id, or null while the submission is not confirmed
     * @param throttle its throttle; 0: none of its own (every live task may run)
     * @param sure     the cluster is known to have that throttle (else it is sent again while tasks are queued)
     * @param live     its indices queued or running there, ascending
     * @param running  how many of them run
     * @param eligible queued indices that may be taken back (queued longer than the threshold), ascending
     * @param resend   indices whose take-back was written but not sent by this controller, ascending
     */
    record Array(int seq, String jobId, int throttle, boolean sure, long[] live, int running, long[] eligible, long[] resend) {
        int share() {
            return throttle == 0 ? live.length : Math.min(live.length, Math.max(throttle, running));
        }

        int shareWith(int newThrottle) {
            return Math.min(live.length, Math.max(newThrottle, running));
        }
    }

    /**
     * What the planner sees of one cluster.
     *
     * @param known         its state is known (it answered its last poll): take-backs and throttle changes may go there
     * @param accepting     it takes submissions (answered, not refused for good, facts known)
     * @param openIntents   submissions of it whose fate is unknown (reconciled by tag before anything more goes there)
     * @param throttled     its arrays carry throttles
     * @param capacity      the most of the campaign's tasks queued or running there (within the submit limit)
     * @param running       the most of them running at once
     * @param arrays        its arrays with live tasks (their indices are not pending)
     * @param pending       the lowest pending indices it may take, ascending (at least as many as it has room for)
     * @param queueEmpty    no index at all is pending (the shared queue is empty)
     * @param freeElsewhere running slots free on the other clusters that take work now
     * @param maxArrayIndex the largest array task id it accepts
     * @param maxTasks      the most tasks per array submission
     */
    record Snapshot(boolean known, boolean accepting, boolean openIntents, boolean throttled, int capacity, int running,
                    List<Array> arrays, long[] pending, boolean queueEmpty, int freeElsewhere, long maxArrayIndex, int maxTasks) {
        Snapshot {
            arrays = List.copyOf(arrays);
        }

        int occupying() {
            return arrays.stream().mapToInt(a -> a.live().length).sum();
        }

        /** The arrays' shares added up (throttled clusters). */
        int shares() {
            return arrays.stream().mapToInt(Array::share).sum();
        }
    }

    /** Take back these queued indices of the array (its submission {@code seq}); {@code resend}: written before, send again. */
    record TakeBackOrder(int seq, String jobId, long[] indices, boolean resend) {
    }

    /** Change the array's throttle from {@code from} to {@code to} (equal: send it again, the cluster may not have it). */
    record ThrottleChange(int seq, String jobId, int from, int to) {
        /** Fewer may run afterwards (from 0, no throttle, to any is one): written to the ledger once applied. */
        boolean lowering() {
            return from == 0 || to < from;
        }
    }

    /** A new array: these indices, at most {@code throttle} running at once (0: no throttle of its own). */
    record Submission(ArrayRanges.Chunk chunk, int throttle) {
    }

    /** What the cluster gets now, in the order it goes out: take-backs, throttle changes (lowerings first), submissions. */
    record Decision(List<TakeBackOrder> takeBacks, List<ThrottleChange> throttles, List<Submission> submissions) {
        Decision {
            takeBacks = List.copyOf(takeBacks);
            throttles = List.copyOf(throttles);
            submissions = List.copyOf(submissions);
        }

        boolean isEmpty() {
            return takeBacks.isEmpty() && throttles.isEmpty() && submissions.isEmpty();
        }
    }

    /** How many running slots of the cluster new work would get now (0 when it takes none). */
    static int freeSlots(Snapshot s) {
        if (!s.accepting() || s.openIntents()) {
            return 0;
        }
        int room = s.capacity() - s.occupying();
        int slots = s.running() - (s.throttled() ? s.shares() : s.occupying());
        return Math.max(0, Math.min(room, slots));
    }

    static Decision plan(Snapshot s) {
        List<TakeBackOrder> takeBacks = s.known() ? takeBacks(s) : List.of();
        List<ThrottleChange> throttles = new ArrayList<>();
        List<Submission> submissions = new ArrayList<>();
        int room = s.capacity() - s.occupying();
        boolean submit = s.accepting() && !s.openIntents() && room > 0 && s.pending().length > 0;
        long[] take = submit ? Arrays.copyOf(s.pending(), Math.min(room, s.pending().length)) : new long[0];
        if (!s.throttled()) {
            for (ArrayRanges.Chunk c : ArrayRanges.chunk(take, s.maxArrayIndex(), s.maxTasks())) {
                submissions.add(new Submission(c, 0));
            }
            return new Decision(takeBacks, throttles, submissions);
        }
        int free = s.running() - s.shares();
        if (s.known()) {
            if (free < 0) {
                lower(s, -free, throttles);
            } else {
                for (Array a : s.arrays()) {
                    if (!a.sure() && a.jobId() != null && a.throttle() > 0 && a.live().length > a.running()) {
                        throttles.add(new ThrottleChange(a.seq(), a.jobId(), a.throttle(), a.throttle())); // the cluster may not have it
                    }
                }
            }
        }
        for (ArrayRanges.Chunk c : ArrayRanges.chunk(take, s.maxArrayIndex(), s.maxTasks())) {
            if (free <= 0) {
                break;
            }
            int t = Math.min(free, c.indices().length);
            submissions.add(new Submission(c, t));
            free -= t;
        }
        if (free > 0 && s.known()) {
            raise(s, free, throttles);
        }
        return new Decision(takeBacks, throttles, submissions);
    }

    /** The shares add up to {@code excess} more than the running limit (it was lowered): lower the newest arrays first. */
    private static void lower(Snapshot s, int excess, List<ThrottleChange> out) {
        List<Array> newestFirst = new ArrayList<>(s.arrays());
        newestFirst.sort(Comparator.comparingInt(Array::seq).reversed());
        for (Array a : newestFirst) {
            if (excess <= 0) {
                return;
            }
            int current = a.throttle() == 0 ? a.live().length : a.throttle();
            if (a.jobId() == null || current <= 1) {
                continue;
            }
            int to = Math.max(1, current - excess);
            int gained = a.share() - a.shareWith(to);
            if (gained > 0) {
                out.add(new ThrottleChange(a.seq(), a.jobId(), a.throttle(), to));
                excess -= gained;
            }
        }
    }

    /** Raises the throttles of arrays with tasks queued beyond them, oldest first (their indices are the lowest). */
    private static void raise(Snapshot s, int free, List<ThrottleChange> out) {
        List<Array> oldestFirst = new ArrayList<>(s.arrays());
        oldestFirst.sort(Comparator.comparingInt(Array::seq));
        for (Array a : oldestFirst) {
            if (free <= 0) {
                return;
            }
            if (a.jobId() == null || a.throttle() == 0 || a.live().length <= a.share()) {
                continue;
            }
            int add = Math.min(free, a.live().length - a.share());
            int to = a.share() + add; // above the number running, or it would not let one more start
            out.removeIf(c -> c.seq() == a.seq()); // a re-send of the old throttle is replaced
            out.add(new ThrottleChange(a.seq(), a.jobId(), a.throttle(), to));
            free -= add;
        }
    }

    /**
     * Take-backs written before and not sent are sent again; else, with the shared queue empty and free slots
     * elsewhere, the eligible queued tasks this cluster would start last (the newest arrays' highest indices).
     */
    private static List<TakeBackOrder> takeBacks(Snapshot s) {
        List<TakeBackOrder> out = new ArrayList<>();
        for (Array a : s.arrays()) {
            if (a.jobId() != null && a.resend().length > 0) {
                out.add(new TakeBackOrder(a.seq(), a.jobId(), a.resend(), true));
            }
        }
        if (!out.isEmpty() || !s.queueEmpty() || s.freeElsewhere() <= 0) {
            return out;
        }
        List<Array> newestFirst = new ArrayList<>(s.arrays());
        newestFirst.sort(Comparator.comparingInt(Array::seq).reversed());
        int left = s.freeElsewhere();
        for (Array a : newestFirst) {
            if (left <= 0) {
                break;
            }
            if (a.jobId() == null || a.eligible().length == 0) {
                continue;
            }
            int n = Math.min(left, a.eligible().length);
            long[] last = Arrays.copyOfRange(a.eligible(), a.eligible().length - n, a.eligible().length);
            out.add(new TakeBackOrder(a.seq(), a.jobId(), last, false));
            left -= n;
        }
        return out;
    }
}
