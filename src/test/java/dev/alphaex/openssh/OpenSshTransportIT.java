package dev.alphaex.openssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alphaex.ssh.ControlMasters;
import dev.alphaex.ssh.Lab;
import dev.alphaex.ssh.LoginPausedException;
import dev.alphaex.ssh.PauseReason;
import dev.alphaex.ssh.RemoteFiles;
import dev.alphaex.ssh.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenSSH transport on the lab's second-factor cluster, over a master the test opens as a user would
 * (answering the TOTP code once on a terminal). Logins are counted in sshd-mfa's own log.
 */
class OpenSshTransportIT {
    private static final String M = Lab.MFA_CM;
    private Lab lab;
    private OpenSshTransport ssh;
    @TempDir
    Path inbox;

    @BeforeEach
    void open() {
        lab = Lab.require();
        ssh = new OpenSshTransport(OpenSshTransport.Settings.defaults(lab.sshConfig));
    }

    @AfterEach
    void closeMaster() throws Exception {
        ControlMasters.close(lab, M);
    }

    private int logins(String since) {
        return (int) since.lines().filter(l -> l.contains("Partial publickey for ")).count();
    }

    @Test
    void commandsAndFetchesRideOnTheMasterWithoutAnotherLogin() throws Exception {
        ControlMasters.open(lab, M);
        long mark = Files.size(lab.mfaLog());
        for (int i = 0; i < 20; i++) {
            assertThat(ssh.exec(M, "echo $USER:" + i + "; echo err >&2; exit 3"))
                .isEqualTo(new OpenSshTransport.Result(3, "axm:" + i + "\n", "err\n"));
        }
        String value = "it's $HOME `id` \"q\" \\ ; & | *";
        assertThat(ssh.exec(M, "printf %s " + Shell.quote(value)).stdout()).isEqualTo(value);
        assertThat(ssh.exec(M, "echo $SLURM_CONF").stdout()).isEqualTo(lab.env.get("AX_LAB_M_SLURM_CONF") + "\n");

        String dir = "it-openssh-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<String> odd = List.of("odd name;$(x).csv", "star*.csv", "q\"uote'.csv", "back\\slash.csv", "[1].csv");
        StringBuilder make = new StringBuilder("mkdir -p " + Shell.quote(dir) + " && cd " + Shell.quote(dir)
            + " && seq 1 20000 > 0.csv && printf 'a,b\\n1,2\\n' > 1.csv && printf x > star-not-me.csv");
        for (String n : odd) {
            make.append(" && printf %s ").append(Shell.quote(n)).append(" > ").append(Shell.quote(n));
        }
        assertThat(ssh.exec(M, make.toString()).exitCode()).isZero();

        RemoteFiles.Fetch first = ssh.fetch(M, dir, List.of("0.csv", "1.csv", "7.csv"), inbox);
        assertThat(first.fetched()).containsExactly("0.csv", "1.csv");
        assertThat(first.missing()).containsExactly("7.csv");
        assertThat(first.present()).isEmpty();
        assertThat(Files.readString(inbox.resolve("1.csv"))).isEqualTo("a,b\n1,2\n");
        assertThat(Files.size(inbox.resolve("0.csv"))).isEqualTo(Long.parseLong(
            ssh.exec(M, "stat -c %s " + Shell.quote(dir) + "/0.csv").stdout().strip()));

        RemoteFiles.Fetch again = ssh.fetch(M, "~/" + dir + "/", Stream.concat(Stream.of("0.csv", "1.csv"), odd.stream()).toList(), inbox);
        assertThat(again.present()).as("already here: not fetched twice").containsExactly("0.csv", "1.csv");
        assertThat(again.fetched()).as("each name exactly, never as a pattern").containsExactlyElementsOf(odd);
        for (String n : odd) {
            assertThat(Files.readString(inbox.resolve(n))).isEqualTo(n);
        }
        try (Stream<Path> left = Files.list(inbox)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left")
                .noneMatch(n -> n.startsWith(".")).doesNotContain("star-not-me.csv");
        }
        ssh.exec(M, "rm -rf " + Shell.quote(dir));
        Thread.sleep(300);
        assertThat(logins(since(mark))).as("zero authentications besides the user's master").isZero();
    }

    @Test
    void aDeadMasterPausesTheClusterWithTheCommandThatStartsOneAndANewMasterResumesIt() throws Exception {
        ControlMasters.open(lab, M);
        assertThat(ssh.exec(M, "echo up").stdout()).isEqualTo("up\n");
        ControlMasters.kill(lab, M); // its socket stays behind, as after a crash
        long mark = Files.size(lab.mfaLog());
        String start = "rm -f '" + lab.keys.resolve("cm-axm@127.0.0.1:" + lab.mfaPort()) + "' && ssh -F " + lab.sshConfig
            + " -fNM " + M;
        for (int poll = 0; poll < 10; poll++) {
            assertThatThrownBy(() -> ssh.exec(M, "echo up"))
                .isInstanceOfSatisfying(LoginPausedException.class, p -> {
                    assertThat(p.reason()).isEqualTo(PauseReason.NO_CONTROL_MASTER);
                    assertThat(p.remedy()).isEqualTo(start);
                    assertThat(p.nextAttempt()).isEmpty();
                })
                .hasMessageStartingWith(M + " paused: no OpenSSH master connection runs for it (none answers at its ControlPath ")
                .hasMessageEndingWith("start one (it asks for the second factor there): " + start);
        }
        assertThatThrownBy(() -> ssh.fetch(M, "results", List.of("0.csv"), inbox)).isInstanceOf(LoginPausedException.class);
        Thread.sleep(300);
        assertThat(logins(since(mark))).as("no login was tried without the master").isZero();

        ControlMasters.run(lab, M, List.of("sh", "-c", start)); // the user runs the command the message gave
        assertThat(ssh.exec(M, "echo back").stdout()).isEqualTo("back\n");
        Thread.sleep(300);
        assertThat(logins(since(mark))).as("the user's new master only").isEqualTo(1);
    }

    @Test
    void aCommandPastItsLimitIsKilledAndTheMasterGoesOn() throws Exception {
        ControlMasters.open(lab, M);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ssh.exec(M, "sleep 30", Duration.ofMillis(800)))
            .isInstanceOfSatisfying(OpenSshException.class, e -> assertThat(e.kind()).isEqualTo(OpenSshException.Kind.TIMED_OUT))
            .hasMessageContaining("did not finish within 800 ms; killed").hasMessageContaining("sleep 30");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(ssh.exec(M, "echo ok").stdout()).isEqualTo("ok\n");
    }

    @Test
    void anAliasWithoutControlPathPausesWithWhatToAddAndNeverConnects() throws Exception {
        Path sshdLog = Path.of(lab.env.get("AX_LAB_DIR"), "log", "sshd.log");
        long mark = Files.size(sshdLog);
        assertThatThrownBy(() -> ssh.exec(Lab.A, "true"))
            .isInstanceOfSatisfying(LoginPausedException.class, p -> assertThat(p.reason()).isEqualTo(PauseReason.NO_CONTROL_MASTER))
            .hasMessageContaining(Lab.A + " paused: its ssh config " + lab.sshConfig + " gives it no ControlPath")
            .hasMessageContaining("ControlMaster auto, ControlPath ~/.ssh/cm-%r@%h:%p, ControlPersist 10m")
            .hasMessageEndingWith("then start one: ssh -F " + lab.sshConfig + " -fNM " + Lab.A);
        Thread.sleep(300);
        assertThat(Files.readString(sshdLog).substring((int) mark)).as("not even a TCP connection").doesNotContain("Connection from");
    }

    private String since(long mark) throws Exception {
        return Files.readString(lab.mfaLog()).substring((int) mark);
    }
}
