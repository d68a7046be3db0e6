package dev.alphaex.slurm;

import dev.alphaex.slurm.DoctorCheck.Status;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@link SlurmDoctor} found on one cluster: every check in a fixed order, and the facts it read on the way.
 *
 * @param checks       programs, slurmctld, squeue, sacct, limit, workDir, script, results, sweep, java
 * @param slurmVersion e.g. "22.05.8"; "" when slurmctld did not answer
 * @param clusterName  Slurm's ClusterName; "" when unknown
 * @param maxArraySize MaxArraySize (task ids up to MaxArraySize - 1); 0 when unknown
 * @param limit        the submit limit (unknown when accounting did not answer)
 * @param userJobs     the login user's jobs (array tasks) in squeue by state, e.g. {RUNNING=12, PENDING=40}
 */
public record DoctorReport(List<DoctorCheck> checks, String slurmVersion, String clusterName, long maxArraySize,
                           SubmitLimit limit, Map<String, Long> userJobs) {
    public DoctorReport {
        checks = List.copyOf(checks);
        userJobs = Map.copyOf(userJobs);
    }

    /** True when no check failed: the cluster may get work. */
    public boolean ok() {
        return failures().isEmpty();
    }

    public List<DoctorCheck> failures() {
        return checks.stream().filter(c -> c.status() == Status.FAIL).toList();
    }

    public Optional<DoctorCheck> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The user's jobs queued or running (what MaxSubmitJobs counts). */
    public long userJobsTotal() {
        return userJobs.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * One line for the log: "cluster-a: ready (Slurm 22.05.8, cluster clustera, MaxArraySize 100001; 2 warnings:
     * script, limit)" or "cluster-a: 2 checks failed: script: ...; fix: ...; results: ...".
     */
    public String summary(String alias) {
        List<DoctorCheck> failed = failures();
        if (!failed.isEmpty()) {
            return alias + ": " + failed.size() + " check" + (failed.size() == 1 ? "" : "s") + " failed: "
                + failed.stream().map(c -> c.name() + ": " + c.detail() + (c.fix().isEmpty() ? "" : "; fix: " + c.fix()))
                    .collect(Collectors.joining(" | "));
        }
        List<String> warned = checks.stream().filter(c -> c.status() == Status.WARN).map(DoctorCheck::name).toList();
        return alias + ": ready (Slurm " + slurmVersion + ", cluster " + clusterName + ", MaxArraySize " + maxArraySize
            + (warned.isEmpty() ? "" : "; " + warned.size() + " warning" + (warned.size() == 1 ? "" : "s") + ": "
                + String.join(", ", warned)) + ")";
    }
}
