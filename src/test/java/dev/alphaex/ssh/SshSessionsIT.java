package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.CommandResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SshSessions against the lab's real OpenSSH server (start it first: .ci/slurm-lab/start.sh). */
class SshSessionsIT {
    private Lab lab;
    private final List<SshSessions> opened = new ArrayList<>();
    @TempDir
    Path tmp;

    @BeforeEach
    void lab() {
        lab = Lab.require();
    }

    @AfterEach
    void close() {
        opened.forEach(SshSessions::close);
    }

    private SshSessions open(Path config, SshSessions.Settings settings) {
        SshSessions s = new SshSessions(SshConfigFile.load(config), settings);
        opened.add(s);
        return s;
    }

    @Test
    void manyCommandsOnBothClustersNeedOneLoginEach() throws Exception {
        SshSessions ssh = open(lab.sshConfig, SshSessions.Settings.defaults());
        for (int i = 0; i < 20; i++) {
            CommandResult a = ssh.exec(Lab.A, "echo $USER:" + i + "; echo err >&2; exit 3");
            assertThat(a).isEqualTo(new CommandResult(3, lab.env.get("AX_LAB_A_USER") + ":" + i + "\n", "err\n"));
            assertThat(ssh.exec(Lab.B, "echo $SLURM_CONF").stdout()).isEqualTo(lab.env.get("AX_LAB_B_SLURM_CONF") + "\n");
        }
        assertThat(ssh.logins(Lab.A)).isEqualTo(1);
        assertThat(ssh.logins(Lab.B)).isEqualTo(1);
        assertThat(ssh.host(Lab.A).port()).isEqualTo(lab.sshPort());
    }

    @Test
    void proxyJumpReachesAClusterThroughAnotherLogin() throws Exception {
        // cluster-a-jump: cluster-a's account, reached through cluster-b's login (ssh -J); both hops'
        // host keys are checked against known_hosts
        SshSessions ssh = open(lab.sshConfig, SshSessions.Settings.defaults());
        for (int i = 0; i < 3; i++) {
            assertThat(ssh.exec("cluster-a-jump", "echo $USER").stdout()).isEqualTo(lab.env.get("AX_LAB_A_USER") + "\n");
        }
        assertThat(ssh.logins("cluster-a-jump")).isEqualTo(1);
        assertThat(ssh.host("cluster-a-jump").proxyJump()).isEqualTo(Lab.B);
    }

    @Test
    void aPassphraseProtectedKeyIsUsedThroughTheAgentThatHoldsIt() throws Exception {
        // cluster-a-agent: IdentityFile is encrypted with a passphrase nobody knows; only the lab's
        // ssh-agent (IdentityAgent in the config) can sign with it
        SshSessions ssh = open(lab.sshConfig, SshSessions.Settings.defaults());
        assertThat(ssh.exec("cluster-a-agent", "echo $USER").stdout()).isEqualTo(lab.env.get("AX_LAB_A_USER") + "\n");
        assertThat(ssh.exec("cluster-a-agent", "echo again").stdout()).isEqualTo("again\n");
        assertThat(ssh.logins("cluster-a-agent")).isEqualTo(1);
    }

    @Test
    void aPassphraseProtectedKeyWithoutAnAgentIsRefusedWithWhatToDo() throws Exception {
        Path config = tmp.resolve("ssh_config_no_agent");
        Files.writeString(config, "Host no-agent\n  HostName 127.0.0.1\n  Port " + lab.sshPort() + "\n  User "
            + lab.env.get("AX_LAB_A_USER") + "\n  IdentityAgent " + tmp.resolve("no-such-agent.sock") + "\n  IdentityFile "
            + lab.keys.resolve("id_ed25519_agent") + "\n  IdentitiesOnly yes\n  UserKnownHostsFile "
            + lab.keys.resolve("known_hosts") + "\n  StrictHostKeyChecking yes\n");
        SshSessions ssh = open(config, SshSessions.Settings.defaults());
        assertThatThrownBy(() -> ssh.exec("no-agent", "true"))
            .isInstanceOf(ClusterException.class)
            .hasMessageContaining("cannot log in")
            .hasMessageContaining(lab.keys.resolve("id_ed25519_agent").toString())
            .hasMessageContaining("passphrase")
            .hasMessageContaining("ssh-add");
    }

    @Test
    void aDroppedConnectionIsReestablishedOnTheNextCommand() throws Exception {
        SshSessions ssh = open(lab.sshConfig, SshSessions.Settings.defaults());
        assertThat(ssh.exec(Lab.A, "true").exitCode()).isZero();
        // kill the server side of the connection (the sshd process serving this session)
        assertThatThrownBy(() -> ssh.exec(Lab.A, "kill -9 $PPID", Duration.ofSeconds(5)))
            .hasMessageContaining("dropped while running");
        Thread.sleep(300);
        assertThat(ssh.exec(Lab.A, "echo back").stdout()).isEqualTo("back\n");
        assertThat(ssh.logins(Lab.A)).isEqualTo(2);
    }

    @Test
    void aCommandOverItsTimeLimitIsCutAndTheSessionGoesOn() throws Exception {
        SshSessions ssh = open(lab.sshConfig, SshSessions.Settings.defaults());
        ssh.exec(Lab.A, "true");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ssh.exec(Lab.A, "sleep 30", Duration.ofMillis(800)))
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
            .hasMessageContaining("did not finish within 800 ms").hasMessageContaining("sleep 30");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(ssh.exec(Lab.A, "echo ok").stdout()).isEqualTo("ok\n");
        assertThat(ssh.logins(Lab.A)).isEqualTo(1);
    }

    @Test
    void anUnknownHostKeyIsRefusedWithTheFingerprintAndHowToTrustIt() throws Exception {
        Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
        Path config = lab.configWith(tmp, "stranger", "UserKnownHostsFile " + empty);
        SshSessions ssh = open(config, SshSessions.Settings.defaults());
        assertThatThrownBy(() -> ssh.exec("stranger", "true"))
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
            .hasMessageContaining("host key of [127.0.0.1]:" + lab.sshPort() + " (ssh alias stranger) is not in " + empty)
            .hasMessageContaining("ssh-ed25519 key SHA256:")
            .hasMessageContaining("ssh-keyscan -p " + lab.sshPort() + " 127.0.0.1 >> " + empty)
            .hasMessageContaining("ssh stranger");
        assertThat(ssh.logins("stranger")).isZero();
        assertThat(Files.readString(empty)).isEmpty();
    }

    @Test
    void aChangedHostKeyIsRefusedEvenWhenNewKeysWouldBeAccepted() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        KeyPair other = gen.generateKeyPair(); // the lab's host key is ed25519: any other key stands for a changed one
        String line = "[127.0.0.1]:" + lab.sshPort() + " " + PublicKeyEntry.toString(other.getPublic()) + "\n";
        Path known = Files.writeString(tmp.resolve("known_hosts"), line);
        Path config = lab.configWith(tmp, "moved", "UserKnownHostsFile " + known, "StrictHostKeyChecking accept-new");
        SshSessions ssh = open(config, SshSessions.Settings.defaults());
        assertThatThrownBy(() -> ssh.exec("moved", "true"))
            .hasMessageContaining("has CHANGED")
            .hasMessageContaining("ssh-keygen -R '[127.0.0.1]:" + lab.sshPort() + "' -f " + known);
        assertThat(Files.readString(known)).isEqualTo(line);
    }

    @Test
    void acceptNewTrustsAndRemembersAnUnknownKey() throws Exception {
        Path known = tmp.resolve("known_hosts");
        Path config = lab.configWith(tmp, "fresh", "UserKnownHostsFile " + known, "StrictHostKeyChecking accept-new");
        SshSessions ssh = open(config, SshSessions.Settings.defaults());
        assertThat(ssh.exec("fresh", "echo hi").stdout()).isEqualTo("hi\n");
        assertThat(Files.readString(known)).contains("[127.0.0.1]:" + lab.sshPort() + " ssh-ed25519 ");
    }

    @Test
    void aClosedPortFailsFast() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free now: nothing listens there after the close
        }
        Path config = lab.configWith(tmp, "down", "Port " + port);
        SshSessions ssh = open(config, SshSessions.Settings.defaults());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ssh.exec("down", "true"))
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
            .hasMessageContaining("cannot connect to down (").hasMessageContaining(":" + port);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    /** A "hung login node": the TCP connection is accepted but the server never speaks. */
    @Test
    void aServerThatNeverAnswersFailsWithinTheLoginTimeLimit() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException done) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // closing
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path config = lab.configWith(tmp, "hung", "Port " + silent.getLocalPort());
            SshSessions ssh = open(config, SshSessions.Settings.defaults().withConnectTimeout(Duration.ofSeconds(2))
                .withLogin(Duration.ofMillis(1500)));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> ssh.exec("hung", "true"))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
                .hasMessageContaining("cannot log in to hung");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
    }
}
