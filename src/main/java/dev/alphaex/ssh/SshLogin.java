package dev.alphaex.ssh;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;

/**
 * One login to an alias: connect, key exchange, authentication, each within its time limit. Keys come first;
 * a keyboard-interactive question (a second factor) goes to the {@link Prompter}, and the login may then
 * wait for the answer up to the prompter's answer time. A login that asked and failed pauses the cluster
 * ({@link LoginPauses}); a paused cluster is not even connected to until its policy allows it.
 */
final class SshLogin {
    private final SshClient client;
    private final SshConfigFile config;
    private final SshSessions.Settings settings;
    private final Prompter prompter;
    private final LoginPauses pauses;

    SshLogin(SshClient client, SshConfigFile config, SshSessions.Settings settings, Prompter prompter, LoginPauses pauses) {
        this.client = client;
        this.config = config;
        this.settings = settings;
        this.prompter = prompter;
        this.pauses = pauses;
    }

    /**
     * A new authenticated session for alias.
     *
     * @throws ClusterException UNREACHABLE when connect or login fails or times out (the message says why); a
     *                          paused cluster's has a {@link LoginPausedException} as its cause
     */
    ClientSession login(String alias) throws ClusterException {
        SshHost host;
        try {
            host = config.resolve(alias);
        } catch (RuntimeException e) {
            throw new ClusterException(Kind.UNREACHABLE, e.getMessage(), e);
        }
        try {
            pauses.beforeLogin(alias);
        } catch (LoginPausedException p) {
            throw new ClusterException(Kind.UNREACHABLE, p.getMessage(), p);
        }
        KeyboardInteractive.Attempt attempt = new KeyboardInteractive.Attempt(alias,
            host.user() + "@" + host.hostName() + ":" + host.port());
        AtomicReference<String> problem = new AtomicReference<>();
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        Map<AttributeKey<?>, Object> attrs = new LinkedHashMap<>();
        attrs.put(HostKeyCheck.HOST, host);
        attrs.put(HostKeyCheck.PROBLEM, problem);
        attrs.put(SshAgents.NOTES, notes);
        attrs.put(KeyboardInteractive.ATTEMPT, attempt);
        ClientSession session;
        try {
            session = connect(alias, host, attrs, problem);
        } catch (ClusterException e) {
            pauses.failedOther(alias);
            throw e;
        }
        try {
            authenticate(session, attempt);
            pauses.succeeded(alias);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            // failed after its answers: the server rejected them (also the safe reading of a connection lost
            // right after: no retry until the user acts)
            if (attempt.answered()) {
                LoginPausedException p = pauses.paused(alias, PauseReason.ANSWER_REJECTED, attempt.firstPrompt(), null);
                throw new ClusterException(Kind.UNREACHABLE, p.getMessage(), p);
            }
            if (attempt.asked()) {
                String why = attempt.whyNot() != null ? attempt.whyNot()
                    : "nobody answered within " + prompter.answerTime().toSeconds() + " s";
                LoginPausedException p = pauses.paused(alias, PauseReason.NEEDS_SECOND_FACTOR, attempt.firstPrompt(), why);
                throw new ClusterException(Kind.UNREACHABLE, p.getMessage(), p);
            }
            pauses.failedOther(alias);
            String why = problem.get() != null ? problem.get() : "login failed: " + describe(e)
                + " (user " + host.user() + ", keys " + (host.identityFiles().isEmpty() ? "the defaults in ~/.ssh"
                : String.join(", ", host.identityFiles())) + ")";
            synchronized (notes) {
                if (problem.get() == null && !notes.isEmpty()) {
                    why += "; " + String.join("; ", notes);
                }
            }
            throw new ClusterException(Kind.UNREACHABLE, "cannot log in to " + host + ": " + why, e);
        }
    }

    private ClientSession connect(String alias, SshHost host, Map<AttributeKey<?>, Object> attrs,
                                  AtomicReference<String> problem) throws ClusterException {
        ConnectFuture connect;
        try {
            connect = client.connect(config.entry(alias), AttributeRepository.ofAttributesMap(attrs), null);
        } catch (IOException | RuntimeException e) {
            throw new ClusterException(Kind.UNREACHABLE, "cannot connect to " + host + ": " + e.getMessage(), e);
        }
        long ms = settings.connectTimeout().toMillis();
        try {
            if (!connect.await(ms)) {
                connect.cancel();
                throw new ClusterException(Kind.UNREACHABLE, "cannot connect to " + host + ": no answer within " + ms + " ms");
            }
        } catch (IOException e) {
            throw new ClusterException(Kind.UNREACHABLE, "cannot connect to " + host + ": " + e.getMessage(), e);
        }
        if (!connect.isConnected()) {
            Throwable cause = connect.getException();
            String why = problem.get() != null ? problem.get() : describe(cause);
            if (cause instanceof java.nio.channels.UnresolvedAddressException) {
                why = "unknown host name " + host.hostName() + (config.hasHost(alias) ? ""
                    : " (no Host " + alias + " in " + config.file() + ")");
            }
            throw new ClusterException(Kind.UNREACHABLE, "cannot connect to " + host + ": " + why, cause);
        }
        return connect.getClientSession();
    }

    /**
     * Waits for the authentication: the login time limit, extended once a question was asked to the
     * prompter's answer time (plus the login time limit for the rest of the login).
     */
    private void authenticate(ClientSession session, KeyboardInteractive.Attempt attempt) throws IOException {
        AuthFuture auth = session.auth();
        long limit = settings.loginTimeout().toNanos();
        long start = System.nanoTime();
        long deadline = start + limit;
        while (!auth.await(Math.max(1, (deadline - System.nanoTime()) / 1_000_000))) {
            long asked = attempt.askedAtNanos();
            long extended = asked == 0 ? deadline : asked + prompter.answerTime().toNanos() + limit;
            if (extended - deadline <= 0) {
                auth.cancel();
                throw new IOException("no login within " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
            }
            deadline = extended;
        }
        auth.verify(1); // throws the failure, if any
    }

    static String describe(Throwable e) {
        if (e == null) {
            return "unknown reason";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? msg : e.getMessage() + " (" + msg + ")";
    }
}
