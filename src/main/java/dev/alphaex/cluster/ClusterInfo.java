package dev.alphaex.cluster;

/**
 * Facts about a cluster read once at start.
 *
 * @param maxArrayIndex the largest array task id the cluster accepts (Slurm: MaxArraySize - 1)
 * @param description   one line for the log (e.g. "Slurm 22.05.8, cluster clustera")
 */
public record ClusterInfo(long maxArrayIndex, String description) {
    public ClusterInfo {
        if (maxArrayIndex < 0) {
            throw new IllegalArgumentException("maxArrayIndex must be 0 or more, got " + maxArrayIndex);
        }
    }
}
