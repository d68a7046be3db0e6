package dev.alphaex.codesync;

/**
 * A code sync that must not go on: a dirty tree, a checkout at another commit, a commit the repository does not
 * have. The message says what was found and what to do; nothing was changed on the cluster.
 */
public final class SyncRefused extends Exception {
    private static final long serialVersionUID = 1L;

    public SyncRefused(String message) {
        super(message);
    }
}
