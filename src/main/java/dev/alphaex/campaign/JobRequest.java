package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.ClusterPaths;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.sweep.Sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where an array submission's request is made, from the campaign's configuration and the cluster's
 * paths and options: the controller submits it ({@link Dispatch}) and {@code alphaex plan} prints its command
 * line ({@link DryRun}), so the dry run shows exactly what a poll would send.
 */
final class JobRequest {
    private JobRequest() {
    }

    /**
     * @param options the cluster's scheduler options, with the resources of the indices' next attempts in place
     *                ({@link Resources#options})
     * @param throttle at most this many of its tasks run at once (0: no throttle of its own)
     */
    static SubmitRequest of(CampaignConfig config, String tag, ArrayRanges.Chunk chunk, ClusterPaths paths, Map<String, String> options,
                            int throttle) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ALPHAEX_CAMPAIGN", config.settings.name());
        env.put("ALPHAEX_BASE", Long.toString(chunk.base()));
        env.put("ALPHAEX_RESULTS", paths.results());
        Sweep sweep = config.sweep;
        if (sweep != null) {
            if (paths.sweep() != null) {
                env.put("ALPHAEX_SWEEP", paths.sweep());
            }
            env.put("ALPHAEX_TOTAL", Long.toString(sweep.total()));
        }
        env.putAll(config.exports);
        List<Long> indices = new ArrayList<>();
        for (long i : chunk.indices()) {
            indices.add(i);
        }
        return new SubmitRequest(tag, indices, chunk.base(), chunk.array(), paths.script(), config.args, env, paths.workDir(), options, throttle);
    }

    /**
     * Splits a planned submission so that each part asks one set of resources: indices whose next attempts ask other
     * memory, time or excluded nodes on {@code cluster} go in submissions of their own (lowest index first kept). The
     * parts' throttles add up to at most the submission's (a part left without a running slot waits for a later plan).
     */
    static List<Planner.Submission> byResources(Planner.Submission planned, LedgerState state, String cluster, long maxArrayIndex,
                                                int maxTasks) {
        ArrayRanges.Chunk c = planned.chunk();
        if (!state.anyResources()) {
            return List.of(planned);
        }
        Map<Resources, List<Long>> groups = new LinkedHashMap<>();
        for (long i : c.indices()) {
            groups.computeIfAbsent(state.get(i).resources.on(cluster), r -> new ArrayList<>()).add(i);
        }
        if (groups.size() == 1) {
            return List.of(planned);
        }
        List<Planner.Submission> out = new ArrayList<>();
        int slots = planned.throttle();
        for (List<Long> g : groups.values()) {
            for (ArrayRanges.Chunk part : ArrayRanges.chunk(g.stream().mapToLong(Long::longValue).toArray(), maxArrayIndex, maxTasks)) {
                if (planned.throttle() == 0) {
                    out.add(new Planner.Submission(part, 0));
                } else if (slots > 0) {
                    int t = Math.min(slots, part.indices().length);
                    slots -= t;
                    out.add(new Planner.Submission(part, t));
                }
            }
        }
        return out;
    }

    /** The resources a submission of {@code chunk} to {@code cluster} asks (every index of it asks the same). */
    static Resources resources(LedgerState state, ArrayRanges.Chunk chunk, String cluster) {
        return state.get(chunk.indices()[0]).resources.on(cluster);
    }
}
