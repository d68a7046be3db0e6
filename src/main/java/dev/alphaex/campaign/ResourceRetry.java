package dev.alphaex.campaign;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retries that change resources, per outcome, off unless a property turns them on (README, Failures):
 * <ul>
 *   <li>{@code campaign.retryMemoryUpTo} (e.g. 64G): an OUT_OF_MEMORY task is retried with twice the memory of the
 *       attempt that ran out, up to this (a task that ran out with this much fails for good);</li>
 *   <li>{@code campaign.retryTimeUpTo} (e.g. 2-00:00:00): a TIMEOUT task is retried with twice the time, up to this;</li>
 *   <li>{@code campaign.retryExcludeNode} (true): a NODE_FAIL task's later attempts on that cluster keep away from the
 *       node it failed on (when the cluster named it);</li>
 *   <li>{@code campaign.retryPreemptedFree} (true): a PREEMPTED task is queued again without counting the attempt.</li>
 * </ul>
 * Each still needs attempts left ({@code campaign.maxAttempts}), except the free preemption. Pure: decides from the
 * attempt's outcome, the resources it ran with and the retry policy.
 */
final class ResourceRetry {
    /** Off: the retry policy alone decides. */
    static final ResourceRetry OFF = new ResourceRetry(null, null, false, false);

    private final Long memoryUpTo;
    private final Long timeUpTo;
    private final boolean excludeNode;
    private final boolean preemptedFree;

    /** @param memoryUpTo and timeUpTo in MB and seconds, null when off */
    ResourceRetry(Long memoryUpTo, Long timeUpTo, boolean excludeNode, boolean preemptedFree) {
        this.memoryUpTo = memoryUpTo;
        this.timeUpTo = timeUpTo;
        this.excludeNode = excludeNode;
        this.preemptedFree = preemptedFree;
    }

    /**
     * Binds the properties.
     *
     * @param property a property's text by its full name, or null when not set
     * @param where    where a property's value came from, for errors
     * @throws IllegalArgumentException naming the property
     */
    static ResourceRetry bind(Function<String, String> property, Function<String, String> where) {
        String mem = text(property.apply("campaign.retryMemoryUpTo"));
        String time = text(property.apply("campaign.retryTimeUpTo"));
        Long memMb = null;
        Long timeS = null;
        try {
            memMb = mem.isEmpty() ? null : megabytes(mem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where.apply("campaign.retryMemoryUpTo") + ": " + e.getMessage());
        }
        try {
            timeS = time.isEmpty() ? null : seconds(time);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where.apply("campaign.retryTimeUpTo") + ": " + e.getMessage());
        }
        return new ResourceRetry(memMb, timeS, flag(property, where, "campaign.retryExcludeNode"),
                flag(property, where, "campaign.retryPreemptedFree"));
    }

    private static boolean flag(Function<String, String> property, Function<String, String> where, String name) {
        String v = text(property.apply(name)).toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw new IllegalArgumentException(where.apply(name) + ": must be true or false, got '" + v + "'");
    }

    private static String text(String s) {
        return s == null ? "" : s.trim();
    }

    /** How a task's attempt ends: where the index goes, the resources of its next attempts (null: unchanged), free. */
    record Next(Phase phase, Resources with, boolean free, String note) {
    }

    /**
     * Decides for an attempt that ended with {@code outcome}.
     *
     * @param current        the resources the entry's next attempts asked so far
     * @param ran            the resources the ended attempt asked (its submission's), other than the cluster's
     * @param clusterOptions the cluster's own scheduler options (mem, time)
     * @param cluster        where it ran
     * @param node           the node it ran on ("" when the cluster did not say)
     * @param counted        its attempts that count so far (this one included)
     */
    Next next(RetryPolicy policy, String outcome, Integer exit, Resources current, Resources ran, Map<String, String> clusterOptions,
              String cluster, String node, int counted) {
        RetryPolicy.Decision d = policy.decide(outcome, exit, counted);
        if (d == RetryPolicy.Decision.COMPLETE) {
            return new Next(Phase.COMPLETED, null, false, null);
        }
        boolean left = counted < policy.maxAttempts();
        switch (outcome) {
            case "PREEMPTED":
                if (preemptedFree) {
                    return new Next(Phase.PENDING, null, true, "preempted: queued again, the attempt not counted");
                }
                break;
            case "OUT_OF_MEMORY":
                if (memoryUpTo != null && left) {
                    String was = ran.mem() != null ? ran.mem() : clusterOptions.get("mem");
                    Long mb = was == null ? null : megabytesOrNull(was);
                    if (mb != null && mb < memoryUpTo) {
                        String more = mem(Math.min(memoryUpTo, mb * 2));
                        return new Next(Phase.PENDING, current.withMem(more), false, "memory " + was + " -> " + more);
                    }
                    return new Next(Phase.FAILED, null, false, was == null ? "no mem to double (give the cluster a mem parameter)"
                            : "memory " + was + " is already at campaign.retryMemoryUpTo");
                }
                break;
            case "TIMEOUT":
                if (timeUpTo != null && left) {
                    String was = ran.time() != null ? ran.time() : clusterOptions.get("time");
                    Long s = was == null ? null : secondsOrNull(was);
                    if (s != null && s < timeUpTo) {
                        String more = time(Math.min(timeUpTo, s * 2));
                        return new Next(Phase.PENDING, current.withTime(more), false, "time " + was + " -> " + more);
                    }
                    return new Next(Phase.FAILED, null, false, was == null ? "no time to double (give the cluster a time parameter)"
                            : "time " + was + " is already at campaign.retryTimeUpTo");
                }
                break;
            case "NODE_FAIL":
                if (excludeNode && !node.isBlank() && d == RetryPolicy.Decision.RETRY) {
                    return new Next(Phase.PENDING, current.excluding(cluster, node), false, "node " + node + " excluded on " + cluster);
                }
                break;
            default:
                break;
        }
        return new Next(d == RetryPolicy.Decision.RETRY ? Phase.PENDING : Phase.FAILED, null, false, null);
    }

    // ------------------------------------------------------------------ Slurm's memory and time

    private static final Pattern MEM = Pattern.compile("([0-9]+)([KMGT]?)B?", Pattern.CASE_INSENSITIVE);

    /** sbatch --mem text (e.g. 4G, 512M, 1000: megabytes) in megabytes. */
    static long megabytes(String text) {
        Long mb = megabytesOrNull(text);
        if (mb == null) {
            throw new IllegalArgumentException("not a memory size like 4G, 512M or 1000 (megabytes): '" + text + "'");
        }
        return mb;
    }

    private static Long megabytesOrNull(String text) {
        Matcher m = MEM.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> Math.max(1, n / 1024);
            case "G" -> n * 1024;
            case "T" -> n * 1024 * 1024;
            default -> n;
        };
    }

    /** Megabytes as sbatch --mem text: whole gigabytes as G, else M. */
    static String mem(long mb) {
        return mb % 1024 == 0 ? (mb / 1024) + "G" : mb + "M";
    }

    private static final Pattern TIME = Pattern.compile("(?:([0-9]+)-)?([0-9]+)(?::([0-9]+))?(?::([0-9]+))?");

    /**
     * sbatch --time text in seconds: "minutes", "minutes:seconds", "hours:minutes:seconds", "days-hours",
     * "days-hours:minutes", "days-hours:minutes:seconds" (Slurm's forms).
     */
    static long seconds(String text) {
        Long s = secondsOrNull(text);
        if (s == null) {
            throw new IllegalArgumentException("not a Slurm time like 30, 1:30:00 or 2-00:00:00: '" + text + "'");
        }
        return s;
    }

    private static Long secondsOrNull(String text) {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long a = Long.parseLong(m.group(2));
        Long b = m.group(3) == null ? null : Long.parseLong(m.group(3));
        Long c = m.group(4) == null ? null : Long.parseLong(m.group(4));
        if (m.group(1) != null) { // days-hours[:minutes[:seconds]]
            long days = Long.parseLong(m.group(1));
            return days * 86400 + a * 3600 + (b == null ? 0 : b * 60) + (c == null ? 0 : c);
        }
        if (c != null) {
            return a * 3600 + b * 60 + c; // hours:minutes:seconds
        }
        return b != null ? a * 60 + b : a * 60; // minutes:seconds, minutes
    }

    /** Seconds as sbatch --time text: [days-]hours:minutes:seconds. */
    static String time(long seconds) {
        long d = seconds / 86400;
        long h = seconds % 86400 / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return (d > 0 ? d + "-" : "") + String.format("%02d:%02d:%02d", h, m, s);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (memoryUpTo != null) {
            sb.append("OUT_OF_MEMORY with memory x2 up to ").append(mem(memoryUpTo));
        }
        if (timeUpTo != null) {
            sb.append(sb.length() > 0 ? ", " : "").append("TIMEOUT with time x2 up to ").append(time(timeUpTo));
        }
        if (excludeNode) {
            sb.append(sb.length() > 0 ? ", " : "").append("NODE_FAIL away from the node");
        }
        if (preemptedFree) {
            sb.append(sb.length() > 0 ? ", " : "").append("PREEMPTED without counting the attempt");
        }
        return sb.toString();
    }
}
