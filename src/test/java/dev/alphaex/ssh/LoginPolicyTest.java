package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pause policy, driven by a clock the test moves: no network, no sleeping. */
class LoginPolicyTest {
    private static final Instant T0 = Instant.parse("2026-12-06T03:00:00Z");

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void aClusterThatIsNotPausedMayAlwaysLogIn() {
        LoginPolicy p = new LoginPolicy();
        assertThat(p.paused()).isFalse();
        assertThat(p.nextAttempt(T0)).contains(T0);
        p.attempting(T0);
        p.failedOther();
        assertThat(p.mayAttempt(T0)).as("a login that failed without a question (network, key) pauses nothing").isTrue();
    }

    @Test
    void anUnansweredQuestionAllowsAtMostThreeLoginsAnHourTwentyMinutesApart() {
        LoginPolicy p = new LoginPolicy();
        p.attempting(T0);
        p.failed(PauseReason.NEEDS_SECOND_FACTOR, T0);
        assertThat(p.reason()).isEqualTo(PauseReason.NEEDS_SECOND_FACTOR);
        // a poll every 2 s for two hours: count the logins the policy lets through
        List<Instant> allowed = new ArrayList<>(List.of(T0));
        for (Instant now = T0; now.isBefore(at(120)); now = now.plusSeconds(2)) {
            if (p.mayAttempt(now)) {
                p.attempting(now);
                allowed.add(now);
                p.failed(PauseReason.NEEDS_SECOND_FACTOR, now);
            }
        }
        assertThat(allowed).containsExactly(T0, at(20), at(40), at(60), at(80), at(100));
        for (Instant t : allowed) {
            assertThat(allowed.stream().filter(a -> !a.isBefore(t) && a.isBefore(t.plus(LoginPolicy.WINDOW))))
                .as("logins in the hour from %s", t).hasSizeLessThanOrEqualTo(LoginPolicy.MAX_ATTEMPTS_PER_HOUR);
        }
        assertThat(p.nextAttempt(at(100))).contains(at(120));
    }

    @Test
    void aRejectedAnswerAllowsNoLoginUntilTheUserActs() {
        LoginPolicy p = new LoginPolicy();
        p.attempting(T0);
        p.failed(PauseReason.ANSWER_REJECTED, T0);
        assertThat(p.nextAttempt(at(1))).isEmpty();
        assertThat(p.mayAttempt(at(60 * 24))).as("a day later: still waiting for the user").isFalse();
        p.userActed(at(60 * 24));
        assertThat(p.mayAttempt(at(60 * 24))).isTrue();
        p.attempting(at(60 * 24));
        assertThat(p.mayAttempt(at(60 * 24))).as("one act, one login").isFalse();
        p.failed(PauseReason.ANSWER_REJECTED, at(60 * 24));
        assertThat(p.nextAttempt(at(60 * 25))).isEmpty();
    }

    @Test
    void theUsersActAllowsOneLoginAtOnceEvenWhileWaitingForTheNextSlot() {
        LoginPolicy p = new LoginPolicy();
        p.attempting(T0);
        p.failed(PauseReason.NEEDS_SECOND_FACTOR, T0);
        assertThat(p.mayAttempt(at(5))).isFalse();
        p.userActed(at(5));
        assertThat(p.nextAttempt(at(5))).contains(at(5));
        p.attempting(at(5));
        p.failed(PauseReason.NEEDS_SECOND_FACTOR, at(5));
        assertThat(p.nextAttempt(at(6))).contains(at(25));
    }

    @Test
    void aLoginThatWorksEndsThePause() {
        LoginPolicy p = new LoginPolicy();
        p.attempting(T0);
        p.failed(PauseReason.NEEDS_SECOND_FACTOR, T0);
        p.attempting(at(20));
        p.succeeded();
        assertThat(p.paused()).isFalse();
        assertThat(p.mayAttempt(at(20))).isTrue();
        // a later pause starts counting afresh
        p.attempting(at(30));
        p.failed(PauseReason.NEEDS_SECOND_FACTOR, at(30));
        assertThat(p.nextAttempt(at(30))).contains(at(50));
    }

    @Test
    void aNetworkFailureDuringAPauseKeepsThePauseAndCounts() {
        LoginPolicy p = new LoginPolicy();
        p.attempting(T0);
        p.failed(PauseReason.NEEDS_SECOND_FACTOR, T0);
        p.attempting(at(20));
        p.failedOther();
        assertThat(p.reason()).isEqualTo(PauseReason.NEEDS_SECOND_FACTOR);
        assertThat(p.nextAttempt(at(21))).contains(at(40));
    }

    @Test
    void aRejectionOutranksAnUnansweredQuestion() {
        LoginPolicy p = new LoginPolicy();
        p.attempting(T0);
        p.failed(PauseReason.ANSWER_REJECTED, T0);
        p.userActed(at(1));
        p.attempting(at(1));
        p.failed(PauseReason.NEEDS_SECOND_FACTOR, at(1));
        assertThat(p.reason()).isEqualTo(PauseReason.NEEDS_SECOND_FACTOR);
        assertThat(p.nextAttempt(at(2))).as("the user acted; nobody answered: the hourly budget applies")
            .isEqualTo(Optional.of(at(21)));
    }
}
