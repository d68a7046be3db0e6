package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in client with a terminal: a controller JVM started on a real pseudo-terminal
 * (MfaControllerMain), answered like a user would, with the TOTP code of the lab's sshd-mfa.
 * Authentications are counted in sshd-mfa's own log.
 */
class SecondFactorPtyIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private Lab lab;
    @TempDir
    Path tmp;

    @BeforeEach
    void lab() {
        lab = Lab.require();
    }

    private Pty controller(String scenario, String... jvmOptions) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
            "-Dalphaex.lab.keys=" + lab.keys,
            // the controller's own logging (INFO), not the tests' (WARN)
            "-Dlog4j2.configurationFile=" + Path.of("src/main/resources/log4j2.properties").toAbsolutePath(),
            MfaControllerMain.class.getName(), tmp.resolve("paused").toString(), scenario));
        cmd.addAll(1, List.of(jvmOptions));
        return Pty.start(cmd);
    }

    @Test
    void oneAnswerPerSessionShownAsTheServerAsksAndNeverEchoed() throws Exception {
        SshdLog log = SshdLog.from(lab.mfaLog());
        try (Pty pty = controller("session")) {
            pty.await("PROMPTER Terminal", WAIT);
            pty.await("\\[alphaex\\] cluster-a-mfa \\(axm@127\\.0\\.0\\.1:" + lab.mfaPort() + "\\) asks:\\r?\\n", WAIT);
            pty.await("Verification code: ", WAIT);
            String code = lab.freshTotp();
            pty.type(code);
            pty.await("START cluster-a-mfa LOGGED_IN", WAIT);
            pty.await("START cluster-a LOGGED_IN", WAIT);
            pty.await("LOGINS \\{cluster-a=1, cluster-a-mfa=1\\}", WAIT);
            // the session dropped: its new login asks again, on the same terminal
            pty.await("DROPPED", WAIT);
            pty.await("Verification code: ", WAIT);
            String second = lab.freshTotp();
            pty.type(second);
            pty.await("BACK axm \\{cluster-a=1, cluster-a-mfa=2\\}", WAIT);
            assertThat(pty.waitFor(WAIT)).isZero();
            assertThat(pty.screen()).as("echo was off: the codes never showed").doesNotContain(code).doesNotContain(second);
        }
        assertThat(log.settled(SshdLog.ANSWER_ACCEPTED, Duration.ofSeconds(5))).as("one answer per session").isEqualTo(2);
        assertThat(log.count(SshdLog.KEY_PASSED)).isEqualTo(2);
        assertThat(log.count(SshdLog.ANSWER_REJECTED)).isZero();
    }

    @Test
    void aWrongCodeIsOneClearMessageAndNoRetryUntilThePauseFileIsRemoved() throws Exception {
        SshdLog log = SshdLog.from(lab.mfaLog());
        Path pauseFile = tmp.resolve("paused").resolve(Lab.MFA + ".paused");
        try (Pty pty = controller("poll")) {
            pty.await("Verification code: ", WAIT);
            pty.type(lab.wrongTotp());
            String line = pty.await("cluster-a-mfa paused: [^\\r\\n]*", WAIT);
            assertThat(line).contains("the server rejected the answer to \"Verification code:\"")
                .contains("no login is tried again until you run: rm '" + pauseFile.toAbsolutePath() + "'");
            pty.await("START cluster-a-mfa PAUSED ANSWER_REJECTED", WAIT);
            pty.await("REFUSED ANSWER_REJECTED", WAIT);
            Thread.sleep(3000); // ~15 polls meanwhile: none may log in
            assertThat(log.settled(SshdLog.ANSWER_REJECTED, Duration.ofSeconds(5))).as("the wrong code, once").isEqualTo(1);
            assertThat(log.count(SshdLog.KEY_PASSED)).as("one login, no retry").isEqualTo(1);
            assertThat(pty.screen().split("Verification code: ", -1)).as("asked once").hasSize(2);

            Files.delete(pauseFile); // the user's act
            pty.await("cluster-a-mfa: .*cluster-a-mfa.paused was removed: trying a login now", WAIT);
            pty.await("Verification code: ", WAIT);
            pty.type(lab.freshTotp());
            pty.await("cluster-a-mfa: logged in again; no longer paused", WAIT);
            pty.await("RESUMED axm after \\d+ refused polls", WAIT);
            assertThat(pty.waitFor(WAIT)).isZero();
        }
        assertThat(log.settled(SshdLog.ANSWER_ACCEPTED, Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(log.count(SshdLog.ANSWER_REJECTED)).isEqualTo(1);
        assertThat(log.count(SshdLog.KEY_PASSED)).isEqualTo(2);
        assertThat(pauseFile).doesNotExist();
    }

    @Test
    void aQuestionNobodyAnswersInTimePausesTheClusterAndALateLineIsNoAnswer() throws Exception {
        SshdLog log = SshdLog.from(lab.mfaLog());
        Path pauseFile = tmp.resolve("paused").resolve(Lab.MFA + ".paused");
        try (Pty pty = controller("poll", "-Dalphaex.ssh.answerSeconds=3")) {
            pty.await("Verification code: ", WAIT);
            pty.await("no answer within 3 s: cluster-a-mfa is not logged in", WAIT);
            String line = pty.await("cluster-a-mfa paused: [^\\r\\n]*", WAIT);
            assertThat(line).contains("its login asks for \"Verification code:\" and nobody answered on the terminal within 3 s")
                .contains("next login attempt not before").contains("to try at once: rm '" + pauseFile.toAbsolutePath() + "'");
            pty.await("START cluster-a-mfa PAUSED NEEDS_SECOND_FACTOR", WAIT);
            pty.type("999999"); // typed too late: thrown away, never sent as the next answer
            Thread.sleep(1000);
            String code = lab.freshTotp(); // before the question: it may wait for a code not used yet, and 3 s is short
            Files.delete(pauseFile);
            pty.await("Verification code: ", WAIT);
            pty.type(code);
            pty.await("RESUMED axm after \\d+ refused polls", WAIT);
            assertThat(pty.waitFor(WAIT)).isZero();
        }
        assertThat(log.settled(SshdLog.ANSWER_ACCEPTED, Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(log.count(SshdLog.ANSWER_REJECTED)).as("no answer was ever sent but the right one").isZero();
        assertThat(log.count(SshdLog.KEY_PASSED)).isEqualTo(2);
    }
}
