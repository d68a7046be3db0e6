package dev.alphaex.bench;

import dev.alphaex.campaign.LedgerState;
import dev.alphaex.cli.AlphaEx;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code alphaex status} on a finished campaign of 100,000 indices (100 array jobs of 1,000 tasks on two clusters, each
 * task queued, running, ended and collected; 1% failed): the ledger's replay, the whole command in this JVM, and the
 * command as a user runs it ({@code java -jar target/alphaex.jar status --json}, a JVM of its own), each next to a
 * baseline measured in the same run: reading the ledger's bytes, and {@code java -jar target/alphaex.jar --version}.
 *
 * <pre>mvn -q package -DskipTests && mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.bench.StatusBenchmark</pre>
 * (-Dexec.args=N for another number of indices)
 */
public final class StatusBenchmark {
    private StatusBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("alphaex-status-bench");
        Path ledger = dir.resolve("ledger.jsonl");
        int failed = write(ledger, n);
        Path routes = dir.resolve("clusters.yaml");
        Files.writeString(routes, cluster("a") + cluster("b"));
        Path job = dir.resolve("job.sh");
        Files.writeString(job, "#!/bin/sh\n");
        System.out.printf("ledger: %,d indices, %,d lines, %.1f MB%n", n, Files.readAllLines(ledger).size(), Files.size(ledger) / 1e6);
        List<String> props = List.of("-Dcampaign.name=bench", "-Dcampaign.dir=" + dir, "-Dcampaign.routes=" + routes, "-Dcampaign.sweep=",
                "-Dcampaign.jobs=" + n, "-Dcampaign.script=" + job);

        for (int round = 0; round < 2; round++) { // the first round warms the JVM up; the second is reported
            long t0 = System.nanoTime();
            byte[] bytes = Files.readAllBytes(ledger);
            int lines = 0;
            for (byte b : bytes) {
                lines += b == '\n' ? 1 : 0;
            }
            double read = seconds(t0);
            t0 = System.nanoTime();
            LedgerState s = LedgerState.replay(ledger);
            double replay = seconds(t0);
            t0 = System.nanoTime();
            List<String> a = new ArrayList<>(List.of("status", "--json"));
            a.addAll(props);
            String out = inThisJvm(a);
            double status = seconds(t0);
            if (!out.contains("\"completed\":" + (n - failed)) || s.size() != n) {
                throw new IllegalStateException("unexpected status: " + out.substring(0, Math.min(300, out.length())));
            }
            if (round == 1) {
                System.out.printf("read the ledger's bytes (baseline): %.3f s (%d lines)%n", read, lines);
                System.out.printf("replay (LedgerState.replay):        %.3f s = %.1f x the read%n", replay, replay / read);
                System.out.printf("status --json in this JVM (warm):   %.3f s = %.1f x the read (%,d bytes of JSON, %d failed tasks)%n",
                        status, status / read, out.length(), failed);
            }
        }
        Path jar = Path.of("target/alphaex.jar");
        if (Files.isRegularFile(jar)) {
            double version = process(List.of("-jar", jar.toString(), "--version"));
            List<String> a = new ArrayList<>(List.of("-jar", jar.toString(), "status", "--json"));
            a.addAll(props);
            double status = process(a);
            double text = process(textArgs(jar, props));
            System.out.printf("java -jar alphaex.jar --version (baseline): %.2f s%n", version);
            System.out.printf("java -jar alphaex.jar status --json:        %.2f s = %.1f x the baseline%n", status, status / version);
            System.out.printf("java -jar alphaex.jar status:               %.2f s = %.1f x the baseline%n", text, text / version);
        } else {
            System.out.println("(no target/alphaex.jar: run mvn package first for the figures of the command as a user runs it)");
        }
    }

    private static List<String> textArgs(Path jar, List<String> props) {
        List<String> a = new ArrayList<>(List.of("-jar", jar.toString(), "status"));
        a.addAll(props);
        return a;
    }

    private static String cluster(String name) {
        return "- templatedRoute:\n    routeTemplateRef: cluster\n    routeId: cluster-" + name + "\n    parameters:\n"
                + "      - {name: name, value: " + name + "}\n      - {name: kind, value: slurm}\n      - {name: capacity, value: \"1000\"}\n";
    }

    /** A finished campaign: per 1,000 indices one array job on a or b; each task queued, running, ended, collected. */
    private static int write(Path file, int n) throws IOException {
        int failed = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"t\":\"open\",\"v\":2,\"campaign\":\"bench\",\"tag\":\"ax-bench-000000\",\"created\":\"2026-12-06T04:00:00Z\","
                    + "\"indices\":\"0-" + (n - 1) + "\"}\n");
            int seq = 0;
            for (int base = 0; base < n; base += 1000, seq++) {
                int size = Math.min(1000, n - base);
                String cluster = seq % 2 == 0 ? "a" : "b";
                w.write("{\"t\":\"intent\",\"seq\":" + seq + ",\"cluster\":\"" + cluster + "\",\"base\":" + base + ",\"array\":\"0-"
                        + (size - 1) + "\",\"code\":\"git:0123456789abcdef0123456789abcdef01234567\"}\n");
                w.write("{\"t\":\"confirm\",\"seq\":" + seq + ",\"job\":\"" + (1000 + seq) + "\"}\n");
                for (int t = 0; t < size; t++) {
                    w.write("{\"t\":\"state\",\"seq\":" + seq + ",\"task\":" + t + ",\"s\":\"RUNNING\"}\n");
                }
                for (int t = 0; t < size; t++) {
                    if ((base + t) % 100 == 7) {
                        failed++;
                        w.write("{\"t\":\"end\",\"seq\":" + seq + ",\"task\":" + t + ",\"s\":\"FAILED\",\"exit\":1,\"why\":\"exit 1\","
                                + "\"next\":\"FAILED\"}\n");
                    } else {
                        w.write("{\"t\":\"end\",\"seq\":" + seq + ",\"task\":" + t + ",\"s\":\"COMPLETED\",\"exit\":0,\"next\":\"COMPLETED\"}\n");
                        w.write("{\"t\":\"collect\",\"i\":" + (base + t) + ",\"ok\":true}\n");
                    }
                }
            }
        }
        return failed;
    }

    private static String inThisJvm(List<String> args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = AlphaEx.run(args.toArray(String[]::new));
            if (code != 0) {
                throw new IllegalStateException("status exited " + code);
            }
        } finally {
            System.setOut(out);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Wall time of {@code java ARGS} in a JVM of its own (its output discarded). */
    private static double process(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("java " + String.join(" ", args) + " failed");
        }
        return seconds(t0);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
