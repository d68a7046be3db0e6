package dev.alphaex.campaign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real main class ({@code dev.alphaex.AlphaExMain}, what {@code mvn compile camel:run} runs) in a JVM of
 * its own, with {@code -D} properties, its console (stdout and stderr) in a file. For the tests that need a
 * process: two controllers, kill -9, the exit code.
 */
final class ControllerJvm implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ControllerJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code AlphaExMain} with each property as {@code -Dkey=value}; its console goes to {@code output}. */
    static ControllerJvm start(Map<String, String> properties, Path output) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dlog4j2.configurationFile=src/main/resources/log4j2.properties"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("dev.alphaex.AlphaExMain");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new ControllerJvm(p, output);
    }

    long pid() {
        return process.pid();
    }

    String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the console shows {@code text}; fails (with the console) if the process ends first or time runs out. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("the controller ended (exit " + process.exitValue() + ") before printing '" + text
                        + "':\n" + output());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for '" + text + "':\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** The exit code, or null when the process still runs after {@code timeout}. */
    Integer exitCode(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** SIGKILL: the controller dies at once, as with kill -9 (its local jobs live on). */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
