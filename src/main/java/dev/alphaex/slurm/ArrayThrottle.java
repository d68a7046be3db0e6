package dev.alphaex.slurm;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code %N} suffix of an {@code --array} specification: {@code 0-99,105%12} lets slurmctld run at most 12
 * of the array's tasks at once and start the next pending one the moment one ends, with no poll in between.
 * Pure text functions; the throttle of an array already queued is changed with {@link ThrottleUpdate}.
 *
 * <p>Slurm reads {@code %0} (and {@code arraytaskthrottle=0}) as "no limit", not "none may run": a throttle
 * here is 1 or more; {@link #withoutThrottle} removes it.
 */
public final class ArrayThrottle {
    /** Array specifications as sbatch takes them: ids, ranges, ranges with a step, comma-separated. */
    private static final Pattern RANGES = Pattern.compile("[0-9]+(-[0-9]+(:[0-9]+)?)?(,[0-9]+(-[0-9]+(:[0-9]+)?)?)*");
    private static final Pattern SPEC = Pattern.compile("(?<ranges>" + RANGES.pattern() + ")(%(?<throttle>[0-9]+))?");

    private ArrayThrottle() {
    }

    /**
     * The array specification with at most {@code running} tasks running at once: {@code ("0-9,20", 4)} gives
     * {@code "0-9,20%4"}; a throttle already there is replaced.
     *
     * @throws IllegalArgumentException when {@code array} is not an array specification or {@code running} < 1
     */
    public static String withThrottle(String array, int running) {
        if (running < 1) {
            throw new IllegalArgumentException("an array throttle must be 1 or more, got " + running
                + " (Slurm reads %0 as no limit at all)");
        }
        return ranges(array) + "%" + running;
    }

    /** The array specification without its {@code %N}: every task may run at once. */
    public static String withoutThrottle(String array) {
        return ranges(array);
    }

    /** The {@code N} of {@code ...%N}; empty when the specification has none. */
    public static OptionalInt throttleOf(String array) {
        Matcher m = match(array);
        if (m.group("throttle") == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(m.group("throttle")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("array throttle out of range in '" + array + "'");
        }
    }

    private static String ranges(String array) {
        return match(array).group("ranges");
    }

    private static Matcher match(String array) {
        Matcher m = array == null ? null : SPEC.matcher(array.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a Slurm array specification: '" + array
                + "' (expected e.g. 0-99,105 or 0-99:2%10)");
        }
        return m;
    }
}
