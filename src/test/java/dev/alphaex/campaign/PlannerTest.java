package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planner's properties over 2,000 random snapshots (fixed seed, so a failure repeats): it never plans more
 * than the free slots, takes the lowest pending indices each once, keeps every array within the cluster's
 * largest task id and maxTasks, and plans nothing for a cluster that did not answer or whose earlier submission
 * is still uncertain.
 */
class PlannerTest {
    @Test
    void plansHoldTheirPropertiesOnRandomSnapshots() {
        Random random = new Random(20261206);
        for (int n = 0; n < 2_000; n++) {
            Planner.Snapshot s = randomSnapshot(random);
            List<ArrayRanges.Chunk> plan = Planner.plan(s);
            List<Long> planned = new ArrayList<>();
            for (ArrayRanges.Chunk c : plan) {
                assertThat(c.indices().length).as("%s: tasks per array", s).isBetween(1, s.maxTasks());
                long[] tasks = ArrayRanges.expand(c.array());
                assertThat(tasks).as("%s: the array says the chunk's tasks", s).hasSize(c.indices().length);
                for (int i = 0; i < tasks.length; i++) {
                    assertThat(tasks[i]).as("%s: task ids within the cluster's limit", s).isBetween(0L, s.maxArrayIndex());
                    assertThat(c.base() + tasks[i]).isEqualTo(c.indices()[i]);
                }
                Arrays.stream(c.indices()).forEach(planned::add);
            }
            int expected = Math.min(Planner.freeSlots(s), s.pending().length);
            assertThat(planned).as("%s: the lowest pending indices, each once, as many as there are free slots", s)
                    .containsExactlyElementsOf(Arrays.stream(s.pending()).limit(expected).boxed().toList());
            if (!s.accepting() || s.openIntents() || s.occupying() >= s.capacity()) {
                assertThat(plan).as("%s: nothing for a cluster that cannot take work", s).isEmpty();
            }
        }
    }

    private static Planner.Snapshot randomSnapshot(Random r) {
        int capacity = 1 + r.nextInt(r.nextBoolean() ? 10 : 3000);
        int occupying = r.nextInt(capacity + 3);
        TreeSet<Long> pending = new TreeSet<>();
        int count = r.nextInt(r.nextBoolean() ? 20 : 5000);
        long spread = 1 + r.nextInt(r.nextBoolean() ? 50 : 100_000);
        while (pending.size() < count) {
            pending.add((long) r.nextInt((int) Math.min(Integer.MAX_VALUE, spread + count)));
        }
        long[] head = pending.stream().mapToLong(Long::longValue).limit(capacity).toArray();
        long maxArrayIndex = r.nextBoolean() ? 1_000_000_000L : r.nextInt(3000);
        return new Planner.Snapshot(r.nextInt(8) > 0, r.nextInt(8) == 0, capacity, occupying, head, maxArrayIndex, 1 + r.nextInt(1000));
    }

    @Test
    void aFullClusterOrAnEmptyQueueGetsNothing() {
        assertThat(Planner.plan(new Planner.Snapshot(true, false, 4, 4, new long[] {1, 2}, 1000, 10))).isEmpty();
        assertThat(Planner.plan(new Planner.Snapshot(true, false, 4, 0, new long[0], 1000, 10))).isEmpty();
        assertThat(Planner.plan(new Planner.Snapshot(true, false, 4, 1, new long[] {0, 1, 2, 7, 9}, 1000, 10)))
                .extracting(ArrayRanges.Chunk::array).containsExactly("0-2");
    }
}
