package dev.alphaex.openssh;

/**
 * A command of the OpenSSH transport that gave no usable answer: it could not run, or it did not finish
 * within its time limit (it was killed). The cluster's state is then unknown. A cluster that only its
 * user can bring back is reported as {@link dev.alphaex.ssh.LoginPausedException} instead.
 */
public final class OpenSshException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind { FAILED, TIMED_OUT }

    private final Kind kind;

    public OpenSshException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
