package dev.alphaex.slurm;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The limits the scheduler puts on the login user's jobs on one cluster, as {@link SubmitLimitQuery} reads them
 * from accounting. Each array task counts as one job (Alliance: 1000 queued + running per user).
 *
 * @param known          false when accounting did not answer or is absent: nothing is known (plan with the
 *                       configured capacity and say so)
 * @param maxSubmit      at most this many of the user's jobs queued + running (MaxSubmitJobs); empty: no limit
 * @param maxRunning     at most this many running (MaxJobs); empty: no limit
 * @param source         where the limits come from, e.g. "association axb/def-me on clusterb, QOS normal"
 * @param note           why unknown, or what the reader should know (e.g. no association at all); "" if nothing
 */
public record SubmitLimit(boolean known, OptionalLong maxSubmit, OptionalLong maxRunning, String source, String note) {
    public SubmitLimit {
        source = source == null ? "" : source;
        note = note == null ? "" : note;
    }

    static SubmitLimit unknown(String why) {
        return new SubmitLimit(false, OptionalLong.empty(), OptionalLong.empty(), "", why);
    }

    /**
     * The capacity to plan with: {@code capacity}, or the submit limit when that is lower. The limit counts all the
     * user's jobs on the cluster, so pass what is left of it (see {@link #room(long)}) where other jobs run too.
     */
    public long capped(long capacity) {
        return maxSubmit.isPresent() ? Math.min(capacity, maxSubmit.getAsLong()) : capacity;
    }

    /** Room under the submit limit with {@code userJobs} of the user's jobs already queued or running; empty: no limit. */
    public OptionalLong room(long userJobs) {
        return maxSubmit.isPresent() ? OptionalLong.of(Math.max(0, maxSubmit.getAsLong() - userJobs)) : OptionalLong.empty();
    }

    /** The line to print at start when {@code capacity} is above the limit (or the limit is unknown). */
    public Optional<String> warning(String cluster, long capacity) {
        if (!known) {
            return Optional.of(cluster + ": the account's submit limit is unknown (" + note + "); planning with capacity "
                + capacity);
        }
        if (maxSubmit.isPresent() && capacity > maxSubmit.getAsLong()) {
            return Optional.of(cluster + ": capacity " + capacity + " is above the account's submit limit "
                + maxSubmit.getAsLong() + " (" + source + "); planning with " + maxSubmit.getAsLong());
        }
        return Optional.empty();
    }

    /** One line: "MaxSubmitJobs 40, MaxJobs 12 (association ...)", "no submit limit (...)", "unknown (...)". */
    public String describe() {
        if (!known) {
            return "submit limit unknown: " + note;
        }
        String text = (maxSubmit.isPresent() ? "MaxSubmitJobs " + maxSubmit.getAsLong() : "no submit limit")
            + (maxRunning.isPresent() ? ", MaxJobs " + maxRunning.getAsLong() : "")
            + (source.isEmpty() ? "" : " (" + source + ")");
        return note.isEmpty() ? text : text + "; " + note;
    }
}
