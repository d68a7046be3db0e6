package dev.alphaex.ssh;

/**
 * What the start-up login of one cluster gave ({@link SshSessions#loginOneByOne}).
 *
 * @param alias   the cluster's ssh alias
 * @param outcome logged in, paused or failed
 * @param message one line for the log (for a pause: what to run to bring it back)
 * @param pause   the pause, when {@link Outcome#PAUSED}; else null
 */
public record StartLogin(String alias, Outcome outcome, String message, LoginPausedException pause) {
    /** How the login went. */
    public enum Outcome {
        /** Logged in: the session is kept for the campaign. */
        LOGGED_IN,
        /** Its login asked a question nobody answered, or the answer was rejected: see {@link #pause}. */
        PAUSED,
        /** Another failure (network, key, host key): the message says why; polling retries it as usual. */
        FAILED
    }
}
