package dev.alphaex.ssh.camel;

import dev.alphaex.ssh.SshConfigFile;
import dev.alphaex.ssh.SshSessions;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * Camel component {@code alphaex-ssh:ALIAS[?timeout=MS]}: runs the message body as a command on the
 * cluster named by its OpenSSH config alias, over one reused SSH session per alias ({@link SshSessions}),
 * and answers like camel-ssh: body = stdout, headers {@code CamelSshStderr} and {@code CamelSshExitValue}.
 *
 * <p>Why not camel-ssh itself (4.17.0): its producer ({@code SshHelper.sendExecCommand}) connects,
 * authenticates and closes the session in every exchange, waits for the command with no time limit
 * ({@code waitFor(CLOSED, 0)}), passes the URI's port (22) over the config's Port and sends a null
 * password when no {@code certResource} is given. Its pluggable {@code ClientBuilder} only decides how
 * the {@code SshClient} is built; reusing a session through it would mean a client whose
 * {@code connect()} hands out a proxy session that ignores {@code close()} and {@code auth()} — relying
 * on the helper's internals, and still without a command timeout. This component keeps camel-ssh's
 * result headers and its {@code timeout} option (here the limit of each command, since the login
 * happens once per session under the pool's own limits) over MINA SSHD, the client camel-ssh uses.
 *
 * <p>Configuration (component options, e.g. {@code camel.component.alphaex-ssh.ssh-config}):
 * {@code sshConfig} (default ~/.ssh/config), {@code connectTimeout}, {@code loginTimeout},
 * {@code commandTimeout} (ms). Or bind one {@link SshSessions} bean in the registry (or set
 * {@link #setSessions}): then all routes and the SFTP fetch share its sessions.
 */
public class ClusterSshComponent extends DefaultComponent {
    private SshSessions sessions;
    private boolean ownSessions;
    private String sshConfig;
    private long connectTimeout = SshSessions.Settings.defaults().connectTimeout().toMillis();
    private long loginTimeout = SshSessions.Settings.defaults().loginTimeout().toMillis();
    private long commandTimeout; // 0: the sessions' default

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank() || remaining.contains("/") || remaining.contains("@")) {
            throw new IllegalArgumentException("alphaex-ssh needs the cluster's ssh config alias, e.g. alphaex-ssh:cluster-a"
                + " (user, host and port come from the ssh config), got '" + remaining + "' in " + uri);
        }
        ClusterSshEndpoint endpoint = new ClusterSshEndpoint(uri, this, remaining);
        Object timeout = parameters.remove("timeout");
        if (timeout != null) {
            long ms = getCamelContext().getTypeConverter().mandatoryConvertTo(Long.class, timeout);
            if (ms <= 0) {
                throw new IllegalArgumentException("timeout must be a positive number of ms, got " + timeout + " in " + uri);
            }
            endpoint.setTimeout(ms);
        }
        Set<String> unknown = parameters.keySet();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown alphaex-ssh option(s) " + unknown + " in " + uri
                + " (known: timeout)");
        }
        return endpoint;
    }

    /** The session pool: the one set or bound in the registry, else one made from this component's options. */
    public synchronized SshSessions getSessions() {
        if (sessions == null) {
            SshSessions bound = getCamelContext() == null ? null
                : getCamelContext().getRegistry().findSingleByType(SshSessions.class);
            if (bound != null) {
                sessions = bound;
            } else {
                Path file = sshConfig == null || sshConfig.isBlank()
                    ? Paths.get(System.getProperty("user.home"), ".ssh", "config") : Paths.get(sshConfig);
                sessions = new SshSessions(SshConfigFile.load(file), new SshSessions.Settings(
                    Duration.ofMillis(connectTimeout), Duration.ofMillis(loginTimeout),
                    commandTimeout > 0 ? Duration.ofMillis(commandTimeout) : SshSessions.Settings.defaults().commandTimeout(),
                    SshSessions.FAST_KEX));
                ownSessions = true;
            }
        }
        return sessions;
    }

    public synchronized void setSessions(SshSessions sessions) {
        this.sessions = sessions;
        this.ownSessions = false;
    }

    public String getSshConfig() {
        return sshConfig;
    }

    /** Path of the OpenSSH client config that names the clusters (default ~/.ssh/config). */
    public void setSshConfig(String sshConfig) {
        this.sshConfig = sshConfig;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getLoginTimeout() {
        return loginTimeout;
    }

    public void setLoginTimeout(long loginTimeout) {
        this.loginTimeout = loginTimeout;
    }

    public long getCommandTimeout() {
        return commandTimeout;
    }

    /** Default limit of one command (ms) for endpoints without {@code timeout}; 0: the sessions' own default. */
    public void setCommandTimeout(long commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (ownSessions && sessions != null) {
            sessions.close();
            sessions = null;
        }
        super.doStop();
    }
}
