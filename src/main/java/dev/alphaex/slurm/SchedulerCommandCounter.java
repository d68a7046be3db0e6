package dev.alphaex.slurm;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Counts, per cluster and per kind, the scheduler commands a campaign sends (squeue, sacct, sbatch, scontrol,
 * scancel, sacctmgr): at start-up (before the cluster's first poll) and after, per poll period on average and
 * in the busiest period, for the summary at the end (issue 11: at most 4 at start-up and 4 per poll period on
 * average). Clock-driven: the caller passes the instants; thread-safe.
 */
public final class SchedulerCommandCounter {
    /** What one cluster was sent. */
    public record Summary(String cluster, Map<SchedulerCommand, Long> byKind, long total, long startup, long polls,
                          Duration period, double periods, double perPeriod, long busiestPeriod) {
        /**
         * One line, e.g. {@code cluster-a: 412 scheduler commands (squeue 120, sacct 118, sbatch 150, scontrol 20,
         * scancel 3, sacctmgr 1): 3 at start-up, then 3.4 per poll period of 30 s (120 periods, 121 polls; at most 6
         * in one period)}.
         */
        public String line() {
            StringJoiner kinds = new StringJoiner(", ", " (", ")");
            byKind.forEach((k, n) -> kinds.add(k.program() + " " + n));
            String head = cluster + ": " + total + " scheduler command" + (total == 1 ? "" : "s")
                + (total == 0 ? "" : kinds.toString()) + ": " + startup + " at start-up";
            if (polls == 0) {
                return head + ", no poll yet";
            }
            return head + String.format(Locale.ROOT, ", then %.1f per poll period of %s (%.0f period%s, %d poll%s;"
                    + " at most %d in one period)", perPeriod, seconds(period), periods, periods == 1 ? "" : "s",
                polls, polls == 1 ? "" : "s", busiestPeriod);
        }

        private static String seconds(Duration d) {
            long ms = d.toMillis();
            return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
    }

    private static final class Books {
        final Map<SchedulerCommand, Long> byKind = new EnumMap<>(SchedulerCommand.class);
        long total;
        long startup;
        long polls;
        Instant firstPoll;
        Duration bucketWidth;
        /** Commands per period (index since the first poll), the latest few: events may arrive a little out of order. */
        final java.util.TreeMap<Long, Long> recent = new java.util.TreeMap<>();
        long busiest;
    }

    private static final int RECENT_PERIODS = 64;

    private final Map<String, Books> clusters = new LinkedHashMap<>();

    /** Counts the scheduler programs {@code commandLine} runs (see {@link SchedulerCommand#in}), sent at {@code at}. */
    public void sent(String cluster, String commandLine, Instant at) {
        SchedulerCommand.in(commandLine).forEach((kind, n) -> sent(cluster, kind, n, at));
    }

    /** Counts {@code n} commands of one kind sent at {@code at}. */
    public synchronized void sent(String cluster, SchedulerCommand kind, int n, Instant at) {
        if (n < 0) {
            throw new IllegalArgumentException("a negative count: " + n);
        }
        Books b = books(cluster);
        b.byKind.merge(kind, (long) n, Long::sum);
        b.total += n;
        if (b.firstPoll == null || at.isBefore(b.firstPoll)) {
            b.startup += n;
            return;
        }
        long k = Duration.between(b.firstPoll, at).toMillis() / b.bucketWidth.toMillis();
        long inPeriod = b.recent.merge(k, (long) n, Long::sum);
        b.busiest = Math.max(b.busiest, inPeriod);
        while (b.recent.size() > RECENT_PERIODS) {
            b.recent.pollFirstEntry();
        }
    }

    /**
     * A poll of {@code cluster} begins at {@code at}; the first one ends its start-up and starts its periods of
     * {@code period} (the configured poll period).
     */
    public synchronized void pollStarted(String cluster, Instant at, Duration period) {
        if (period == null || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a poll period must be more than zero, got " + period);
        }
        Books b = books(cluster);
        if (b.firstPoll == null) {
            b.firstPoll = at;
            b.bucketWidth = period;
        }
        b.polls++;
    }

    /** The counts of {@code cluster} at {@code now}. */
    public synchronized Summary summary(String cluster, Instant now) {
        Books b = clusters.get(cluster);
        if (b == null) {
            return new Summary(cluster, Map.of(), 0, 0, 0, Duration.ZERO, 0, 0, 0);
        }
        Duration period = b.bucketWidth == null ? Duration.ZERO : b.bucketWidth;
        double periods = 0;
        double perPeriod = 0;
        if (b.firstPoll != null) {
            // the periods begun since the first poll (at least one), so one poll and its commands read as one period
            periods = Math.max(1.0, Math.ceil(Duration.between(b.firstPoll, now).toMillis() / (double) period.toMillis()));
            perPeriod = (b.total - b.startup) / periods;
        }
        return new Summary(cluster, new EnumMap<>(b.byKind), b.total, b.startup, b.polls,
            period, periods, perPeriod, b.busiest);
    }

    /** One line per cluster, in the order they were first counted. */
    public synchronized String lines(Instant now) {
        StringJoiner out = new StringJoiner("\n");
        for (String cluster : clusters.keySet()) {
            out.add(summary(cluster, now).line());
        }
        return out.toString();
    }

    private Books books(String cluster) {
        return clusters.computeIfAbsent(cluster, c -> new Books());
    }
}
