package dev.alphaex.ssh;

import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;

/**
 * MINA SSHD's keyboard-interactive questions (RFC 4256), passed to the {@link Prompter}: each round's name,
 * instruction and prompts as the server sent them, with its echo flags. What happened is kept in the login's
 * {@link Attempt} (a connection attribute), so that a failed login can tell "nobody answered" from "the
 * server rejected the answer". The client is set to one keyboard-interactive attempt per login
 * ({@code PASSWORD_PROMPTS = 1}): a rejected answer is never retried within the login.
 */
final class KeyboardInteractive implements UserInteraction {
    /** The current login's questions and answers. */
    static final AttributeKey<Attempt> ATTEMPT = new AttributeKey<>();

    /** What one login was asked; written on MINA's I/O thread, read by the thread waiting for the login. */
    static final class Attempt {
        final String alias;
        final String login;
        private volatile String firstPrompt;
        private volatile boolean answered;
        private volatile String whyNot;
        private volatile long askedAtNanos;

        Attempt(String alias, String login) {
            this.alias = alias;
            this.login = login;
        }

        boolean asked() {
            return firstPrompt != null;
        }

        /** The first question asked (for messages), or null. */
        String firstPrompt() {
            return firstPrompt;
        }

        /** The last round of questions was answered. */
        boolean answered() {
            return answered;
        }

        /** Why the last question got no answer, or null. */
        String whyNot() {
            return whyNot;
        }

        /** System.nanoTime() of the first question, 0 before it. */
        long askedAtNanos() {
            return askedAtNanos;
        }
    }

    private final Prompter prompter;

    KeyboardInteractive(Prompter prompter) {
        this.prompter = prompter;
    }

    /**
     * Called on one of MINA's I/O threads: waiting for a person blocks that thread only, for at most the
     * prompter's answer time (and at start the logins come one at a time).
     */
    @Override
    public String[] interactive(ClientSession session, String name, String instruction, String lang, String[] prompt,
                                boolean[] echo) {
        AttributeRepository ctx = session.getConnectionContext();
        Attempt attempt = ctx == null ? null : ctx.getAttribute(ATTEMPT);
        if (attempt == null) {
            return null; // not one of our logins: no answers
        }
        if (attempt.firstPrompt == null) {
            attempt.askedAtNanos = System.nanoTime();
            attempt.firstPrompt = prompt.length > 0 ? prompt[0].strip() : name;
        }
        List<Prompter.Question> questions = new ArrayList<>();
        for (int i = 0; i < prompt.length; i++) {
            questions.add(new Prompter.Question(prompt[i], i < echo.length && echo[i]));
        }
        Prompter.Reply reply = prompter.answer(new Prompter.Challenge(attempt.alias, attempt.login,
            name == null ? "" : name, instruction == null ? "" : instruction, questions));
        if (!reply.answered()) {
            attempt.whyNot = reply.whyNot();
            attempt.answered = false; // a later round unanswered: nobody answered, whatever came before
            return null; // MINA sends nothing and gives the method up: the login fails without a wrong answer
        }
        attempt.answered = true;
        return reply.answers().toArray(String[]::new);
    }

    @Override
    public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
        return null; // never change a password from a campaign
    }
}
