package dev.alphaex.campaign;

import java.time.Duration;
import java.time.Instant;

/**
 * When a cluster's next poll is due: never sooner than the configured period after the last poll began, and
 * never sooner than {@value #FACTOR} times that poll's own duration (the slurm-users list's advice, which
 * Snakemake's executor follows), so that a slurmctld slow to answer is asked less often. Pure and clock-driven:
 * the caller passes every instant; thread-safe.
 *
 * <p>squeue(1), PERFORMANCE: "Do not run squeue or other Slurm client commands that send remote procedure calls
 * to slurmctld from loops in shell scripts or other programs." The Alliance: "Do not run sq or squeue from a
 * script or program at high frequency (e.g. every few seconds)."
 */
public final class PollPacer {
    /** The next poll waits at least this many times the last poll's duration. */
    public static final int FACTOR = 5;

    private Duration period;
    private Instant lastStart;
    private Duration lastDuration = Duration.ZERO;

    /** @param period the configured period, more than zero */
    public PollPacer(Duration period) {
        this.period = checkPeriod(period);
    }

    /** max(period, {@value #FACTOR} x lastPoll): the time from one poll's start to the next one's. */
    public static Duration interval(Duration period, Duration lastPoll) {
        Duration paced = (lastPoll.isNegative() ? Duration.ZERO : lastPoll).multipliedBy(FACTOR);
        return paced.compareTo(period) > 0 ? paced : period;
    }

    /** Records a poll that began at {@code started} and answered (or failed) at {@code ended}. */
    public synchronized void polled(Instant started, Instant ended) {
        Duration d = Duration.between(started, ended);
        lastStart = started;
        lastDuration = d.isNegative() ? Duration.ZERO : d; // a clock stepped back: count it as instant
    }

    /** A new configured period (e.g. a routes file edited while the campaign runs); the next poll follows it. */
    public synchronized void period(Duration newPeriod) {
        period = checkPeriod(newPeriod);
    }

    /** The configured period. */
    public synchronized Duration period() {
        return period;
    }

    /** The time between the last poll's start and the next one's, as things stand. */
    public synchronized Duration interval() {
        return interval(period, lastDuration);
    }

    /** The last poll's own duration (zero before the first). */
    public synchronized Duration lastDuration() {
        return lastDuration;
    }

    /** When the next poll is due; {@code null} before the first poll (due at once). */
    public synchronized Instant next() {
        return lastStart == null ? null : lastStart.plus(interval());
    }

    /** True when a poll may begin at {@code now}. */
    public synchronized boolean due(Instant now) {
        Instant next = next();
        return next == null || !now.isBefore(next);
    }

    /** How long from {@code now} until the next poll is due (zero when it is due). */
    public synchronized Duration waitFrom(Instant now) {
        Instant next = next();
        if (next == null || !now.isBefore(next)) {
            return Duration.ZERO;
        }
        return Duration.between(now, next);
    }

    private static Duration checkPeriod(Duration period) {
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a poll period must be more than zero, got " + period);
        }
        return period;
    }
}
