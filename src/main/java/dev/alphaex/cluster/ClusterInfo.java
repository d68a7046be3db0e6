package dev.alphaex.cluster;

/**
 * Facts about a cluster read once at start (its first exchange).
 *
 * @param maxArrayIndex the largest array task id the cluster accepts (Slurm: MaxArraySize - 1)
 * @param description   one line for the log (e.g. "Slurm 22.05.8, cluster clustera")
 * @param submitRoom    how many more jobs the account may have queued or running there (Slurm: MaxSubmitJobs minus
 *                      the user's other jobs there; each array task counts as one), or null when nothing limits it
 *                      or the limit is unknown
 * @param limit         one line about that limit for the log ("" when the kind has none to say), e.g.
 *                      "MaxSubmitJobs 1000 (association me/def-me on cedar, QOS normal), 3 other jobs of yours there"
 * @param limitKnown    false when the kind has such a limit but could not read it (no accounting): said at start
 */
public record ClusterInfo(long maxArrayIndex, String description, Integer submitRoom, String limit, boolean limitKnown) {
    public ClusterInfo {
        if (maxArrayIndex < 0) {
            throw new IllegalArgumentException("maxArrayIndex must be 0 or more, got " + maxArrayIndex);
        }
        limit = limit == null ? "" : limit;
    }

    /** Facts without a submit limit. */
    public ClusterInfo(long maxArrayIndex, String description) {
        this(maxArrayIndex, description, null, "", true);
    }
}
