package dev.alphaex.ssh;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The controller's terminal as OpenSSH uses it for questions: {@code /dev/tty}, the process's controlling
 * terminal, not stdin/stdout. So it works under {@code mvn compile camel:run} (Camel runs inside Maven's
 * JVM, whose stdin and stdout Maven may hold or redirect) and with the output piped ({@code | tee log}),
 * where {@code System.console()} would say "no console".
 *
 * <p>There is a terminal to ask on when {@code /dev/tty} opens (no controlling terminal: a service, cron,
 * CI, {@code setsid}: nobody to ask) and, at the time of each question, the controller is in its terminal's
 * foreground process group: a background job ({@code nohup ... &}) that read the terminal would be stopped
 * by SIGTTIN, so it is not asked (Linux: {@code /proc/self/stat}; elsewhere {@code ps}). Set
 * {@code -Dalphaex.ssh.terminal=none} to never ask (e.g. a service that happens to have one).
 *
 * <p>Each question is shown as the server sends it (its name, its instruction, then each prompt), prompts
 * one cluster at a time (one lock per JVM). Where the server says "no echo", echo is turned off with
 * {@code stty} on the terminal before the prompt is written (so nothing typed early is echoed) and restored
 * after the answer (also at exit). Server text is shown with control characters replaced. Answers go back
 * to the caller only: never stored, logged or echoed. A question not answered within the answer time is
 * given up (a line typed later is thrown away, not taken as the next answer).
 */
public final class Terminal implements Prompter {
    /**
     * Default time to answer one login's questions (below sshd's default LoginGraceTime of 120 s);
     * {@code -Dalphaex.ssh.answerSeconds=N} changes it.
     */
    public static final Duration ANSWER_TIME = Duration.ofSeconds(90);
    private static final Object ONE_AT_A_TIME = new Object();

    private final Path tty;
    private final Duration answerTime;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alphaex-terminal-reader");
        t.setDaemon(true);
        return t;
    });
    private InputStream in;
    private OutputStream out;
    private Future<String> pending; // a read whose question was given up on: its line is not an answer
    private volatile String savedMode; // stty -g while echo is off (restored at exit if need be)

    Terminal(Path tty, Duration answerTime) {
        this.tty = tty;
        this.answerTime = answerTime;
        Runtime.getRuntime().addShutdownHook(new Thread(this::restoreMode, "alphaex-terminal-restore"));
    }

    /**
     * The terminal to ask on, or nobody (and why): none when {@code -Dalphaex.ssh.terminal=none} or when
     * {@code /dev/tty} cannot be opened (no controlling terminal).
     */
    public static synchronized Prompter detect() {
        // one per JVM: two readers of the same terminal would take each other's lines
        if (shared == null) {
            String seconds = System.getProperty("alphaex.ssh.answerSeconds", Long.toString(ANSWER_TIME.toSeconds()));
            Duration answerTime;
            try {
                answerTime = Duration.ofSeconds(Long.parseLong(seconds.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-Dalphaex.ssh.answerSeconds must be a number of seconds, got '" + seconds + "'");
            }
            if (answerTime.isNegative() || answerTime.isZero()) {
                throw new IllegalArgumentException("-Dalphaex.ssh.answerSeconds must be positive, got " + seconds);
            }
            shared = detect(System.getProperty("alphaex.ssh.terminal", "auto"), Path.of("/dev/tty"), answerTime);
        }
        return shared;
    }

    private static Prompter shared;

    static Prompter detect(String mode, Path tty, Duration answerTime) {
        if (mode.equalsIgnoreCase("none")) {
            return Prompter.nobody("questions are off (-Dalphaex.ssh.terminal=none)");
        }
        if (!mode.equalsIgnoreCase("auto")) {
            throw new IllegalArgumentException("-Dalphaex.ssh.terminal must be auto or none, got '" + mode + "'");
        }
        try (InputStream probe = new FileInputStream(tty.toFile())) {
            return new Terminal(tty, answerTime);
        } catch (IOException | SecurityException e) {
            return Prompter.nobody("the controller has no terminal (" + tty + ": " + e.getMessage()
                + "; e.g. started by a service, cron, CI or setsid)");
        }
    }

    @Override
    public Duration answerTime() {
        return answerTime;
    }

    @Override
    public boolean canAsk() {
        return true;
    }

    @Override
    public Reply answer(Challenge c) {
        synchronized (ONE_AT_A_TIME) {
            String background = Foreground.whyNot();
            if (background != null) {
                return Reply.none(background);
            }
            long deadline = System.nanoTime() + answerTime.toNanos();
            try {
                open();
                StringBuilder head = new StringBuilder("\n[alphaex] ").append(visible(c.alias())).append(" (")
                    .append(visible(c.login())).append(") asks:\n");
                if (!c.name().isBlank()) {
                    head.append(visible(c.name())).append('\n');
                }
                if (!c.instruction().isBlank()) {
                    head.append(visible(c.instruction())).append(c.instruction().endsWith("\n") ? "" : "\n");
                }
                write(head.toString());
                List<String> answers = new ArrayList<>();
                for (Question q : c.questions()) {
                    String a = ask(q, deadline);
                    if (a == null) {
                        write("\n[alphaex] no answer within " + answerTime.toSeconds() + " s: " + visible(c.alias())
                            + " is not logged in\n");
                        return Reply.none("nobody answered on the terminal within " + answerTime.toSeconds() + " s");
                    }
                    answers.add(a);
                }
                return Reply.of(answers);
            } catch (IOException e) {
                return Reply.none("cannot use the terminal " + tty + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Reply.none("interrupted while waiting for an answer");
            }
        }
    }

    private String ask(Question q, long deadline) throws IOException, InterruptedException {
        if (!q.echo()) {
            echoOff();
        }
        try {
            write(visible(q.prompt()));
            return readLine(deadline);
        } finally {
            if (!q.echo()) {
                restoreMode();
                write("\n"); // the Enter that ended the answer was not echoed
            }
        }
    }

    private String readLine(long deadline) throws IOException, InterruptedException {
        if (pending == null || pending.isDone()) {
            pending = reader.submit(this::readOneLine); // a done one holds a line typed after its question was given up
        }
        try {
            String line = pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            pending = null;
            return line;
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            pending = null;
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private String readOneLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null; // end of input (Ctrl-D): no answer
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private void open() throws IOException {
        if (in == null) {
            in = new FileInputStream(tty.toFile());
            out = new FileOutputStream(tty.toFile());
        }
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void echoOff() throws IOException, InterruptedException {
        savedMode = stty("-g").strip();
        stty("-echo");
    }

    private void restoreMode() {
        String mode = savedMode;
        if (mode != null) {
            savedMode = null;
            try {
                stty(mode);
            } catch (IOException e) {
                // the terminal is gone: nothing to restore
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String stty(String arg) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stty", arg).redirectInput(tty.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("stty " + arg + " did not finish within 5 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("stty " + arg + " failed: " + output.strip());
        }
        return output;
    }

    /** Server text as it may reach a terminal: control characters (escape sequences) shown as '?'. */
    static String visible(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(cp == '\n' || cp == '\t' || !Character.isISOControl(cp) ? cp : '?'));
        return b.toString();
    }

    /** Whether this process may read its terminal now (its foreground process group). */
    static final class Foreground {
        private Foreground() {
        }

        /** Null when this process is in its terminal's foreground process group, else why not. */
        static String whyNot() {
            Path stat = Path.of("/proc/self/stat");
            try {
                if (Files.isReadable(stat)) {
                    return whyNot(Files.readString(stat));
                }
                long pid = ProcessHandle.current().pid();
                Process p = new ProcessBuilder("ps", "-o", "pgid=", "-o", "tpgid=", "-p", Long.toString(pid))
                    .redirectErrorStream(true).start();
                String[] f = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+");
                p.waitFor(5, TimeUnit.SECONDS);
                return f.length == 2 && f[0].equals(f[1]) ? null : BACKGROUND;
            } catch (IOException e) {
                return "cannot tell whether the controller runs in its terminal's foreground: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        static final String BACKGROUND = "the controller runs in the background of its terminal (e.g. nohup ... &),"
            + " where reading the terminal would stop it; bring it to the foreground (fg) to be asked";

        /** From a /proc/PID/stat line: pid (comm) state ppid pgrp session tty_nr tpgid ... */
        static String whyNot(String statLine) {
            String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
            long pgrp = Long.parseLong(f[2]);
            long ttyNr = Long.parseLong(f[4]);
            long tpgid = Long.parseLong(f[5]);
            if (ttyNr == 0) {
                return "the controller has no controlling terminal";
            }
            return tpgid == pgrp ? null : BACKGROUND;
        }
    }
}
