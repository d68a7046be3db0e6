package dev.alphaex.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paused clusters of one controller: a {@link LoginPolicy} per ssh alias, the line that says why a cluster
 * paused and what to run (the message of its {@link LoginPausedException}, which the caller logs: once per pause in
 * a campaign), the log lines when the user acted and when it is back, and the pause file the user removes to act.
 *
 * <p>When a login pauses a cluster, {@code DIR/<alias>.paused} is written with the line. <b>The user's act is
 * removing that file</b> ({@code rm DIR/<alias>.paused}): the next login is then tried at once, even after a
 * rejected answer (which otherwise waits for it forever). In a campaign DIR is the campaign's
 * {@code <campaign.dir>/paused} ({@link SshSessions#fromConfig(String, String, String, String)}), or
 * {@code alphaex.ssh.pauseDir}; sessions outside a campaign use {@link #fromSystem()}.
 */
public final class LoginPauses {
    private static final Logger LOG = LoggerFactory.getLogger(LoginPauses.class);

    private static final class State {
        final LoginPolicy policy = new LoginPolicy();
        volatile LoginPausedException last;
        volatile boolean fileWritten;
    }

    private final Path dir;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public LoginPauses(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** Pause files in {@code -Dalphaex.ssh.pauseDir} (default work/paused), the system clock. */
    public static LoginPauses fromSystem() {
        return new LoginPauses(Path.of(System.getProperty("alphaex.ssh.pauseDir", "work/paused")), Clock.systemDefaultZone());
    }

    /** The file whose removal is the user's act for alias. */
    public Path pauseFile(String alias) {
        return dir.resolve(alias.replaceAll("[^A-Za-z0-9._@-]", "_") + ".paused").toAbsolutePath();
    }

    /** Alias's standing pause, if it is paused. */
    public Optional<LoginPausedException> current(String alias) {
        State s = states.get(alias);
        return s == null || !s.policy.paused() ? Optional.empty() : Optional.ofNullable(s.last);
    }

    /**
     * Before a login to alias: notes the user's act (pause file removed), then either allows the login (and
     * counts it) or throws the standing pause, without any network.
     */
    void beforeLogin(String alias) throws LoginPausedException {
        State s = states.computeIfAbsent(alias, a -> new State());
        Instant now = clock.instant();
        if (s.policy.paused() && s.fileWritten && !Files.exists(pauseFile(alias))) {
            s.fileWritten = false;
            s.policy.userActed(now);
            LOG.info("{}: {} was removed: trying a login now", alias, pauseFile(alias));
        }
        if (!s.policy.mayAttempt(now)) {
            LoginPausedException p = s.last;
            throw new LoginPausedException(alias, p.reason(), p.getMessage(), p.remedy(),
                s.policy.nextAttempt(now).orElse(null));
        }
        s.policy.attempting(now);
    }

    /**
     * The login just tried asked a question and failed for {@code why}: pauses alias, writes its pause file,
     * logs the one line and returns the pause to report.
     *
     * @param prompt the server's question (for the message)
     * @param detail why nobody answered (NEEDS_SECOND_FACTOR), else null
     */
    LoginPausedException paused(String alias, PauseReason why, String prompt, String detail) {
        State s = states.computeIfAbsent(alias, a -> new State());
        Instant now = clock.instant();
        s.policy.failed(why, now);
        Instant next = s.policy.nextAttempt(now).orElse(null);
        Path file = pauseFile(alias);
        String remedy = "rm " + Shell.quote(file.toString());
        String asked = prompt == null || prompt.isBlank() ? "a second factor" : "\"" + Terminal.visible(prompt) + "\"";
        String line = switch (why) {
            case ANSWER_REJECTED -> alias + " paused: the server rejected the answer to " + asked
                + "; no login is tried again until you run: " + remedy + " (then the controller asks again on its terminal)";
            case NEEDS_SECOND_FACTOR -> alias + " paused: its login asks for " + asked + " and " + detail
                + "; next login attempt not before " + clockTime(next) + " (at most " + LoginPolicy.MAX_ATTEMPTS_PER_HOUR
                + " an hour). To bring it back: run the controller in a terminal, or open an OpenSSH master (ssh -fNM "
                + alias + ") and give the cluster transport openssh; to try at once: " + remedy;
            case NO_CONTROL_MASTER -> throw new IllegalArgumentException("not a login pause: " + why);
        };
        try {
            Files.createDirectories(dir);
            Files.writeString(file, line + "\n");
            s.fileWritten = true;
        } catch (IOException e) {
            s.fileWritten = false;
            line += " [cannot write " + file + ": " + e.getMessage() + "; restart the controller instead]";
        }
        // the caller reports the pause (the campaign: one line per pause, with its cluster); here only for debugging
        LOG.debug(line);
        LoginPausedException p = new LoginPausedException(alias, why, line, remedy, next);
        s.last = p;
        return p;
    }

    /** The login failed without a question (network, key): a pause, if any, stays. */
    void failedOther(String alias) {
        State s = states.get(alias);
        if (s != null) {
            s.policy.failedOther();
        }
    }

    /** The login worked: alias is not paused any more (its pause file goes). */
    void succeeded(String alias) {
        State s = states.get(alias);
        if (s == null) {
            return;
        }
        boolean was = s.policy.paused();
        s.policy.succeeded();
        s.last = null;
        if (was) {
            try {
                Files.deleteIfExists(pauseFile(alias));
            } catch (IOException e) {
                LOG.debug("cannot remove {}", pauseFile(alias), e);
            }
            s.fileWritten = false;
            LOG.info("{}: logged in again; no longer paused", alias);
        }
    }

    private String clockTime(Instant t) {
        if (t == null) {
            return "your action";
        }
        ZoneId zone = clock.getZone();
        return LocalTime.ofInstant(t, zone).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
