package dev.alphaex.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command started on a real pseudo-terminal (src/test/python/pty_relay.py), driven like a user at a
 * terminal: wait for text to appear, type a line. Everything the terminal shows is kept.
 */
public final class Pty implements AutoCloseable {
    private static final Path RELAY = Path.of("src/test/python/pty_relay.py").toAbsolutePath();

    private final Process process;
    private final OutputStream keys;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private int consumed; // where the next await starts looking

    private Pty(Process process) {
        this.process = process;
        this.keys = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buf = new byte[8192];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    synchronized (screen) {
                        screen.write(buf, 0, n);
                        screen.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the relay is gone
            }
        }, "pty-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} on a new terminal. */
    public static Pty start(List<String> command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("python3", RELAY.toString()));
        argv.addAll(command);
        return new Pty(new ProcessBuilder(argv).redirectErrorStream(true).start());
    }

    /** Everything the terminal showed so far. */
    public String screen() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits until {@code regex} appears in what the terminal showed after the previous match.
     *
     * @return the match
     * @throws AssertionError with the screen when it does not appear within {@code limit}
     */
    public String await(String regex, Duration limit) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long end = System.nanoTime() + limit.toNanos();
        synchronized (screen) {
            while (true) {
                String s = screen.toString(StandardCharsets.UTF_8);
                Matcher m = p.matcher(s);
                if (m.find(Math.min(consumed, s.length()))) {
                    consumed = m.end();
                    return m.group();
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the terminal did not show /" + regex + "/ within " + limit.toMillis()
                        + " ms; it showed:\n" + s);
                }
                screen.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Types {@code line} and Enter. */
    public void type(String line) throws IOException {
        keys.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** Waits for the command to exit; its exit status. */
    public int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + limit.toMillis() + " ms; the terminal showed:\n" + screen());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroy(); // the terminal closes: its command gets SIGHUP
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
