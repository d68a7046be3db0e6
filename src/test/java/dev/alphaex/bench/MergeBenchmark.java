package dev.alphaex.bench;

import dev.alphaex.merge.BanditLogs;
import dev.alphaex.merge.InboxMerger;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Merge throughput, next to {@code cat} of the same files in the same run (the baseline):
 * 2,000 logs of 1,000 rows of the example campaign's shape ({@code step,reward,optimal_action},
 * rewards written by Double.toString), merged one by one through the inbox route's bean
 * ({@link InboxMerger#merge}: read, parse with Commons CSV, validate, append to the tidy CSV and
 * runs file, commit to the ledger, update the summaries; then one flush), into a fresh store each
 * round; durable (each merge forced to disk, the default) and not; one thread, and two threads
 * as the route runs it ({@code merge.threads}, default 2).
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.bench.MergeBenchmark</pre>
 * Optional arguments: files, rows (default 2000 1000).
 */
public final class MergeBenchmark {
    private MergeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
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
            System.out.printf("merge benchmark: %,d files x %,d rows = %.1f MB, %s, %d cores%n", files, rows, mb,
                    System.getProperty("java.vm.name") + " " + Runtime.version(), Runtime.getRuntime().availableProcessors());

            double[] cat = new double[3];
            for (int r = 0; r < cat.length; r++) {
                cat[r] = cat(paths);
            }
            double catS = min(cat);
            System.out.printf("cat of the same files:       %7.3f s  %7.1f MB/s (best of 3, warm cache)%n", catS, mb / catS);

            for (int threads : new int[]{1, 2}) {
                for (boolean durable : new boolean[]{false, true}) {
                    double[] t = new double[3];
                    for (int r = 0; r < t.length; r++) {
                        t[r] = merge(root, paths, durable, threads, r);
                    }
                    double s = min(t);
                    System.out.printf("merge, %d thread%s, durable=%-5s: %7.3f s  %7.1f MB/s  ratio to cat %.3f  (best of 3; rounds %s s)%n",
                            threads, threads == 1 ? " " : "s", durable, s, mb / s, catS / s, Arrays.toString(round(t)));
                }
            }
        } finally {
            delete(root);
        }
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

    private static double merge(Path root, List<String> paths, boolean durable, int threads, int round)
            throws Exception {
        Path results = root.resolve("results-" + durable + "-" + threads + "-" + round);
        InboxMerger merger = new InboxMerger();
        merger.setSweep(root.resolve("sweep.json").toString());
        merger.setResultsDir(results.toString());
        merger.setDurable(durable);
        merger.start();
        long t0 = System.nanoTime();
        if (threads == 1) {
            for (String p : paths) {
                merger.merge(p);
            }
        } else {
            // as the route's threads step does: several files at once through the same bean
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<String>> done = new ArrayList<>();
            for (String p : paths) {
                done.add(pool.submit(() -> merger.merge(p)));
            }
            for (var f : done) {
                f.get();
            }
            pool.shutdown();
        }
        merger.flush();
        double s = (System.nanoTime() - t0) / 1e9;
        if (merger.store().size() != paths.size()) {
            throw new IllegalStateException("merged " + merger.store().size() + " of " + paths.size());
        }
        merger.close();
        delete(results);
        return s;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static String[] round(double[] v) {
        return Arrays.stream(v).mapToObj(x -> String.format("%.2f", x)).toArray(String[]::new);
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
