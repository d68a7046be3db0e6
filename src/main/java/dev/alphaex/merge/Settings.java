package dev.alphaex.merge;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The merge's numeric settings, given as text (as the properties file has them) and checked at
 * start, each error naming its property and the range: {@code merge.readLockMinAge},
 * {@code merge.pollDelay}, {@code merge.threads}, {@code merge.syncThreads}.
 */
final class Settings {
    record Setting(String property, long min, long defaultValue, String unit) {
    }

    static final Setting READ_LOCK_MIN_AGE = new Setting("merge.readLockMinAge", 0, 5000, "ms");
    static final Setting POLL_DELAY = new Setting("merge.pollDelay", 1, 100, "ms");
    static final Setting THREADS = new Setting("merge.threads", 1, 2, "threads");
    static final Setting SYNC_THREADS = new Setting("merge.syncThreads", 1, 16, "threads");

    private final Map<Setting, String> given = new LinkedHashMap<>();

    void set(Setting s, String value) {
        given.put(s, value == null ? "" : value.trim());
    }

    /** The value of a setting (its default when not given); call {@link #check()} first. */
    long get(Setting s) {
        String v = given.get(s);
        return v == null || v.isEmpty() ? s.defaultValue() : Long.parseLong(v);
    }

    /** @throws IllegalArgumentException naming the first setting that is not a whole number in its range */
    void check() {
        for (Map.Entry<Setting, String> e : given.entrySet()) {
            Setting s = e.getKey();
            String v = e.getValue();
            if (v.isEmpty()) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(s.property() + " must be a whole number of " + s.unit() + ", got '"
                        + v + "'");
            }
            if (n < s.min()) {
                throw new IllegalArgumentException(s.property() + " must be " + s.min() + " or more (" + s.unit()
                        + "), got " + n);
            }
        }
    }
}
