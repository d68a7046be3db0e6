package dev.alphaex.ssh;

import java.time.Instant;
import java.util.Optional;

/**
 * A cluster that only its user can bring back: its login needs an answer nobody can give here, the server
 * rejected the answer, or (OpenSSH transport) no master connection runs. Nothing was retried; the message is
 * the one line to show, and {@link #remedy()} the exact command that brings the cluster back.
 *
 * <p>The built-in client ({@link SshSessions}) reports it as the cause of the {@code ClusterException} it
 * throws (find it with {@link #in(Throwable)}); the OpenSSH transport throws it directly.
 */
public final class LoginPausedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String alias;
    private final PauseReason reason;
    private final String remedy;
    private final transient Instant nextAttempt;

    /**
     * @param alias       the cluster's ssh alias
     * @param reason      why it is paused
     * @param message     the one line for the log (what happened and what to run)
     * @param remedy      the command that brings it back (e.g. {@code ssh -fNM narval})
     * @param nextAttempt when the next login attempt may be made by itself, or null: only after the user acts
     */
    public LoginPausedException(String alias, PauseReason reason, String message, String remedy, Instant nextAttempt) {
        super(message);
        this.alias = alias;
        this.reason = reason;
        this.remedy = remedy;
        this.nextAttempt = nextAttempt;
    }

    public String alias() {
        return alias;
    }

    public PauseReason reason() {
        return reason;
    }

    /** The exact command that brings the cluster back. */
    public String remedy() {
        return remedy;
    }

    /** When a login will be tried again without the user, if ever. */
    public Optional<Instant> nextAttempt() {
        return Optional.ofNullable(nextAttempt);
    }

    /** The pause in {@code error} or its causes, if any. */
    public static Optional<LoginPausedException> in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof LoginPausedException p) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
