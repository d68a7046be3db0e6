package dev.alphaex.cluster;

/**
 * One kind of cluster (Slurm, the local runner): what only that kind knows, as Nextflow's executors keep only
 * their scheduler's specifics. The engine finds a kind by the {@code kind} parameter of a cluster's
 * templatedRoute in the {@link ClusterRegistry}; adding a kind is a class that implements this and a bean of
 * it, without a change to the engine.
 */
public interface ClusterKind {
    /** The name clusters give in their {@code kind} parameter. */
    String name();

    /** The transport a cluster of this kind uses when it names none. */
    String defaultTransport();

    /** The commands and answers for one cluster of this kind (pure: no network, no clock). */
    ClusterProtocol protocol(ClusterSettings cluster);

    /**
     * Checks what this kind requires of a definition, before the cluster gets any work.
     *
     * @throws IllegalArgumentException naming where the value was given ({@link ClusterSettings#where()} or
     *                                  {@link JobDefaults#scriptWhere()}) and what to do
     */
    void check(ClusterSettings cluster, JobDefaults defaults);

    /** Where the cluster's jobs run, write their logs and find the sweep, and where the logs are fetched from. */
    ClusterPaths paths(ClusterSettings cluster, JobDefaults defaults);

    /** The address the transport reaches the cluster by (Slurm: its ssh alias; the local runner: its name). */
    String address(ClusterSettings cluster);

    /**
     * Whether a completed task's log may become visible late (a shared file system): then it is looked for
     * again before it is recorded missing; otherwise a log not there is missing at once.
     */
    boolean logsMayLag();

    /** Where a task's own output is, added to the reason of a task that ended badly; "" when the reason says it. */
    String outputOf(ClusterSettings cluster, String jobId, long taskId);

    /**
     * Where a task's stdout and stderr are, for {@code alphaex status}: {@link #outputOf(ClusterSettings, String, long)}
     * unless the kind knows more with the campaign's defaults (the local kind: the files under the campaign folder).
     */
    default String outputOf(ClusterSettings cluster, JobDefaults defaults, String jobId, long taskId) {
        return outputOf(cluster, jobId, taskId);
    }

    /**
     * The cluster's own preflight (doctor) as ONE command for its transport, changing nothing there; null when the
     * kind checks everything from here ({@link #doctor} is then called without an answer).
     */
    default String doctorCommand(ClusterSettings cluster, ClusterPaths paths, DoctorInput input) {
        return null;
    }

    /**
     * The checks, from the answer to {@link #doctorCommand} (null when it gave none), with the cluster's facts when
     * they were read.
     *
     * @throws ClusterException UNREACHABLE when the answer is cut short
     */
    default Preflight doctor(ClusterSettings cluster, ClusterPaths paths, DoctorInput input, CommandResult answer)
            throws ClusterException {
        return new Preflight(java.util.List.of(), null);
    }

    /** The ms between polls of a cluster whose {@code period} parameter is not given. */
    default long defaultPeriodMillis() {
        return 2000;
    }

    /**
     * Keeps the books of the commands one cluster of this kind is sent (a Slurm cluster: its scheduler commands, for
     * the summary at the end); one meter per cluster. None by default.
     */
    default CommandMeter meter(ClusterSettings cluster) {
        return CommandMeter.NONE;
    }
}
