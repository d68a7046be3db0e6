package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alphaex.cluster.ClusterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in client against the lab's sshd-mfa (the key, then a TOTP code) when nobody can answer: the
 * controller has no terminal. Attempts are counted in sshd-mfa's own log.
 */
class SecondFactorIT {
    private Lab lab;
    private SshSessions ssh;
    private LoginPauses pauses;
    @TempDir
    Path tmp;

    @BeforeEach
    void open() {
        lab = Lab.require();
        pauses = new LoginPauses(tmp.resolve("paused"), Clock.systemDefaultZone());
        ssh = new SshSessions(SshConfigFile.load(lab.sshConfig), SshSessions.Settings.defaults(),
            Prompter.nobody("the controller has no terminal (test)"), pauses);
    }

    @AfterEach
    void close() {
        ssh.close();
    }

    @Test
    void withoutATerminalTheClusterPausesAfterOneLoginAndIsNotHammered() throws Exception {
        SshdLog log = SshdLog.from(lab.mfaLog());
        ClusterException first = null;
        for (int poll = 0; poll < 30; poll++) { // a poll every few seconds for a while
            try {
                ssh.exec(Lab.MFA, "true");
            } catch (ClusterException e) {
                first = first == null ? e : first;
                LoginPausedException p = LoginPausedException.in(e).orElseThrow();
                assertThat(p.reason()).isEqualTo(PauseReason.NEEDS_SECOND_FACTOR);
                assertThat(p.alias()).isEqualTo(Lab.MFA);
            }
            // the key-only cluster goes on meanwhile
            assertThat(ssh.exec(Lab.A, "echo " + poll).stdout()).isEqualTo(poll + "\n");
        }
        assertThat(first).isNotNull();
        assertThat(first.getMessage())
            .startsWith(Lab.MFA + " paused: its login asks for \"Verification code:\" and the controller has no terminal (test)")
            .contains("next login attempt not before ")
            .contains("at most 3 an hour")
            .contains("ssh -fNM " + Lab.MFA)
            .contains("rm '" + pauses.pauseFile(Lab.MFA) + "'")
            .doesNotContain("\n");
        assertThat(Files.readString(pauses.pauseFile(Lab.MFA))).isEqualTo(first.getMessage() + "\n");
        assertThat(log.settled(SshdLog.KEY_PASSED, Duration.ofSeconds(5))).as("logins that reached the question").isEqualTo(1);
        assertThat(log.count(SshdLog.ANSWER_REJECTED)).as("no wrong answer was ever sent").isZero();
        assertThat(log.count(SshdLog.ANSWER_ACCEPTED)).isZero();
        assertThat(ssh.logins(Lab.MFA)).isZero();
        assertThat(pauses.current(Lab.MFA)).map(LoginPausedException::reason).contains(PauseReason.NEEDS_SECOND_FACTOR);
    }

    @Test
    void removingThePauseFileAllowsOneLoginAtOnce() throws Exception {
        SshdLog log = SshdLog.from(lab.mfaLog());
        assertThatThrownBy(() -> ssh.exec(Lab.MFA, "true")).isInstanceOf(ClusterException.class);
        assertThatThrownBy(() -> ssh.exec(Lab.MFA, "true")).isInstanceOf(ClusterException.class);
        assertThat(log.settled(SshdLog.KEY_PASSED, Duration.ofSeconds(5))).isEqualTo(1);

        Files.delete(pauses.pauseFile(Lab.MFA)); // the user's act
        assertThatThrownBy(() -> ssh.exec(Lab.MFA, "true")).isInstanceOf(ClusterException.class);
        assertThatThrownBy(() -> ssh.exec(Lab.MFA, "true")).isInstanceOf(ClusterException.class);
        assertThat(log.settled(SshdLog.KEY_PASSED, Duration.ofSeconds(5))).as("one act, one login").isEqualTo(2);
        assertThat(pauses.pauseFile(Lab.MFA)).exists();
    }

    @Test
    void atStartEachClusterLogsInOnceAndThePausedOneSaysWhy() {
        SshdLog log = SshdLog.from(lab.mfaLog());
        List<StartLogin> start = ssh.loginOneByOne(List.of(Lab.A, Lab.MFA, Lab.B));
        assertThat(start).extracting(StartLogin::alias).containsExactly(Lab.A, Lab.MFA, Lab.B);
        assertThat(start).extracting(StartLogin::outcome).containsExactly(
            StartLogin.Outcome.LOGGED_IN, StartLogin.Outcome.PAUSED, StartLogin.Outcome.LOGGED_IN);
        assertThat(start.get(1).pause().reason()).isEqualTo(PauseReason.NEEDS_SECOND_FACTOR);
        assertThat(start.get(1).pause().remedy()).isEqualTo("rm '" + pauses.pauseFile(Lab.MFA) + "'");
        assertThat(start.get(1).pause().nextAttempt()).isPresent();
        assertThat(log.count(SshdLog.ANSWER_REJECTED)).isZero();
        assertThat(ssh.logins()).containsEntry(Lab.A, 1).containsEntry(Lab.B, 1);
    }
}
