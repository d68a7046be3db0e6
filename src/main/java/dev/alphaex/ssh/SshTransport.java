package dev.alphaex.ssh;

import dev.alphaex.cluster.Check;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.Transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The built-in SSH client as a cluster {@link Transport} named {@code ssh}: commands on the cluster's one reused
 * session ({@link SshSessions}), logs over SFTP on the same session ({@link RemoteFiles}). The address is the
 * cluster's ssh config alias. A login that waits for a second factor nobody answers ({@link LoginPausedException})
 * is the cluster's pause ({@code PAUSED}); the login policy ({@link LoginPauses}) decides when one is tried again.
 */
public final class SshTransport implements Transport {
    /** The transport's name, the default of Slurm clusters. */
    public static final String NAME = "ssh";

    private final SshSessions sessions;
    private final RemoteFiles files;

    public SshTransport(SshSessions sessions) {
        this.sessions = sessions;
        this.files = new RemoteFiles(sessions);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Logs in to each alias, one after another: second-factor questions come in one sitting. */
    @Override
    public void prepare(List<String> aliases) {
        sessions.loginOneByOne(aliases);
    }

    @Override
    public CommandResult exec(String alias, String command, Duration timeout) throws ClusterException {
        try {
            return sessions.exec(alias, command, timeout);
        } catch (ClusterException e) {
            throw paused(e);
        }
    }

    @Override
    public LogFetch fetch(String alias, String folder, List<String> names, Path inbox) throws ClusterException {
        try {
            RemoteFiles.Fetch f = files.fetch(alias, folder, names, inbox);
            return new LogFetch(f.fetched(), f.missing(), f.present());
        } catch (ClusterException e) {
            throw paused(e);
        }
    }

    /** The alias, its host key, the login and whether it asks a second factor ({@link SshDoctor}). */
    @Override
    public List<Check> doctor(String alias) {
        return SshDoctor.check(sessions, alias);
    }

    /** Over SFTP on the cluster's session ({@link RemoteFiles#upload}). */
    @Override
    public void upload(String alias, Map<Path, String> files) throws ClusterException {
        try {
            this.files.upload(alias, files);
        } catch (ClusterException e) {
            throw paused(e);
        }
    }

    /** A failure whose cause is a paused login is the cluster's pause (PAUSED), not "unreachable". */
    private static ClusterException paused(ClusterException e) {
        return LoginPausedException.in(e).map(p -> new ClusterException(ClusterException.Kind.PAUSED, p.getMessage(), p.remedy(), e)).orElse(e);
    }
}
