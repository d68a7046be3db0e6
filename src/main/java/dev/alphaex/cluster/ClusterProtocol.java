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
}
