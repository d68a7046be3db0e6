package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planner's properties over 5,000 random snapshots (fixed seed, so a failure repeats): the running budget is never
 * exceeded by what it plans (the arrays' shares, with the new throttles and the new arrays, add up to at most
 * {@code running}, and once lowered it adds nothing), queued + running never above the capacity, never an index in
 * two places (a submission takes pending indices only, lowest first, each once; a take-back takes queued tasks of the
 * cluster only, and only when the shared queue is empty, no more than the free slots elsewhere), every array within
 * the cluster's largest task id and maxTasks, every throttle 1 or more, nothing for a cluster that did not answer; and
 * it does not leave the running budget unused while it has work for it.
 */
class PlannerTest {
    @Test
    void plansHoldTheirPropertiesOnRandomSnapshots() {
        Random random = new Random(20261206);
        for (int n = 0; n < 5_000; n++) {
            Planner.Snapshot s = randomSnapshot(random);
            check(s, Planner.plan(s));
        }
    }

    private static void check(Planner.Snapshot s, Planner.Decision d) {
        Set<Long> live = new HashSet<>();
        Map<Integer, Planner.Array> bySeq = new HashMap<>();
        for (Planner.Array a : s.arrays()) {
            Arrays.stream(a.live()).forEach(live::add);
            bySeq.put(a.seq(), a);
        }
        // submissions: the lowest pending indices, each once, never an index the cluster holds
        List<Long> planned = new ArrayList<>();
        for (Planner.Submission sub : d.submissions()) {
            ArrayRanges.Chunk c = sub.chunk();
            assertThat(c.indices().length).as("%s: tasks per array", s).isBetween(1, s.maxTasks());
            long[] tasks = ArrayRanges.expand(c.array());
            assertThat(tasks).as("%s: the array says the chunk's tasks", s).hasSize(c.indices().length);
            for (int i = 0; i < tasks.length; i++) {
                assertThat(tasks[i]).as("%s: task ids within the cluster's limit", s).isBetween(0L, s.maxArrayIndex());
                assertThat(c.base() + tasks[i]).isEqualTo(c.indices()[i]);
            }
            Arrays.stream(c.indices()).forEach(planned::add);
            if (s.throttled()) {
                assertThat(sub.throttle()).as("%s: a new array's throttle", s).isBetween(1, c.indices().length);
            } else {
                assertThat(sub.throttle()).isZero();
            }
        }
        for (int i = 0; i < planned.size(); i++) {
            if (planned.get(i) != s.pending()[i]) {
                throw new AssertionError(s + ": not the lowest pending indices, each once: " + planned);
            }
        }
        assertThat(java.util.Collections.disjoint(planned, live)).as("%s: never an index in two places", s).isTrue();
        if (!s.accepting() || s.openIntents() || s.occupying() >= s.capacity()) {
            assertThat(planned).as("%s: nothing for a cluster that cannot take work", s).isEmpty();
        } else {
            assertThat(s.occupying() + planned.size()).as("%s: queued + running within the capacity", s).isLessThanOrEqualTo(s.capacity());
        }
        // take-backs: sent again as written, or new ones of eligible queued tasks at the tail, within the free slots elsewhere
        int fresh = 0;
        Set<Long> takenBack = new HashSet<>();
        for (Planner.TakeBackOrder o : d.takeBacks()) {
            assertThat(s.known()).as("%s: take-backs only where the state is known", s).isTrue();
            Planner.Array a = bySeq.get(o.seq());
            assertThat(a).isNotNull();
            assertThat(o.jobId()).isEqualTo(a.jobId()).isNotNull();
            if (o.resend()) {
                assertThat(o.indices()).isEqualTo(a.resend());
            } else {
                assertThat(s.queueEmpty()).as("%s: a take-back only when the shared queue is empty", s).isTrue();
                for (long i : o.indices()) {
                    assertThat(Arrays.binarySearch(a.eligible(), i)).as("%s: only eligible queued tasks", s).isNotNegative();
                }
                fresh += o.indices().length;
            }
            for (long i : o.indices()) {
                assertThat(takenBack.add(i)).as("an index taken back once").isTrue();
            }
        }
        assertThat(fresh).as("%s: no more taken back than the free slots elsewhere", s).isLessThanOrEqualTo(s.freeElsewhere());
        assertThat(java.util.Collections.disjoint(takenBack, planned)).as("never an index in two places").isTrue();
        // throttles: the running budget
        if (!s.known()) {
            assertThat(d.throttles()).isEmpty();
        }
        if (!s.throttled()) {
            assertThat(d.throttles()).isEmpty();
            return;
        }
        Map<Integer, Integer> throttles = new HashMap<>();
        for (Planner.ThrottleChange c : d.throttles()) {
            Planner.Array a = bySeq.get(c.seq());
            assertThat(a.jobId()).as("a throttle changes only on a confirmed array").isNotNull();
            assertThat(c.to()).as("%s: a throttle is 1 or more", s).isPositive();
            assertThat(c.from()).isEqualTo(a.throttle());
            assertThat(throttles.put(c.seq(), c.to())).as("one change per array").isNull();
        }
        int before = s.shares();
        int after = 0;
        for (Planner.Array a : s.arrays()) {
            Integer t = throttles.get(a.seq());
            after += t == null ? a.share() : a.shareWith(t);
        }
        for (Planner.Submission sub : d.submissions()) {
            after += Math.min(sub.chunk().indices().length, sub.throttle());
        }
        if (before <= s.running()) {
            assertThat(after).as("%s: the shares within the running budget", s).isLessThanOrEqualTo(s.running());
        } else {
            assertThat(after).as("%s: over the budget (it was lowered): nothing added", s).isLessThanOrEqualTo(before);
            assertThat(d.submissions()).isEmpty();
        }
        // ... and used while there is work for it
        if (s.known() && after < s.running()) {
            boolean moreToSubmit = s.accepting() && !s.openIntents() && s.occupying() + planned.size() < s.capacity()
                    && planned.size() < s.pending().length;
            assertThat(moreToSubmit).as("%s: budget left unused while indices could go out", s).isFalse();
            for (Planner.Array a : s.arrays()) {
                Integer t = throttles.get(a.seq());
                int throttle = t == null ? a.throttle() : t;
                if (a.jobId() != null && throttle > 0 && before <= s.running()) {
                    assertThat(a.shareWith(throttle)).as("%s: budget left unused while array %d has queued tasks beyond its throttle",
                            s, a.seq()).isEqualTo(a.live().length);
                }
            }
        }
    }

    private static Planner.Snapshot randomSnapshot(Random r) {
        boolean small = r.nextBoolean();
        int capacity = 1 + r.nextInt(small ? 40 : 3000);
        int running = 1 + r.nextInt(capacity);
        boolean throttled = r.nextInt(4) > 0;
        long next = 0;
        List<Planner.Array> arrays = new ArrayList<>();
        int count = r.nextInt(5);
        boolean open = false;
        for (int k = 0; k < count; k++) {
            int size = 1 + r.nextInt(small ? 20 : 400);
            long[] live = new long[size];
            for (int i = 0; i < size; i++) {
                next += 1 + r.nextInt(3);
                live[i] = next;
            }
            int throttle = !throttled || r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(running);
            int run = Math.min(size, r.nextInt(10) == 0 ? r.nextInt(size + 1) : r.nextInt(1 + Math.min(size, throttle == 0 ? size : throttle)));
            String jobId = r.nextInt(10) == 0 ? null : Integer.toString(1000 + k);
            open |= jobId == null;
            long[] queued = Arrays.copyOfRange(live, run, size);
            long[] eligible = Arrays.stream(queued).filter(i -> r.nextInt(3) > 0).toArray();
            long[] resend = r.nextInt(8) == 0 ? Arrays.stream(queued).filter(i -> r.nextBoolean()).toArray() : new long[0];
            eligible = Arrays.stream(eligible).filter(i -> Arrays.binarySearch(resend, i) < 0).toArray();
            arrays.add(new Planner.Array(k, jobId, throttle, r.nextInt(5) > 0, live, run, eligible, resend));
        }
        TreeSet<Long> pending = new TreeSet<>();
        int pendingCount = r.nextInt(4) == 0 ? 0 : r.nextInt(small ? 60 : 5000);
        while (pending.size() < pendingCount) {
            pending.add(next + 1 + r.nextInt(pendingCount * 3 + 10));
        }
        long[] head = pending.stream().mapToLong(Long::longValue).limit(capacity).toArray();
        boolean queueEmpty = head.length == 0 && r.nextInt(4) > 0;
        long maxArrayIndex = r.nextBoolean() ? 1_000_000_000L : r.nextInt(3000);
        boolean known = r.nextInt(8) > 0;
        boolean accepting = known && r.nextInt(8) > 0;
        return new Planner.Snapshot(known, accepting, open || r.nextInt(10) == 0, throttled, capacity, running, arrays, head, queueEmpty,
                r.nextInt(3) == 0 ? 0 : r.nextInt(30), maxArrayIndex, 1 + r.nextInt(small ? 10 : 1000));
    }

    private static Planner.Array array(int seq, int throttle, long from, long to, int running, long[] eligible) {
        long[] live = java.util.stream.LongStream.rangeClosed(from, to).toArray();
        return new Planner.Array(seq, Integer.toString(100 + seq), throttle, true, live, running, eligible, new long[0]);
    }

    private static long[] range(long from, long to) {
        return java.util.stream.LongStream.range(from, to).toArray();
    }

    private static Planner.Snapshot slurm(int capacity, int running, List<Planner.Array> arrays, long[] pending, int freeElsewhere) {
        return new Planner.Snapshot(true, true, false, true, capacity, running, arrays, pending, pending.length == 0, freeElsewhere,
                100_000, 1000);
    }

    @Test
    void theFirstArrayFillsTheCapacityAndCarriesTheRunningBudgetAsItsThrottle() {
        Planner.Decision d = Planner.plan(slurm(36, 12, List.of(), range(0, 300), 0));
        assertThat(d.submissions()).hasSize(1);
        assertThat(d.submissions().get(0).chunk().array()).isEqualTo("0-35");
        assertThat(d.submissions().get(0).throttle()).isEqualTo(12);
        assertThat(d.throttles()).isEmpty();
    }

    @Test
    void anArrayInItsTailLeavesItsShareToTheNextArray() {
        // 5 of the first array's tasks still run: the next array gets the other 7 slots, and fills the capacity
        Planner.Decision d = Planner.plan(slurm(36, 12, List.of(array(0, 12, 31, 35, 5, new long[0])), range(36, 300), 0));
        assertThat(d.submissions()).singleElement().satisfies(s -> {
            assertThat(s.chunk().array()).isEqualTo("36-66");
            assertThat(s.throttle()).isEqualTo(7);
        });
        // once it has ended and nothing is left to submit, the next array's throttle is raised in place
        Planner.Decision later = Planner.plan(slurm(36, 12, List.of(array(1, 7, 36, 66, 7, new long[0])), new long[0], 0));
        assertThat(later.throttles()).containsExactly(new Planner.ThrottleChange(1, "101", 7, 12));
        assertThat(later.submissions()).isEmpty();
    }

    @Test
    void aLoweredRunningBudgetLowersTheNewestArraysFirst() {
        List<Planner.Array> arrays = List.of(array(0, 6, 0, 9, 6, new long[0]), array(1, 6, 10, 29, 0, new long[0]));
        Planner.Decision d = Planner.plan(slurm(36, 8, arrays, range(30, 100), 0));
        assertThat(d.throttles()).containsExactly(new Planner.ThrottleChange(1, "101", 6, 2));
        assertThat(d.submissions()).as("nothing new while over the budget").isEmpty();
    }

    @Test
    void theTailTakesBackWhatAnotherClusterCanRunNowTheLastToStartHereFirst() {
        List<Planner.Array> arrays = List.of(array(0, 6, 0, 17, 0, range(0, 18)));
        Planner.Decision d = Planner.plan(slurm(18, 6, arrays, new long[0], 4));
        assertThat(d.takeBacks()).singleElement().satisfies(o -> {
            assertThat(o.indices()).containsExactly(14, 15, 16, 17);
            assertThat(o.resend()).isFalse();
        });
        assertThat(Planner.plan(slurm(18, 6, arrays, new long[] {40}, 4)).takeBacks()).as("not while indices are pending").isEmpty();
        assertThat(Planner.plan(slurm(18, 6, arrays, new long[0], 0)).takeBacks()).as("not without free slots elsewhere").isEmpty();
    }

    @Test
    void withoutThrottlesTheCapacityAloneCounts() {
        Planner.Snapshot local = new Planner.Snapshot(true, true, false, false, 4, 4, List.of(array(0, 0, 0, 0, 1, new long[0])),
                new long[] {1, 2, 3, 7, 9}, false, 0, 1000, 10);
        assertThat(Planner.plan(local).submissions()).extracting(s -> s.chunk().array()).containsExactly("1-3");
        assertThat(Planner.plan(local).submissions()).extracting(Planner.Submission::throttle).containsOnly(0);
    }
}
