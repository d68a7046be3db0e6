package dev.alphaex.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Slurm's array syntax ({@code 0-99,105,200-210}) and the split of a set of indices into array
 * submissions that a cluster accepts: task ids no larger than the cluster's maximum array index,
 * at most a given number of tasks each. Indices that fit keep base 0 (task id = index, which keeps
 * AlphaEx-style job scripts working); larger ones are submitted as {@code base + task id}.
 */
public final class ArrayRanges {
    private ArrayRanges() {
    }

    /** One array submission: {@code indices[i] = base + (i-th task id of array)}. */
    public record Chunk(long base, String array, long[] indices) {
    }

    /** Compresses ascending distinct numbers into array syntax. */
    public static String compress(long[] sorted) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(sorted[i]);
            if (j > i) {
                sb.append('-').append(sorted[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }

    /**
     * Expands array syntax into ascending numbers.
     *
     * @throws IllegalArgumentException naming the part that is not a number or range, or when the
     *                                  parts are not ascending and distinct
     */
    public static long[] expand(String array) {
        if (array.isEmpty()) {
            return new long[0];
        }
        long[] out = new long[16];
        int n = 0;
        for (String part : array.split(",", -1)) {
            int dash = part.indexOf('-', 1);
            long first;
            long last;
            try {
                first = Long.parseLong(dash < 0 ? part : part.substring(0, dash));
                last = dash < 0 ? first : Long.parseLong(part.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("array '" + array + "': '" + part + "' is not a number or a range");
            }
            if (last < first || first < 0) {
                throw new IllegalArgumentException("array '" + array + "': bad range " + part);
            }
            if (n > 0 && first <= out[n - 1]) {
                throw new IllegalArgumentException("array '" + array + "': parts must be ascending and distinct at " + part);
            }
            for (long v = first; v <= last; v++) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Splits ascending distinct indices into submissions: indices up to {@code maxArrayIndex} with
     * base 0, the rest in blocks whose base is their first index and whose span fits
     * {@code maxArrayIndex}; each chunk holds at most {@code maxTasks} indices.
     */
    public static List<Chunk> chunk(long[] sorted, long maxArrayIndex, int maxTasks) {
        if (maxTasks < 1) {
            throw new IllegalArgumentException("maxTasks must be 1 or more, got " + maxTasks);
        }
        List<Chunk> out = new ArrayList<>();
        int i = 0;
        while (i < sorted.length) {
            long base = sorted[i] <= maxArrayIndex ? 0 : sorted[i];
            int j = i;
            while (j < sorted.length && j - i < maxTasks && sorted[j] - base <= maxArrayIndex) {
                j++;
            }
            long[] indices = Arrays.copyOfRange(sorted, i, j);
            long[] tasks = new long[indices.length];
            for (int k = 0; k < indices.length; k++) {
                tasks[k] = indices[k] - base;
            }
            out.add(new Chunk(base, compress(tasks), indices));
            i = j;
        }
        return out;
    }
}
