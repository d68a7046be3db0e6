package dev.alphaex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line run in this JVM ({@link AlphaEx#run}) as a user runs it, with a campaign's properties given as
 * {@code -Dname=value} options (the overrides a test's controller starts with), its stdout and stderr captured.
 */
public record CliRun(int exit, String out, String err) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code alphaex <command> [-Dk=v for each property] args...}. */
    public static synchronized CliRun run(Map<String, String> properties, String command, String... args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        properties.forEach((k, v) -> all.add("-D" + k + "=" + v));
        all.addAll(List.of(args));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = AlphaEx.run(all.toArray(String[]::new));
            return new CliRun(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    public JsonNode json() {
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("not JSON (exit " + exit + ", stderr " + err + "): " + out, e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
