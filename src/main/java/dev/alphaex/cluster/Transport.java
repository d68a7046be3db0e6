package dev.alphaex.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How commands reach a cluster and its logs come back: the built-in SSH client ({@code ssh}), the local runner
 * ({@code local}), the system's OpenSSH over the user's ControlMaster ({@code openssh}). A cluster names its transport with the
 * {@code transport} parameter of its templatedRoute (default: its kind's {@link ClusterKind#defaultTransport()});
 * the engine finds it by that name in the {@link ClusterRegistry} and never names one itself.
 *
 * <p>Failures are {@link ClusterException}s whose kind tells the engine what to do: UNREACHABLE (no answer: the
 * cluster's state is unknown, it is polled again with back-off), PAUSED (a login waits for what only its user
 * can give, e.g. a second factor: the cluster pauses, the others go on, and it resumes when a command works; its
 * {@link ClusterException#remedy()} is the command that brings it back).
 * A transport never retries a failed login by itself in a tight loop. Implementations are thread-safe.
 */
public interface Transport {
    /** The name clusters give in their {@code transport} parameter. */
    String name();

    /**
     * Called once before the first poll, with the addresses of every cluster declared then that uses this
     * transport: the built-in SSH client logs in to each, one after another, so that second-factor questions come
     * in one sitting. Never throws: a cluster that cannot be reached or is paused says so at its first poll.
     */
    default void prepare(List<String> addresses) {
    }

    /**
     * Runs {@code command} (text for the cluster's shell, every value already quoted by the protocol) on the
     * cluster at {@code address} (its kind's {@link ClusterKind#address}) and returns exit status, stdout, stderr.
     *
     * @param timeout the longest the command may take
     */
    CommandResult exec(String address, String command, Duration timeout) throws ClusterException;

    /**
     * Brings the named logs from {@code folder} on the cluster into {@code inbox}, each under a temporary name
     * and then renamed, each once.
     *
     * @return which were fetched, which are not there (yet), and which were already in the inbox (fetched by
     *         a controller that stopped before it could record them)
     */
    LogFetch fetch(String address, String folder, List<String> names, Path inbox) throws ClusterException;

    /**
     * The checks of the way to the cluster at {@code address}, for {@code alphaex doctor}: for SSH the alias resolves,
     * the host key is known, the login works (and whether it asks for a second factor). None where there is no way
     * to check (the local runner). Never throws.
     */
    default List<Check> doctor(String address) {
        return List.of();
    }

    /**
     * Copies local files to the cluster (code sync {@code upload}), each to its path there (relative to the login's
     * home, or absolute): through a temporary name renamed into place, folders created as needed.
     *
     * @param files local file -> its path on the cluster
     * @throws ClusterException UNREACHABLE when the copy failed (nothing half-written is left under a final name);
     *                          REJECTED when the transport cannot copy files
     */
    default void upload(String address, java.util.Map<Path, String> files) throws ClusterException {
        throw new ClusterException(ClusterException.Kind.REJECTED, "transport " + name() + " cannot copy files to a cluster");
    }

    /** What one {@link #fetch} did, by file name. */
    record LogFetch(List<String> fetched, List<String> missing, List<String> present) {
        public LogFetch {
            fetched = List.copyOf(fetched);
            missing = List.copyOf(missing);
            present = List.copyOf(present);
        }
    }
}
