package dev.alphaex.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.TreeSet;

/**
 * The jobs of a campaign written as AlphaEx accepts them: a number N (indices 0..N-1) or a list
 * whose elements are indices or inclusive ranges {@code [first, last]}, e.g.
 * {@code [[1,4], 6, [102,105]]}.
 */
public final class JobList {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobList() {
    }

    /**
     * Parses a job list; {@code where} names its origin (a property or file) in errors.
     *
     * @return the distinct indices, ascending
     */
    public static long[] parse(String text, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON: " + e.getOriginalMessage());
        }
        TreeSet<Long> set = new TreeSet<>();
        if (root != null && root.isIntegralNumber()) {
            long n = root.longValue();
            if (n < 1) {
                throw new IllegalArgumentException(where + ": no job: the number of jobs must be 1 or more, got " + n);
            }
            long[] all = new long[Math.toIntExact(n)];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(where + ": expected a number of jobs or a list like [[1,4], 6, [102,105]]");
        }
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            if (e.isIntegralNumber()) {
                set.add(nonNegative(e.longValue(), where, i));
            } else if (e.isArray() && e.size() == 2 && e.get(0).isIntegralNumber() && e.get(1).isIntegralNumber()) {
                long first = nonNegative(e.get(0).longValue(), where, i);
                long last = nonNegative(e.get(1).longValue(), where, i);
                if (last < first) {
                    throw new IllegalArgumentException(where + ": element " + i + ": range " + e + " ends before it starts");
                }
                for (long v = first; v <= last; v++) {
                    set.add(v);
                }
            } else {
                throw new IllegalArgumentException(where + ": element " + i + ": expected an index or [first,last], found " + e);
            }
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException(where + ": no job in the list");
        }
        return set.stream().mapToLong(Long::longValue).toArray();
    }

    private static long nonNegative(long v, String where, int element) {
        if (v < 0) {
            throw new IllegalArgumentException(where + ": element " + element + ": negative index " + v);
        }
        return v;
    }
}
