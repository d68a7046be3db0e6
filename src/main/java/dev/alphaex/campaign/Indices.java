package dev.alphaex.campaign;

import java.util.TreeSet;

/** Index ranges as an operator writes them ({@code 0-9,15,20-22}, in any order, repeats allowed), for retry and status. */
public final class Indices {
    private Indices() {
    }

    /**
     * The indices, ascending and distinct.
     *
     * @throws IllegalArgumentException naming the part that is not an index or a range
     */
    public static long[] parse(String text) {
        TreeSet<Long> out = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-', 1);
            try {
                long first = Long.parseLong((dash < 0 ? p : p.substring(0, dash)).trim());
                long last = dash < 0 ? first : Long.parseLong(p.substring(dash + 1).trim());
                if (first < 0 || last < first) {
                    throw new NumberFormatException();
                }
                if (last - first > 100_000_000) {
                    throw new IllegalArgumentException("indices: the range '" + p + "' is too long");
                }
                for (long i = first; i <= last; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("indices: '" + p + "' is not an index or a range of indices (like 0-9,15)");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("indices: none given in '" + text + "' (like 0-9,15)");
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
