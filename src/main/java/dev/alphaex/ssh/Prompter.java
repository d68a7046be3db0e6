package dev.alphaex.ssh;

import java.time.Duration;
import java.util.List;

/**
 * Who answers a login's keyboard-interactive questions (a second factor): the controller's terminal
 * ({@link Terminal}), or nobody ({@link #nobody}). Answers are passed on to the server once and never
 * stored or logged.
 */
public interface Prompter {
    /** One question of a login, as the server sent it. */
    record Question(String prompt, boolean echo) {
    }

    /**
     * What a login asks: the cluster (alias and where it logs in), then the server's name, instruction and
     * questions (RFC 4256: name and instruction may be empty).
     */
    record Challenge(String alias, String login, String name, String instruction, List<Question> questions) {
        public Challenge {
            questions = List.copyOf(questions);
        }
    }

    /** The answers (one per question, in order), or why there are none. */
    record Reply(List<String> answers, String whyNot) {
        public static Reply of(List<String> answers) {
            return new Reply(List.copyOf(answers), null);
        }

        public static Reply none(String whyNot) {
            return new Reply(null, whyNot);
        }

        public boolean answered() {
            return answers != null;
        }

        @Override
        public String toString() { // never print an answer
            return answered() ? "Reply[" + answers.size() + " answer(s)]" : "Reply[none: " + whyNot + "]";
        }
    }

    /** Asks the questions and waits at most {@link #answerTime()} in all; never throws. */
    Reply answer(Challenge challenge);

    /** How long one login may wait for its answers (0 when nobody can answer). */
    Duration answerTime();

    /** Can this prompter ask at all (a terminal)? False: every login that asks is paused at once. */
    boolean canAsk();

    /** Nobody to answer (no terminal): every question stays unanswered for {@code why}. */
    static Prompter nobody(String why) {
        return new Prompter() {
            @Override
            public Reply answer(Challenge challenge) {
                return Reply.none(why);
            }

            @Override
            public Duration answerTime() {
                return Duration.ZERO;
            }

            @Override
            public boolean canAsk() {
                return false;
            }

            @Override
            public String toString() {
                return "nobody (" + why + ")";
            }
        };
    }
}
