package dev.alphaex.bench;

import dev.alphaex.merge.BanditLogs;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A backlog of logs merged through the real routes/results.yaml (merge, summaries, charts and page
 * as they run): 10,000 logs of 1,000 rows of the example campaign's shape renamed into the inbox
 * at once (as the campaign's collector delivers them), timed from the first rename to the last log
 * in done/; MB/s of logs, next to {@code cat} of the same files in the same run (best of 3). Then
 * the store's size on disk next to the logs' size, file by file.
 *
 * <p>It uses nothing but the routes, the example's logs and the file system, so the same file
 * measures another version of the store (copy it into that checkout's src/test/java/dev/alphaex/bench).
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.bench.BacklogBenchmark</pre>
 * Optional arguments: logs, rows (default 10000 1000).
 */
public final class BacklogBenchmark {
    private BacklogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        int logs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path root = Files.createTempDirectory("alphaex-backlog-bench");
        try {
            Path staging = root.resolve("staging");
            long bytes = 0;
            List<String> paths = new ArrayList<>(logs);
            for (int i = 0; i < logs; i++) {
                Path p = BanditLogs.write(staging, i, rows);
                bytes += Files.size(p);
                paths.add(p.toString());
            }
            double mb = bytes / 1e6;
            double cat = Math.min(cat(paths), Math.min(cat(paths), cat(paths)));
            System.out.printf("backlog benchmark: %,d logs x %,d rows = %.1f MB, %s, %d cores, load average %s%n", logs, rows,
                    mb, System.getProperty("java.vm.name") + " " + Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            System.out.printf("  cat of the same files (baseline, best of 3): %7.2f s %8.1f MB/s%n", cat, mb / cat);

            Path inbox = Files.createDirectories(root.resolve("inbox"));
            Path results = root.resolve("results");
            Files.writeString(root.resolve("sweep.json"), BanditLogs.SWEEP);
            CamelContext context = new DefaultCamelContext();
            Properties p = new Properties();
            p.setProperty("campaign.name", "bandit");
            p.setProperty("campaign.sweep", root.resolve("sweep.json").toString());
            p.setProperty("campaign.dir", root.toString());
            p.setProperty("campaign.inbox", inbox.toString());
            p.setProperty("results.dir", results.toString());
            context.getPropertiesComponent().setInitialProperties(p);
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:routes/results.yaml"));
            context.start();
            long wait = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(results.resolve("index.html")) && System.nanoTime() < wait) {
                Thread.sleep(50); // the warm-up drawing
            }
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            for (int i = 0; i < logs; i++) {
                Files.move(staging.resolve(i + ".csv"), inbox.resolve(i + ".csv"), StandardCopyOption.ATOMIC_MOVE);
            }
            double renamed = (System.nanoTime() - t0) / 1e9;
            Path done = inbox.resolve("done");
            long end = System.nanoTime() + 3_600_000_000_000L;
            while (count(done) < logs && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            double cpuS = (cpu() - cpu0) / 1e9;
            context.stop();
            if (count(done) != logs) {
                throw new IllegalStateException("only " + count(done) + " of " + logs + " logs reached done/");
            }
            System.out.printf("  through routes/results.yaml:                 %7.2f s %8.1f MB/s  ratio to cat %.3f  "
                    + "(%,.0f logs/s; renames took %.2f s; JVM cpu %.1f s)%n", s, mb / s, cat / s, logs / s, renamed, cpuS);
            Map<String, Long> sizes = new TreeMap<>();
            long store = 0;
            try (var walk = Files.walk(results)) {
                for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    String name = results.relativize(f).toString();
                    String key = name.startsWith("summaries") ? "summaries/" : name;
                    if (name.endsWith(".png") || name.endsWith(".svg") || name.endsWith(".html")) {
                        continue; // charts and page, not the store
                    }
                    sizes.merge(key, Files.size(f), Long::sum);
                    store += Files.size(f);
                }
            }
            StringBuilder parts = new StringBuilder();
            final long logBytes = bytes;
            sizes.forEach((k, v) -> parts.append(String.format("%s %.1f MB (%.2f), ", k, v / 1e6, v / (double) logBytes)));
            System.out.printf("  store on disk: %.1f MB = %.2f x the logs (%.1f MB): %s%n", store / 1e6, store / (double) bytes,
                    mb, parts.substring(0, parts.length() - 2));
            System.out.printf("  load average after: %s%n", loadAverage());
        } finally {
            delete(root);
        }
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv")).count();
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double cat(List<String> paths) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        for (int from = 0; from < paths.size(); from += 2000) {
            List<String> cmd = new ArrayList<>();
            cmd.add("cat");
            cmd.addAll(paths.subList(from, Math.min(paths.size(), from + 2000)));
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IOException("cat failed");
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
