package dev.alphaex.cluster;

import java.time.Instant;
import java.util.List;

/**
 * What one poll asks a cluster.
 *
 * @param tag         the campaign's tag: every job of the campaign carries it as its name
 * @param accountJobs jobs whose tasks may have left the queue since the last poll: look them up in
 *                    the cluster's accounting (Slurm: sacct -j, chunked)
 * @param since       when the campaign began: accounting queries start there (Slurm: sacct -S)
 * @param byTag       also list every job carrying the tag since {@code since} (after a restart, to
 *                    find a submission whose answer was lost)
 * @param facts       also read the cluster's facts ({@link ClusterInfo}) in the same round trip: the first poll
 */
public record PollRequest(String tag, List<String> accountJobs, Instant since, boolean byTag, boolean facts) {
    public PollRequest {
        accountJobs = List.copyOf(accountJobs);
    }

    /** A poll that does not ask for the cluster's facts. */
    public PollRequest(String tag, List<String> accountJobs, Instant since, boolean byTag) {
        this(tag, accountJobs, since, byTag, false);
    }
}
