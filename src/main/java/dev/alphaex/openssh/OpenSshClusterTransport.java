package dev.alphaex.openssh;

import dev.alphaex.cluster.Check;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.Transport;
import dev.alphaex.ssh.LoginPausedException;
import dev.alphaex.ssh.RemoteFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@link OpenSshTransport} as the cluster transport named {@code openssh} (a cluster's {@code transport}
 * parameter): commands and log fetches through the system's ssh and sftp over the user's ControlMaster. No live
 * master is the cluster's pause ({@code PAUSED}, the message names the command that starts one); a command that
 * could not run or ran past its limit is UNREACHABLE.
 */
public final class OpenSshClusterTransport implements Transport {
    /** The transport's name. */
    public static final String NAME = "openssh";

    private final OpenSshTransport ssh;

    /** @param sshConfig the ssh config passed as {@code -F} (alphaex.ssh.config), or blank: OpenSSH's own */
    public OpenSshClusterTransport(String sshConfig) {
        this(new OpenSshTransport(OpenSshTransport.Settings.defaults(sshConfig == null || sshConfig.isBlank() ? null
                : Path.of(sshConfig))));
    }

    OpenSshClusterTransport(OpenSshTransport ssh) {
        this.ssh = ssh;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CommandResult exec(String alias, String command, Duration timeout) throws ClusterException {
        try {
            OpenSshTransport.Result r = ssh.exec(alias, command, timeout);
            return new CommandResult(r.exitCode(), r.stdout(), r.stderr());
        } catch (LoginPausedException e) {
            throw new ClusterException(ClusterException.Kind.PAUSED, e.getMessage(), e.remedy(), e);
        } catch (OpenSshException e) {
            throw new ClusterException(ClusterException.Kind.UNREACHABLE, e.getMessage(), e);
        }
    }

    @Override
    public LogFetch fetch(String alias, String folder, List<String> names, Path inbox) throws ClusterException {
        try {
            RemoteFiles.Fetch f = ssh.fetch(alias, folder, names, inbox);
            return new LogFetch(f.fetched(), f.missing(), f.present());
        } catch (LoginPausedException e) {
            throw new ClusterException(ClusterException.Kind.PAUSED, e.getMessage(), e.remedy(), e);
        } catch (OpenSshException e) {
            throw new ClusterException(ClusterException.Kind.UNREACHABLE, e.getMessage(), e);
        }
    }

    /** The master connection runs (OpenSSH does the rest: alias, host key, second factor). */
    @Override
    public List<Check> doctor(String alias) {
        try {
            ssh.checkMaster(alias);
            return List.of(Check.ok("login", "an OpenSSH master connection runs for " + alias + " (ssh -O check)"));
        } catch (LoginPausedException e) {
            return List.of(Check.fail("login", e.getMessage(), e.remedy()));
        } catch (OpenSshException e) {
            return List.of(Check.fail("login", e.getMessage(), "try it by hand: ssh -O check " + alias));
        }
    }

    @Override
    public void upload(String alias, Map<Path, String> files) throws ClusterException {
        try {
            ssh.upload(alias, files);
        } catch (LoginPausedException e) {
            throw new ClusterException(ClusterException.Kind.PAUSED, e.getMessage(), e);
        } catch (OpenSshException e) {
            throw new ClusterException(ClusterException.Kind.UNREACHABLE, e.getMessage(), e);
        }
    }
}
