package dev.alphaex.cli;

import dev.alphaex.camel.StandaloneProperties;
import dev.alphaex.campaign.OperatorView;
import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.ClusterRegistry;
import dev.alphaex.cluster.Transport;
import dev.alphaex.local.LocalClusters;
import dev.alphaex.local.LocalKind;
import dev.alphaex.openssh.OpenSshClusterTransport;
import dev.alphaex.slurm.SlurmKind;
import dev.alphaex.ssh.LoginPauses;
import dev.alphaex.ssh.SshConfigFile;
import dev.alphaex.ssh.SshSessions;
import dev.alphaex.ssh.SshTransport;
import dev.alphaex.ssh.Terminal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * What an operator command works with: the campaign ({@link OperatorView}) with the controller's configuration, and
 * the built-in kinds (local, slurm) and transports (local, ssh, openssh) as routes/alphaex.yaml binds them, each made
 * at its first use. (A kind or transport plugged in as a bean of routes/alphaex.yaml is not known here.) Closing it
 * closes the SSH sessions it opened.
 */
final class Operator implements AutoCloseable {
    final OperatorView view;
    private final LazyTransport ssh;
    private SshSessions sessions;
    private Path pauses;

    Operator(CampaignOptions options) {
        StandaloneProperties props = new StandaloneProperties(options.configFile(), options.overrides());
        String sshConfig = props.apply("alphaex.ssh.config");
        String name = props.apply("campaign.name");
        String dirText = props.apply("campaign.dir");
        Path dir = Path.of(dirText == null || dirText.isBlank() ? "work/" + name : dirText);
        ssh = new LazyTransport(SshTransport.NAME, () -> new SshTransport(sessions(sshConfig)));
        List<Transport> transports = List.of(new LazyTransport(LocalClusters.NAME, () -> new LocalClusters(dir.resolve("local").toString())),
                ssh, new LazyTransport(OpenSshClusterTransport.NAME, () -> new OpenSshClusterTransport(sshConfig)));
        List<ClusterKind> kinds = List.of(new LocalKind(), new SlurmKind());
        view = OperatorView.open(options.configFile(), props, props.placeholders(), ClusterRegistry.of(kinds, transports),
                options.given());
    }

    /**
     * The command's own SSH sessions: questions at login on its terminal; pauses in a folder of its own, so that a
     * command's unanswered login never pauses the controller's cluster (and a command never waits for the controller's
     * pause).
     */
    private SshSessions sessions(String sshConfig) {
        try {
            pauses = Files.createTempDirectory("alphaex-pauses");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path config = sshConfig == null || sshConfig.isBlank() ? Path.of(System.getProperty("user.home"), ".ssh", "config")
                : Path.of(sshConfig);
        sessions = new SshSessions(SshConfigFile.load(config), SshSessions.Settings.defaults(), Terminal.detect(),
                new LoginPauses(pauses, Clock.systemDefaultZone()));
        return sessions;
    }

    /** "me@host, pid 123 (alphaex cancel)": who asked, for the ledger. */
    static String by(String command) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "this host";
        }
        return System.getProperty("user.name") + "@" + host + ", pid " + ProcessHandle.current().pid() + " (alphaex " + command + ")";
    }

    /** A request id: the time and this process. */
    static String requestId(String op) {
        return op + "-" + System.currentTimeMillis() + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    @Override
    public void close() {
        if (sessions != null) {
            sessions.close();
        }
        if (pauses != null) {
            try (var files = Files.list(pauses)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(pauses);
            } catch (IOException e) {
                // a temporary folder
            }
        }
    }
}
