package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** OpenSSH master connections to the lab, opened as a user does: {@code ssh -fNM ALIAS} in a terminal, answering the code. */
public final class ControlMasters {
    private ControlMasters() {
    }

    /**
     * Opens the master of alias on a pseudo-terminal, answering sshd-mfa's question with the current code once
     * (a socket left by a master that died is removed first, as its pause message says).
     */
    public static void open(Lab lab, String alias) throws IOException, InterruptedException {
        Process check = new ProcessBuilder("ssh", "-F", lab.sshConfig.toString(), "-O", "check", alias).redirectErrorStream(true).start();
        Matcher stale = Pattern.compile("Control socket connect\\((.+)\\): Connection refused")
            .matcher(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        check.waitFor();
        if (stale.find()) {
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(stale.group(1)));
        }
        run(lab, alias, List.of("ssh", "-F", lab.sshConfig.toString(), "-fNM", alias));
    }

    /** Runs {@code command} (which opens alias's master) on a pseudo-terminal, answering a code not used before once. */
    public static void run(Lab lab, String alias, List<String> command) throws IOException, InterruptedException {
        try (Pty pty = Pty.start(command)) {
            pty.await("Verification code: ", Duration.ofSeconds(30));
            pty.type(lab.freshTotp());
            assertThat(pty.waitFor(Duration.ofSeconds(30))).as(command + ":\n" + pty.screen()).isZero();
        }
        assertThat(pid(lab, alias)).as("a master runs for " + alias).isPresent();
    }

    /** The master's pid, if one runs ({@code ssh -O check}). */
    public static Optional<Long> pid(Lab lab, String alias) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh", "-F", lab.sshConfig.toString(), "-O", "check", alias).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("Master running \\(pid=(\\d+)\\)").matcher(out);
        return p.waitFor() == 0 && m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** Kills alias's master (SIGKILL: it leaves its socket behind, as a crash would). */
    public static void kill(Lab lab, String alias) throws Exception {
        long pid = pid(lab, alias).orElseThrow();
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        h.destroyForcibly();
        h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Closes alias's master if one runs ({@code ssh -O exit}). */
    public static void close(Lab lab, String alias) throws IOException, InterruptedException {
        new ProcessBuilder("ssh", "-F", lab.sshConfig.toString(), "-O", "exit", alias).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
