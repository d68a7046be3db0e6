package dev.alphaex.cluster;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArrayRangesTest {
    @Test
    void compressesRunsIntoRanges() {
        assertThat(ArrayRanges.compress(new long[] {0, 1, 2, 3, 105, 200, 201, 202})).isEqualTo("0-3,105,200-202");
        assertThat(ArrayRanges.compress(new long[] {7})).isEqualTo("7");
        assertThat(ArrayRanges.compress(new long[] {4, 5})).isEqualTo("4-5");
        assertThat(ArrayRanges.compress(new long[0])).isEqualTo("");
    }

    @Test
    void expandsSlurmArraySyntax() {
        assertThat(ArrayRanges.expand("0-3,105,200-202")).containsExactly(0, 1, 2, 3, 105, 200, 201, 202);
        assertThat(ArrayRanges.expand("")).isEmpty();
        assertThatThrownBy(() -> ArrayRanges.expand("3-1")).hasMessageContaining("3-1");
        assertThatThrownBy(() -> ArrayRanges.expand("a")).hasMessageContaining("'a'");
        assertThatThrownBy(() -> ArrayRanges.expand("1,1")).hasMessageContaining("ascending");
    }

    @RepeatedTest(200)
    void expandOfCompressIsIdentity(RepetitionInfo info) {
        Random rnd = new Random(info.getCurrentRepetition());
        TreeSet<Long> set = new TreeSet<>();
        int n = rnd.nextInt(300);
        long span = 1 + rnd.nextInt(1000);
        for (int i = 0; i < n; i++) {
            set.add((long) rnd.nextInt((int) span));
        }
        long[] sorted = set.stream().mapToLong(Long::longValue).toArray();
        assertThat(ArrayRanges.expand(ArrayRanges.compress(sorted))).containsExactly(sorted);
    }

    @Test
    void chunksKeepBaseZeroWhileIndicesFitAndRespectLimits() {
        long[] idx = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        List<ArrayRanges.Chunk> chunks = ArrayRanges.chunk(idx, 1000, 4);
        assertThat(chunks).extracting(ArrayRanges.Chunk::base).containsExactly(0L, 0L, 0L);
        assertThat(chunks).extracting(ArrayRanges.Chunk::array).containsExactly("0-3", "4-7", "8-9");
    }

    @Test
    void indicesBeyondTheMaximumArrayIndexGetABase() {
        long[] idx = {5, 998, 999, 1000, 1001, 1999, 2500, 2501, 4000};
        List<ArrayRanges.Chunk> chunks = ArrayRanges.chunk(idx, 999, 1000);
        List<String> described = new ArrayList<>();
        for (ArrayRanges.Chunk c : chunks) {
            described.add(c.base() + ":" + c.array());
        }
        assertThat(described).containsExactly("0:5,998-999", "1000:0-1,999", "2500:0-1", "4000:0");
        for (ArrayRanges.Chunk c : chunks) {
            for (long t : ArrayRanges.expand(c.array())) {
                assertThat(t).isBetween(0L, 999L);
            }
        }
    }

    @RepeatedTest(100)
    void chunksCoverEveryIndexOnceWithinLimits(RepetitionInfo info) {
        Random rnd = new Random(1000 + info.getCurrentRepetition());
        TreeSet<Long> set = new TreeSet<>();
        int n = 1 + rnd.nextInt(500);
        for (int i = 0; i < n; i++) {
            set.add((long) rnd.nextInt(20_000));
        }
        long[] sorted = set.stream().mapToLong(Long::longValue).toArray();
        long maxIndex = 1 + rnd.nextInt(3000);
        int maxTasks = 1 + rnd.nextInt(200);
        List<Long> covered = new ArrayList<>();
        for (ArrayRanges.Chunk c : ArrayRanges.chunk(sorted, maxIndex, maxTasks)) {
            long[] tasks = ArrayRanges.expand(c.array());
            assertThat(tasks.length).isBetween(1, maxTasks);
            assertThat(c.indices()).hasSize(tasks.length);
            for (int i = 0; i < tasks.length; i++) {
                assertThat(tasks[i]).isBetween(0L, maxIndex);
                assertThat(c.indices()[i]).isEqualTo(c.base() + tasks[i]);
                covered.add(c.indices()[i]);
            }
            if (c.base() != 0) {
                assertThat(c.indices()[0]).isGreaterThan(maxIndex); // base 0 whenever the indices fit
            }
        }
        assertThat(covered).containsExactlyElementsOf(set);
    }
}
