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
    private final String remedy;

    public ClusterException(Kind kind, String message) {
        this(kind, message, "", null);
    }

    public ClusterException(Kind kind, String message, Throwable cause) {
        this(kind, message, "", cause);
    }

    /** @param remedy for PAUSED: the exact command that brings the cluster back (also in the message) */
    public ClusterException(Kind kind, String message, String remedy, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.remedy = remedy == null ? "" : remedy;
    }

    public Kind kind() {
        return kind;
    }

    /** The exact command that brings a PAUSED cluster back (e.g. {@code ssh -fNM narval}); empty when there is none. */
    public String remedy() {
        return remedy;
    }
}
