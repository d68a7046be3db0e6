package dev.alphaex.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a cluster's preflight found: its checks in order, and the cluster's facts when the checks read them (Slurm:
 * MaxArraySize), else null.
 */
public record Preflight(List<Check> checks, ClusterInfo info) {
    public Preflight {
        checks = List.copyOf(checks);
    }

    /** True when no check failed: the cluster may get work. */
    public boolean ok() {
        return failures().isEmpty();
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> c.status() == Check.Status.FAIL).toList();
    }

    /** These checks, then {@code more}. */
    public Preflight with(List<Check> more) {
        List<Check> all = new ArrayList<>(checks);
        all.addAll(more);
        return new Preflight(all, info);
    }

    /** "script: ... (fix: ...) | results: ...": the failed checks in one line, for the log. */
    public String failureLine() {
        return failures().stream().map(c -> c.name() + ": " + c.detail() + (c.fix().isEmpty() ? "" : " (fix: " + c.fix() + ")"))
                .collect(Collectors.joining(" | "));
    }
}
