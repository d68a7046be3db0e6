package dev.alphaex.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The jobs of a campaign written as AlphaEx accepts them: a number N (indices 0..N-1) or a list
 * whose elements are indices or inclusive ranges {@code [first, last]}, e.g.
 * {@code [[1,4], 6, [102,105]]}.
 *
 * <p>The size is known from the ranges before any index is expanded, so a list that would not fit
 * ({@code [[0,9223372036854775806]]}) is refused at once with its size, and an index listed more than
 * once (overlapping ranges, {@code [1,1,1]}) is reported: each index is one configuration and run and runs
 * once, so the repeats are dropped, never silently.
 */
public final class JobList {
    /**
     * The most jobs a campaign takes unless told otherwise (campaign.maxJobs): the controller keeps about
     * 200 bytes per job in memory (1,000,000 jobs: about 200 MB) and opening the ledger takes about a
     * second per million.
     */
    public static final long DEFAULT_MAX = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long[] indices;
    private final long repeats;
    private final String repeated;

    private JobList(long[] indices, long repeats, String repeated) {
        this.indices = indices;
        this.repeats = repeats;
        this.repeated = repeated;
    }

    /** The distinct indices, ascending. */
    public long[] indices() {
        return indices;
    }

    /** How many listings were repeats of an index listed before (0: none). */
    public long repeats() {
        return repeats;
    }

    /** The indices listed more than once, as ranges ("1,5-9"), or "". */
    public String repeated() {
        return repeated;
    }

    /**
     * Parses a job list of at most {@link #DEFAULT_MAX} jobs; {@code where} names its origin (a property or file) in errors.
     *
     * @return the distinct indices, ascending
     */
    public static long[] parse(String text, String where) {
        return read(text, where, DEFAULT_MAX).indices();
    }

    /**
     * Parses a job list of at most {@code max} distinct jobs, refusing a larger one before any memory is spent on it.
     *
     * @param where names its origin (a property or file) in errors
     */
    public static JobList read(String text, String where, long max) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON: " + e.getOriginalMessage());
        }
        if (root != null && root.isIntegralNumber()) {
            if (!root.canConvertToLong() || root.longValue() < 1) {
                throw new IllegalArgumentException(where + ": no job: the number of jobs must be 1 or more, got " + root);
            }
            long n = root.longValue();
            requireAtMost(n, max, where, "indices 0-" + (n - 1));
            long[] all = new long[(int) n];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return new JobList(all, 0, "");
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(where + ": expected a number of jobs or a list like [[1,4], 6, [102,105]]");
        }
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            if (e.isIntegralNumber()) {
                long v = index(e, where, i);
                ranges.add(new long[] {v, v});
            } else if (e.isArray() && e.size() == 2 && e.get(0).isIntegralNumber() && e.get(1).isIntegralNumber()) {
                long first = index(e.get(0), where, i);
                long last = index(e.get(1), where, i);
                if (last < first) {
                    throw new IllegalArgumentException(where + ": element " + i + ": range " + e + " ends before it starts");
                }
                ranges.add(new long[] {first, last});
            } else {
                throw new IllegalArgumentException(where + ": element " + i + ": expected an index or [first,last], found " + e);
            }
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException(where + ": no job in the list");
        }
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        // merge the ranges, counting distinct indices and collecting the overlaps (repeats), without expanding anything
        List<long[]> merged = new ArrayList<>();
        List<long[]> overlaps = new ArrayList<>();
        long distinct = 0;
        long repeats = 0;
        for (long[] r : ranges) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1]) {
                long overlapEnd = Math.min(r[1], last[1]);
                overlaps.add(new long[] {r[0], overlapEnd});
                repeats += overlapEnd - r[0] + 1;
                if (r[1] > last[1]) {
                    distinct += r[1] - last[1];
                    last[1] = r[1];
                }
            } else {
                merged.add(new long[] {r[0], r[1]});
                distinct += r[1] - r[0] + 1; // at most 2^63-1: indices are 0 .. 2^63-1
            }
            if (distinct < 0 || distinct > max) {
                requireAtMost(distinct < 0 ? Long.MAX_VALUE : distinct, max, where, "in " + root.size() + " element(s)");
            }
        }
        long[] out = new long[(int) distinct];
        int k = 0;
        for (long[] r : merged) {
            for (long v = r[0]; v <= r[1]; v++) {
                out[k++] = v;
            }
        }
        return new JobList(out, repeats, repeats == 0 ? "" : ranges(overlaps));
    }

    /** Refuses a campaign of more than {@code max} jobs, saying how many it would have and what to do. */
    static void requireAtMost(long n, long max, String where, String detail) {
        if (n > max) {
            throw new IllegalArgumentException(String.format("%s: %,d jobs (%s) is more than the %,d a campaign takes"
                    + " (campaign.maxJobs): the controller keeps about 200 bytes per job in memory. Split the work into"
                    + " campaigns, or raise campaign.maxJobs (and the JVM's -Xmx) if this machine has the memory", where, n, detail, max));
        }
    }

    private static String ranges(List<long[]> overlaps) {
        overlaps.sort(Comparator.comparingLong(r -> r[0]));
        StringBuilder sb = new StringBuilder();
        long start = -1;
        long end = -2;
        int shown = 0;
        for (long[] r : overlaps) {
            if (r[0] <= end + 1) {
                end = Math.max(end, r[1]);
                continue;
            }
            if (start >= 0) {
                shown = append(sb, start, end, shown);
            }
            start = r[0];
            end = r[1];
        }
        append(sb, start, end, shown);
        return sb.toString();
    }

    private static int append(StringBuilder sb, long start, long end, int shown) {
        if (shown == 10) {
            sb.append(",...");
        } else if (shown < 10) {
            sb.append(sb.length() == 0 ? "" : ",").append(start).append(start == end ? "" : "-" + end);
        }
        return shown + 1;
    }

    private static long index(JsonNode v, String where, int element) {
        if (!v.canConvertToLong() || v.longValue() < 0) {
            throw new IllegalArgumentException(where + ": element " + element + ": "
                    + (v.canConvertToLong() ? "negative index " + v.longValue() : "index " + v + " is beyond 2^63-1"));
        }
        return v.longValue();
    }
}
