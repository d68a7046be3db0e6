package dev.alphaex.cluster;

/**
 * A command on a cluster that did not give a usable answer. {@link #kind()} tells the engine what
 * to do: {@code UNREACHABLE} (no answer: the cluster's state is unknown, retry with back-off),
 * {@code BUSY} (the cluster refused for load or a limit: back off, reconcile before resubmitting),
 * {@code REJECTED} (the cluster refused this request for good: e.g. an invalid sbatch option),
 * {@code PAUSED} (a login waits for what only its user can give, e.g. a second factor nobody can answer here:
 * the cluster pauses, the others go on, and it resumes when a command works; never retried in a tight loop).
 */
public class ClusterException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What the failure means for the campaign. */
    public enum Kind { UNREACHABLE, BUSY, REJECTED, PAUSED }

    private final Kind kind;

    public ClusterException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ClusterException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
