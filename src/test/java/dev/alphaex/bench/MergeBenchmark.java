package dev.alphaex.bench;

import dev.alphaex.merge.BanditLogs;
import dev.alphaex.merge.InboxMerger;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Merge throughput, next to {@code cat} of the same files in the same run (the baseline):
 * 2,000 logs of 1,000 rows of the example campaign's shape ({@code step,reward,optimal_action},
 * rewards written by Double.toString), merged one by one through the inbox route's bean
 * ({@link InboxMerger}: read, parse with Commons CSV, validate, insert into the SQLite store and
 * append to merged.csv, commit, update the summaries; then one flush), into a fresh store each
 * time; durable (the default) and not; one thread, and two threads as the route runs them
 * ({@code merge.threads}, default 2: {@code read} on the merge threads, then {@code commit} on
 * threads of its own, {@code merge.syncThreads}, default 16: a group commit, one transaction for
 * every log read meanwhile). With one thread each log is committed before the next (a group of one).
 *
 * <p>Also, as an upper bound: Commons CSV alone over the same files (read each file, parse every
 * record with the merge's CSV format, touch every cell; no number parsing, no store), on one and
 * two threads. The merge cannot be faster than that.
 *
 * <p>Every variant runs once to warm up, then {@code rounds} times, interleaved (round 1 of every
 * variant, then round 2...), each round next to its own {@code cat} (best of 3), so that a load
 * that comes and goes hits all alike. Printed: the median time, MB/s (median and range) and the
 * median of the per-round ratios to {@code cat}; the JVM's CPU time (all its threads, median),
 * which the other builds on a shared machine disturb much less than the elapsed time; and the
 * load average before and after.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.bench.MergeBenchmark</pre>
 * Optional arguments: files, rows, rounds (default 2000 1000 5), and {@code breakdown}: then,
 * instead, where one thread's CPU time goes, phase by phase over all the files (read, SHA-256,
 * Commons CSV alone, LogReader with every check and the numbers, the store's whole merge without
 * fsync, the summaries), 12 times, each phase's median and range printed. The route's own figures
 * (a backlog renamed into the inbox): {@link BacklogBenchmark}.
 */
public final class MergeBenchmark {
    /** As {@code LogReader}'s: RFC 4180, blank lines ignored, blanks around cells ignored. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .get();
    private static final int SYNC_THREADS = 16;

    private MergeBenchmark() {
    }

    private interface Variant {
        double run(int round) throws Exception;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    /** The JVM's CPU time over the last timed section, in seconds. */
    private static double lastCpu;

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        boolean breakdown = args.length > 3 && args[3].equals("breakdown");
        Path root = Files.createTempDirectory("alphaex-merge-bench");
        try {
            Path logs = root.resolve("logs");
            List<String> paths = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < files; i++) {
                Path p = BanditLogs.write(logs, i, rows);
                paths.add(p.toString());
                bytes += Files.size(p);
            }
            Files.writeString(root.resolve("sweep.json"), BanditLogs.SWEEP);
            double mb = bytes / 1e6;
            System.out.printf("merge benchmark: %,d files x %,d rows = %.1f MB, %s, %d cores, load average %s%n", files, rows,
                    mb, System.getProperty("java.vm.name") + " " + Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), loadAverage());

            if (breakdown) {
                breakdown(root, paths, mb);
                return;
            }
            Map<String, Variant> variants = new LinkedHashMap<>();
            variants.put("Commons CSV alone, 1 thread ", r -> csvAlone(paths, 1));
            variants.put("Commons CSV alone, 2 threads", r -> csvAlone(paths, 2));
            variants.put("merge, 1 thread , durable=false", r -> merge(root, paths, false, 1, r));
            variants.put("merge, 2 threads, durable=false", r -> merge(root, paths, false, 2, r));
            variants.put("merge, 1 thread , durable=true ", r -> merge(root, paths, true, 1, r));
            variants.put("merge, 2 threads, durable=true ", r -> merge(root, paths, true, 2, r));

            for (Variant v : variants.values()) {
                v.run(-1); // warm-up
            }
            double[] cat = new double[rounds];
            Map<String, double[]> times = new LinkedHashMap<>();
            Map<String, double[]> cpu = new LinkedHashMap<>();
            variants.keySet().forEach(k -> times.put(k, new double[rounds]));
            variants.keySet().forEach(k -> cpu.put(k, new double[rounds]));
            for (int r = 0; r < rounds; r++) {
                cat[r] = Math.min(cat(paths), Math.min(cat(paths), cat(paths)));
                for (Map.Entry<String, Variant> v : variants.entrySet()) {
                    times.get(v.getKey())[r] = v.getValue().run(r);
                    cpu.get(v.getKey())[r] = lastCpu;
                }
            }
            System.out.printf("%-32s %7.3f s  %7.1f MB/s  (median of %d rounds, each best of 3; range %.0f-%.0f MB/s)%n",
                    "cat of the same files", median(cat), mb / median(cat), rounds, mb / max(cat), mb / min(cat));
            for (Map.Entry<String, double[]> t : times.entrySet()) {
                double[] s = t.getValue();
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = cat[r] / s[r];
                }
                System.out.printf("%-32s %7.3f s  %7.1f MB/s  ratio to cat %.3f  (range %.0f-%.0f MB/s, ratio %.3f-%.3f)"
                                + "  cpu %.2f s%n", t.getKey(), median(s), mb / median(s), median(ratio), mb / max(s), mb / min(s),
                        min(ratio), max(ratio), median(cpu.get(t.getKey())));
            }
            System.out.printf("load average after: %s%n", loadAverage());
        } finally {
            delete(root);
        }
    }

    /** One thread's CPU time per phase: where a merge's time goes, whatever else runs on the machine. */
    private static void breakdown(Path root, List<String> paths, double mb) throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        dev.alphaex.sweep.Sweep sweep = dev.alphaex.sweep.Sweep.load(root.resolve("sweep.json"));
        dev.alphaex.merge.LogReader reader = new dev.alphaex.merge.LogReader("step");
        byte[][] data = new byte[paths.size()][];
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        int reps = 12;
        for (int rep = 0; rep < reps; rep++) {
            long t = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < data.length; i++) {
                data[i] = Files.readAllBytes(Path.of(paths.get(i)));
            }
            t = phase(phases, "read the files", t, mx);
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (byte[] b : data) {
                sha.reset();
                sha.digest(b);
            }
            t = phase(phases, "SHA-256", t, mx);
            long cells = 0;
            for (byte[] b : data) {
                try (CSVParser parser = CSVParser.parse(new StringReader(new String(b, StandardCharsets.UTF_8)), FORMAT)) {
                    for (CSVRecord r : parser) {
                        for (int c = 0; c < r.size(); c++) {
                            cells += r.get(c).length();
                        }
                    }
                }
            }
            t = phase(phases, "Commons CSV alone", t, mx);
            for (int i = 0; i < data.length; i++) {
                reader.read(Path.of(paths.get(i)).getFileName().toString(), data[i]);
            }
            t = phase(phases, "LogReader.read (CSV, checks, numbers)", t, mx);
            Path results = root.resolve("breakdown-" + rep);
            try (dev.alphaex.merge.MergeStore store = dev.alphaex.merge.MergeStore.open(results, sweep,
                    new dev.alphaex.merge.MergeStore.Options().durable(false))) {
                t = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < data.length; i++) {
                    store.merge(Path.of(paths.get(i)).getFileName().toString(), data[i]);
                }
                t = phase(phases, "MergeStore.merge (all of it, no fsync)", t, mx);
                store.flush();
                phase(phases, "flush (summaries)", t, mx);
            }
            delete(results);
        }
        System.out.printf("one thread's CPU time per phase over all the files, median of %d after 2 warm-ups (range):%n",
                reps - 2);
        for (Map.Entry<String, List<Double>> e : phases.entrySet()) {
            double[] v = e.getValue().subList(2, reps).stream().mapToDouble(Double::doubleValue).toArray();
            System.out.printf("  %-40s %6.0f ms (%4.0f-%4.0f)  %6.0f MB/s of one core%n", e.getKey(), median(v) * 1e3,
                    min(v) * 1e3, max(v) * 1e3, mb / median(v));
        }
    }

    private static long phase(Map<String, List<Double>> phases, String name, long t0,
                              java.lang.management.ThreadMXBean mx) {
        long t = mx.getCurrentThreadCpuTime();
        phases.computeIfAbsent(name, k -> new ArrayList<>()).add((t - t0) / 1e9);
        return t;
    }

    private static double cat(List<String> paths) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("cat");
        cmd.addAll(paths);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("cat failed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Reads every file and parses it with Commons CSV, touching every cell: the bound. */
    private static double csvAlone(List<String> paths, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long cpu0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            List<Future<Long>> done = new ArrayList<>();
            for (String p : paths) {
                done.add(pool.submit(() -> {
                    byte[] bytes = Files.readAllBytes(Path.of(p));
                    long cells = 0;
                    try (CSVParser parser = CSVParser.parse(new StringReader(new String(bytes, StandardCharsets.UTF_8)),
                            FORMAT)) {
                        for (CSVRecord r : parser) {
                            for (int c = 0; c < r.size(); c++) {
                                cells += r.get(c).length();
                            }
                        }
                    }
                    return cells;
                }));
            }
            for (Future<Long> f : done) {
                f.get();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            lastCpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
            return s;
        } finally {
            pool.shutdown();
        }
    }

    private static double merge(Path root, List<String> paths, boolean durable, int threads, int round)
            throws Exception {
        Path results = root.resolve("results-" + durable + "-" + threads + "-" + round);
        InboxMerger merger = new InboxMerger();
        merger.setSweep(root.resolve("sweep.json").toString());
        merger.setResultsDir(results.toString());
        merger.setDurable(durable);
        merger.start();
        long cpu0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        if (threads == 1) {
            for (String p : paths) {
                merger.merge(p); // durable: on disk before the next log
            }
        } else {
            // as the route: read on the merge threads, then commit (a group) on threads of its own
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            ExecutorService syncPool = Executors.newFixedThreadPool(SYNC_THREADS);
            List<Future<Future<String>>> done = new ArrayList<>();
            for (String p : paths) {
                done.add(pool.submit(() -> {
                    InboxMerger.Incoming log = merger.read(p);
                    return syncPool.submit(() -> merger.commit(log));
                }));
            }
            for (var f : done) {
                f.get().get();
            }
            pool.shutdown();
            syncPool.shutdown();
        }
        merger.flush();
        double s = (System.nanoTime() - t0) / 1e9;
        lastCpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
        if (merger.store().size() != paths.size()) {
            throw new IllegalStateException("merged " + merger.store().size() + " of " + paths.size());
        }
        merger.close();
        delete(results);
        return s;
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
