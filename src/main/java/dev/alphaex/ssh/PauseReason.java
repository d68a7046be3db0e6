package dev.alphaex.ssh;

/**
 * Why a cluster's logins are paused: each is a state that only the user can end, and trying again
 * without them would only add failed logins (which can lock the account on a site with a second factor).
 */
public enum PauseReason {
    /**
     * The login asked a keyboard-interactive question (a second factor) that nobody answered: the controller
     * has no terminal (nohup, CI, a service), runs in its terminal's background, or nobody answered in time.
     */
    NEEDS_SECOND_FACTOR,
    /** The server rejected the answer given to its question (a wrong or expired code, a denied push). */
    ANSWER_REJECTED,
    /** The OpenSSH transport has no live master connection (ControlMaster) to run commands over. */
    NO_CONTROL_MASTER
}
