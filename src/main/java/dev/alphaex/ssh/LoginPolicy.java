package dev.alphaex.ssh;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * When a paused cluster's next login may be tried: pure, driven by the instants it is given (no clock, no
 * network), one instance per cluster. Failed logins on sites with a second factor can lock the account, so:
 * <ul>
 *   <li>not paused: every login may be tried (a login that fails without a question, e.g. the network or
 *       a refused key, pauses nothing: the engine's back-off handles those);</li>
 *   <li>{@link PauseReason#NEEDS_SECOND_FACTOR} (a question nobody answered): at most
 *       {@value #MAX_ATTEMPTS_PER_HOUR} logins in any hour, counting the one that paused it, and at least
 *       {@link #MIN_GAP} (20 min) apart;</li>
 *   <li>{@link PauseReason#ANSWER_REJECTED}: no login at all until the user acts;</li>
 *   <li>the user's act ({@link #userActed}) allows one login at once, whatever the reason;</li>
 *   <li>a login that works ends the pause and forgets its count.</li>
 * </ul>
 * Thread-safe.
 */
public final class LoginPolicy {
    /** Logins tried in any hour while paused for an unanswered question (the one that paused it included). */
    public static final int MAX_ATTEMPTS_PER_HOUR = 3;
    /** The window of {@link #MAX_ATTEMPTS_PER_HOUR}. */
    public static final Duration WINDOW = Duration.ofHours(1);
    /** Least time between two logins while paused for an unanswered question. */
    public static final Duration MIN_GAP = WINDOW.dividedBy(MAX_ATTEMPTS_PER_HOUR);

    private PauseReason reason;
    private final Deque<Instant> attempts = new ArrayDeque<>();
    private Instant actedAt;

    public synchronized boolean paused() {
        return reason != null;
    }

    /** Why it is paused, or null. */
    public synchronized PauseReason reason() {
        return reason;
    }

    /** The earliest instant (now or later) a login may be tried; empty while it waits for the user. */
    public synchronized Optional<Instant> nextAttempt(Instant now) {
        if (reason == null || actedAt != null) {
            return Optional.of(now);
        }
        if (reason != PauseReason.NEEDS_SECOND_FACTOR) {
            return Optional.empty();
        }
        forgetBefore(now.minus(WINDOW));
        Instant next = now;
        if (!attempts.isEmpty()) {
            next = later(next, attempts.peekLast().plus(MIN_GAP));
        }
        if (attempts.size() >= MAX_ATTEMPTS_PER_HOUR) {
            next = later(next, attempts.peekFirst().plus(WINDOW));
        }
        return Optional.of(next);
    }

    public synchronized boolean mayAttempt(Instant now) {
        return nextAttempt(now).map(t -> !t.isAfter(now)).orElse(false);
    }

    /** A login is being tried now (it uses up the user's act, if any). */
    public synchronized void attempting(Instant now) {
        if (reason != null) {
            attempts.addLast(now);
        }
        actedAt = null;
    }

    /** The login tried at {@code at} failed for {@code why}: paused (again). */
    public synchronized void failed(PauseReason why, Instant at) {
        if (reason == null) {
            attempts.clear();
            attempts.addLast(at); // the login that pauses it counts
        }
        reason = why;
    }

    /** The login failed for another reason (network, key): a pause stays as it is. */
    public synchronized void failedOther() {
        // nothing to change: the attempt was counted by attempting()
    }

    /** A login worked: not paused any more. */
    public synchronized void succeeded() {
        reason = null;
        attempts.clear();
        actedAt = null;
    }

    /** The user asked for a login now (e.g. removed the pause file): the next login may be tried at once. */
    public synchronized void userActed(Instant at) {
        if (reason != null) {
            actedAt = at;
        }
    }

    private void forgetBefore(Instant limit) {
        while (!attempts.isEmpty() && !attempts.peekFirst().isAfter(limit)) {
            attempts.removeFirst();
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
