package dev.alphaex.cluster;

/**
 * Where one cluster's jobs run and write, as they see it, and where the log fetch looks.
 *
 * @param workDir   the folder jobs are submitted from
 * @param script    the job script (relative to workDir, or absolute)
 * @param results   the folder jobs write {@code <index>.csv} to (ALPHAEX_RESULTS; relative: to workDir)
 * @param fetchFrom the same folder as the transport's {@link Transport#fetch} sees it
 * @param sweep     the sweep file as the jobs see it (ALPHAEX_SWEEP), or null when they cannot
 */
public record ClusterPaths(String workDir, String script, String results, String fetchFrom, String sweep) {
}
