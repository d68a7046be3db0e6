package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pause files and lines of a controller, on a clock the test moves; no network. */
class LoginPausesTest {
    /** A clock the test sets. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-06T03:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void pass(Duration d) {
            now = now.plus(d);
        }
    }

    private final TestClock clock = new TestClock();

    @Test
    void aPauseIsOneLineInTheLogAndInItsFileWhoseRemovalIsTheUsersAct(@TempDir Path dir) throws Exception {
        LoginPauses pauses = new LoginPauses(dir, clock);
        pauses.beforeLogin("narval");
        LoginPausedException p = pauses.paused("narval", PauseReason.NEEDS_SECOND_FACTOR,
            "Passcode or option (1-1):", "the controller has no terminal");
        Path file = dir.resolve("narval.paused").toAbsolutePath();
        assertThat(p.getMessage()).isEqualTo("narval paused: its login asks for \"Passcode or option (1-1):\" and the"
            + " controller has no terminal; next login attempt not before 03:20 (at most 3 an hour). To bring it back:"
            + " run the controller in a terminal, or open an OpenSSH master (ssh -fNM narval) and give the cluster"
            + " transport openssh; to try at once: rm '" + file + "'");
        assertThat(p.remedy()).isEqualTo("rm '" + file + "'");
        assertThat(p.nextAttempt()).contains(Instant.parse("2026-12-06T03:20:00Z"));
        assertThat(Files.readString(file)).isEqualTo(p.getMessage() + "\n");

        clock.pass(Duration.ofMinutes(1));
        assertThatThrownBy(() -> pauses.beforeLogin("narval")).isInstanceOf(LoginPausedException.class)
            .hasMessage(p.getMessage());
        Files.delete(file);
        pauses.beforeLogin("narval"); // allowed at once
        pauses.succeeded("narval");
        assertThat(pauses.current("narval")).isEmpty();
        pauses.beforeLogin("narval");
    }

    @Test
    void aRejectedAnswerWaitsForTheUserWhateverTheTime(@TempDir Path dir) throws Exception {
        LoginPauses pauses = new LoginPauses(dir, clock);
        pauses.beforeLogin("fir");
        LoginPausedException p = pauses.paused("fir", PauseReason.ANSWER_REJECTED, "Verification code:", null);
        assertThat(p.getMessage()).isEqualTo("fir paused: the server rejected the answer to \"Verification code:\"; no"
            + " login is tried again until you run: rm '" + dir.resolve("fir.paused").toAbsolutePath()
            + "' (then the controller asks again on its terminal)");
        assertThat(p.nextAttempt()).isEmpty();
        clock.pass(Duration.ofDays(2));
        assertThatThrownBy(() -> pauses.beforeLogin("fir")).isInstanceOfSatisfying(LoginPausedException.class,
            e -> assertThat(e.reason()).isEqualTo(PauseReason.ANSWER_REJECTED));
        assertThat(pauses.current("fir")).map(LoginPausedException::reason).contains(PauseReason.ANSWER_REJECTED);
    }

    @Test
    void aLoginThatWorksRemovesThePauseFile(@TempDir Path dir) throws Exception {
        LoginPauses pauses = new LoginPauses(dir, clock);
        pauses.beforeLogin("a/b c");
        pauses.paused("a/b c", PauseReason.NEEDS_SECOND_FACTOR, "", "nobody answered");
        Path file = pauses.pauseFile("a/b c");
        assertThat(file.getFileName().toString()).isEqualTo("a_b_c.paused");
        assertThat(file).exists();
        clock.pass(LoginPolicy.MIN_GAP);
        pauses.beforeLogin("a/b c");
        pauses.succeeded("a/b c");
        assertThat(file).doesNotExist();
    }

    @Test
    void withoutAWritablePauseFolderTheLineSaysToRestartInstead(@TempDir Path dir) throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        LoginPauses pauses = new LoginPauses(notADir, clock);
        pauses.beforeLogin("nibi");
        LoginPausedException p = pauses.paused("nibi", PauseReason.ANSWER_REJECTED, "Code:", null);
        assertThat(p.getMessage()).contains("[cannot write " + notADir.resolve("nibi.paused").toAbsolutePath())
            .endsWith("restart the controller instead]");
        assertThatThrownBy(() -> pauses.beforeLogin("nibi")).as("a missing file is no act when it was never written")
            .isInstanceOf(LoginPausedException.class);
    }
}
