package dev.alphaex.campaign;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a task's later attempts ask of a cluster instead of the cluster's own parameters: more memory ({@code mem}),
 * more time ({@code time}), and nodes to keep away from, per cluster ({@code exclude}: cluster -> comma list of
 * nodes). Set by a retry that changes resources ({@link ResourceRetry}, {@code alphaex retry --time x2}); the ledger
 * records it with the retry and with every submission that uses it. Empty fields are not set.
 *
 * @param mem     sbatch --mem for the next attempts, or null (the cluster's)
 * @param time    sbatch --time for the next attempts, or null (the cluster's)
 * @param exclude per cluster, the nodes its later attempts avoid (sbatch --exclude there), or empty
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Resources(String mem, String time, Map<String, String> exclude) {
    public Resources {
        mem = mem == null || mem.isBlank() ? null : mem.trim();
        time = time == null || time.isBlank() ? null : time.trim();
        exclude = exclude == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(exclude));
    }

    /** Nothing changed: the cluster's own parameters. */
    public static final Resources NONE = new Resources(null, null, Map.of());

    @JsonIgnore
    public boolean isNone() {
        return mem == null && time == null && exclude.isEmpty();
    }

    /** What a submission to {@code cluster} asks instead of the cluster's own: mem, time, and its excluded nodes. */
    public Resources on(String cluster) {
        String nodes = exclude.get(cluster);
        return new Resources(mem, time, nodes == null ? Map.of() : Map.of(cluster, nodes));
    }

    public Resources withMem(String m) {
        return new Resources(m, time, exclude);
    }

    public Resources withTime(String t) {
        return new Resources(mem, t, exclude);
    }

    /** These, with {@code node} also kept away from on {@code cluster}. */
    public Resources excluding(String cluster, String node) {
        Map<String, String> out = new LinkedHashMap<>(exclude);
        String before = out.get(cluster);
        if (before == null) {
            out.put(cluster, node);
        } else if (!java.util.Arrays.asList(before.split(",")).contains(node)) {
            out.put(cluster, before + "," + node);
        }
        return new Resources(mem, time, out);
    }

    /** The scheduler options of a submission to {@code cluster}: the cluster's, with these in place of mem and time, and exclude. */
    public Map<String, String> options(String cluster, Map<String, String> clusterOptions) {
        Map<String, String> out = new LinkedHashMap<>();
        clusterOptions.forEach((k, v) -> {
            if (!k.equals("extra")) {
                out.put(k, v);
            }
        });
        if (mem != null) {
            out.put("mem", mem);
        }
        if (time != null) {
            out.put("time", time);
        }
        String nodes = exclude.get(cluster);
        if (nodes != null) {
            out.put("exclude", nodes);
        }
        if (clusterOptions.containsKey("extra")) {
            out.put("extra", clusterOptions.get("extra"));
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (mem != null) {
            sb.append("mem ").append(mem);
        }
        if (time != null) {
            sb.append(sb.length() > 0 ? ", " : "").append("time ").append(time);
        }
        exclude.forEach((c, n) -> sb.append(sb.length() > 0 ? ", " : "").append("exclude ").append(n).append(" on ").append(c));
        return sb.length() == 0 ? "the cluster's own" : sb.toString();
    }
}
