package dev.alphaex.openssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one local program with a time limit: its stdin written, stdout and stderr read at the same time (no
 * pipe can fill up and stall it), and killed with everything it started when the limit passes.
 */
final class ProcessRun {
    /** Exit status and output of a program that finished. */
    record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static final ExecutorService PIPES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "alphaex-openssh-pipe");
        t.setDaemon(true);
        return t;
    });

    private ProcessRun() {
    }

    /**
     * Runs {@code argv}; stdin gets {@code input} (empty: end of input at once).
     *
     * @throws OpenSshException FAILED when it cannot start, TIMED_OUT when it ran past {@code limit} (then
     *                          it and its descendants were killed)
     */
    static Outcome run(List<String> argv, byte[] input, Duration limit) throws OpenSshException {
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new OpenSshException(OpenSshException.Kind.FAILED, "cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()), PIPES);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), PIPES);
        CompletableFuture.runAsync(() -> feed(p.getOutputStream(), input), PIPES);
        try {
            if (!p.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(p);
                throw new OpenSshException(OpenSshException.Kind.TIMED_OUT, "did not finish within " + limit.toMillis()
                    + " ms; killed", null);
            }
            return new Outcome(p.exitValue(), text(out), text(err));
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new OpenSshException(OpenSshException.Kind.FAILED, "interrupted; killed", e);
        }
    }

    private static void kill(Process p) {
        List<ProcessHandle> all = new java.util.ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // gone or unkillable: nothing more to do
            }
        }
    }

    private static String text(CompletableFuture<byte[]> f) throws InterruptedException {
        try {
            return new String(f.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (ExecutionException | TimeoutException e) {
            return ""; // a descendant still holds the pipe: what came is not worth a hang
        }
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void feed(OutputStream stdin, byte[] input) {
        try (stdin) {
            stdin.write(input);
        } catch (IOException e) {
            // the program ended without reading everything: its exit status tells
        }
    }
}
