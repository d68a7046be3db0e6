package dev.alphaex.cluster;

import java.util.List;
import java.util.Map;

/**
 * One array job to submit.
 *
 * @param tag        the campaign's tag, the job's name
 * @param indices    the indices, ascending
 * @param base       the task ids are {@code index - base}; exported as ALPHAEX_BASE
 * @param array      the task ids in array syntax, e.g. "0-99,105,200-210"
 * @param script     the job script (a path on the cluster, relative to {@code workDir} or absolute)
 * @param args       arguments to the script
 * @param env        variables the job gets (ALPHAEX_CAMPAIGN, ALPHAEX_BASE, the campaign's exports),
 *                   in order; values are arbitrary text and must reach the job verbatim
 * @param workDir    the folder to submit from (the cluster's project folder)
 * @param options    per-cluster scheduler options (Slurm: account, partition, time, mem, gres, extra)
 * @param throttle   at most this many of the array's tasks run at once (Slurm: {@code --array=...%N}); 0: no limit
 *                   of its own (a kind without throttles, {@link ClusterProtocol#throttles()}, ignores it)
 */
public record SubmitRequest(String tag, List<Long> indices, long base, String array, String script, List<String> args,
                            Map<String, String> env, String workDir, Map<String, String> options, int throttle) {
    /** An array without a throttle. */
    public SubmitRequest(String tag, List<Long> indices, long base, String array, String script, List<String> args,
                         Map<String, String> env, String workDir, Map<String, String> options) {
        this(tag, indices, base, array, script, args, env, workDir, options, 0);
    }

    public SubmitRequest {
        if (throttle < 0) {
            throw new IllegalArgumentException("a throttle is 0 (none) or more, got " + throttle);
        }
        indices = List.copyOf(indices);
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }
}
