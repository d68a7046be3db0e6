package dev.alphaex.cluster;

/**
 * How the campaign talks to one kind of cluster: it builds the text of each command and reads
 * the answers. The route carries the command to the cluster (camel-ssh for Slurm, the local
 * runner for the local cluster) and hands back a {@link CommandResult}; this keeps every
 * exchange visible in the YAML route and every decision testable without Camel or a network.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface ClusterProtocol {
    /** The command that reads the cluster's static facts, run once per cluster and campaign. */
    String infoCommand();

    ClusterInfo parseInfo(CommandResult result) throws ClusterException;

    /**
     * One round trip that reads this campaign's tasks on the cluster, and with {@link PollRequest#facts()} first
     * its facts (the answer's {@link ClusterSnapshot#info()}).
     */
    String pollCommand(PollRequest request);

    ClusterSnapshot parsePoll(PollRequest request, CommandResult result) throws ClusterException;

    /** The command that submits one array job. Every value in it is quoted for the remote shell. */
    String submitCommand(SubmitRequest request);

    /** The job id the cluster gave the submission. */
    String parseSubmit(SubmitRequest request, CommandResult result) throws ClusterException;

    /**
     * The command that cancels every job carrying the campaign's tag on the cluster (queued and running), in one
     * round trip (Slurm: {@code scancel --name}).
     */
    String cancelCommand(String tag);

    /**
     * Reads the answer of {@link #cancelCommand}.
     *
     * @throws ClusterException when the cluster did not cancel (UNREACHABLE: try again later)
     */
    void parseCancel(String tag, CommandResult result) throws ClusterException;

    /**
     * Whether each array submission carries a throttle of its own ({@link SubmitRequest#throttle()}) that
     * {@link #throttleCommand} changes in place (Slurm). Without, the cluster keeps its running limit itself (the
     * local runner's slots).
     */
    default boolean throttles() {
        return false;
    }

    /** The command that changes the throttle of a queued array to {@code throttle} (1 or more). */
    default String throttleCommand(String jobId, int throttle) {
        throw new UnsupportedOperationException("this kind of cluster has no array throttles");
    }

    /**
     * @throws ClusterException when the cluster did not answer (the throttle may be unchanged) or refused
     */
    default ThrottleOutcome parseThrottle(String jobId, int throttle, CommandResult result) throws ClusterException {
        throw new UnsupportedOperationException("this kind of cluster has no array throttles");
    }

    /**
     * The command that takes queued tasks of array {@code jobId} back without racing a start: a task that has not
     * started never will there, one that has keeps running. Sending it again (a lost answer, a restart) is harmless.
     */
    String takeBackCommand(String jobId, java.util.Collection<Long> taskIds);

    /**
     * @throws ClusterException when what was taken back is unknown (no answer): send the same command again
     */
    TakeBackReport parseTakeBack(String jobId, java.util.Collection<Long> taskIds, CommandResult result) throws ClusterException;
}
