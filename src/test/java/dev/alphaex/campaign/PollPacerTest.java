package dev.alphaex.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PollPacerTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration PERIOD = Duration.ofSeconds(30);

    private static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    @Test
    void firstPollIsDueAtOnce() {
        PollPacer p = new PollPacer(PERIOD);
        assertThat(p.due(T0)).isTrue();
        assertThat(p.next()).isNull();
        assertThat(p.waitFrom(T0)).isZero();
    }

    /** A quick poll (0.4 s): the configured period decides; the next one is 30 s after this one began. */
    @Test
    void quickPollsFollowTheConfiguredPeriod() {
        PollPacer p = new PollPacer(PERIOD);
        p.polled(at(0), at(0.4));
        assertThat(p.next()).isEqualTo(at(30));
        assertThat(p.due(at(29.999))).isFalse();
        assertThat(p.due(at(30))).isTrue();
        assertThat(p.waitFrom(at(10))).isEqualTo(Duration.ofSeconds(20));
    }

    /** slurmctld took 9 s to answer: the next poll waits 5 x 9 = 45 s from this one's start. */
    @Test
    void slowPollsStretchTheInterval() {
        PollPacer p = new PollPacer(PERIOD);
        p.polled(at(0), at(9));
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.next()).isEqualTo(at(45));
        assertThat(p.due(at(30))).isFalse();
        // and it comes back to the period once polls are quick again
        p.polled(at(45), at(45.2));
        assertThat(p.next()).isEqualTo(at(75));
    }

    @Test
    void neverShorterThanThePeriodNorThanFiveTimesTheLastPoll() {
        for (double d : new double[] {0, 0.1, 1, 5.9, 6, 6.1, 20, 120}) {
            Duration last = Duration.ofMillis(Math.round(d * 1000));
            Duration i = PollPacer.interval(PERIOD, last);
            assertThat(i).as("after a poll of %s s", d).isGreaterThanOrEqualTo(PERIOD).isGreaterThanOrEqualTo(last.multipliedBy(5));
            assertThat(i).isEqualTo(last.multipliedBy(5).compareTo(PERIOD) > 0 ? last.multipliedBy(5) : PERIOD);
        }
    }

    /** A clock that stepped back between start and end does not make the poll count as negative (or shorten anything). */
    @Test
    void clockSteppedBackCountsAsAnInstantPoll() {
        PollPacer p = new PollPacer(PERIOD);
        p.polled(at(10), at(9));
        assertThat(p.lastDuration()).isZero();
        assertThat(p.next()).isEqualTo(at(40));
    }

    @Test
    void periodChangedWhileRunning() {
        PollPacer p = new PollPacer(PERIOD);
        p.polled(at(0), at(1));
        p.period(Duration.ofSeconds(60));
        assertThat(p.next()).isEqualTo(at(60));
        assertThatThrownBy(() -> p.period(Duration.ZERO)).hasMessageContaining("more than zero");
        assertThatThrownBy(() -> new PollPacer(Duration.ofSeconds(-1))).hasMessageContaining("more than zero");
    }
}
