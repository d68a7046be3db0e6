package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Terminal detection and what reaches the terminal; the real conversation is in SecondFactorPtyIT. */
class TerminalTest {
    @Test
    void withoutAControllingTerminalNobodyIsAsked(@TempDir Path dir) {
        Prompter p = Terminal.detect("auto", dir.resolve("no-tty"), Duration.ofSeconds(5));
        assertThat(p.canAsk()).isFalse();
        Prompter.Reply r = p.answer(new Prompter.Challenge("narval", "me@narval:22", "", "",
            List.of(new Prompter.Question("Passcode or option (1-1): ", false))));
        assertThat(r.answered()).isFalse();
        assertThat(r.whyNot()).contains("no terminal").contains("no-tty");
    }

    @Test
    void questionsCanBeTurnedOffForServicesThatHaveATerminal() {
        Prompter p = Terminal.detect("none", Path.of("/dev/tty"), Duration.ofSeconds(5));
        assertThat(p.canAsk()).isFalse();
        assertThat(p.answer(new Prompter.Challenge("a", "b", "", "", List.of())).whyNot())
            .contains("-Dalphaex.ssh.terminal=none");
        assertThatThrownBy(() -> Terminal.detect("yes", Path.of("/dev/tty"), Duration.ofSeconds(5)))
            .hasMessageContaining("-Dalphaex.ssh.terminal must be auto or none, got 'yes'");
    }

    @Test
    void serverTextCannotSendEscapeSequencesToTheTerminal() {
        assertThat(Terminal.visible("Duo\u001b[2J two-factor\u0007\nPasscode:\t"))
            .isEqualTo("Duo?[2J two-factor?\nPasscode:\t");
        assertThat(Terminal.visible("Code d'accès : é")).isEqualTo("Code d'accès : é");
    }

    @Test
    void aBackgroundJobIsNotAskedBecauseReadingWouldStopIt() {
        // pid (comm) state ppid pgrp session tty_nr tpgid ...; comm may hold spaces and parentheses
        String fg = "4242 (java (main) x) S 4000 4242 3990 34817 4242 4194560 0 0";
        String bg = "4242 (java) S 4000 4242 3990 34817 4100 4194560 0 0";
        String none = "4242 (java) S 1 4242 4242 0 -1 4194560 0 0";
        assertThat(Terminal.Foreground.whyNot(fg)).isNull();
        assertThat(Terminal.Foreground.whyNot(bg)).contains("background").contains("fg");
        assertThat(Terminal.Foreground.whyNot(none)).contains("no controlling terminal");
    }

    @Test
    void aReplyNeverPrintsItsAnswers() {
        assertThat(Prompter.Reply.of(List.of("123456")).toString()).doesNotContain("123456").contains("1 answer");
    }
}
