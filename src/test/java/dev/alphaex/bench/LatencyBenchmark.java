package dev.alphaex.bench;

import dev.alphaex.merge.BanditLogs;
import dev.alphaex.merge.InboxMerger;
import dev.alphaex.merge.MergeStore;
import dev.alphaex.report.ReportService;
import dev.alphaex.sweep.Sweep;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One new log into a store of 10,000 merged runs (the example campaign: 3 configurations x
 * 3,334 runs x 1,000 steps): the time from pick-up (the merge bean gets the file) to updated
 * charts (the 3 charts of config/plots.yaml in PNG and SVG and the report page rewritten), i.e.
 * merge + flush + replot, as the routes call them; and, through the real routes/results.yaml,
 * from the atomic rename into the inbox to the end of the replot (adds the poll delay and the
 * time the inbox watch gives a renamed-in log). The baseline in the same run: a replot with no new log.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.bench.LatencyBenchmark</pre>
 * Optional argument: runs in the store (default 10000).
 */
public final class LatencyBenchmark {
    private LatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path root = Files.createTempDirectory("alphaex-latency-bench");
        try {
            Path sweepFile = root.resolve("sweep.json");
            Files.writeString(sweepFile, BanditLogs.SWEEP);
            Path results = root.resolve("results");
            Path inbox = root.resolve("inbox");
            long t0 = System.nanoTime();
            try (MergeStore store = MergeStore.open(results, Sweep.load(sweepFile), new MergeStore.Options().durable(false))) {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    int index = i;
                    done.add(pool.submit(() -> store.commit(store.prepare(index + ".csv", BanditLogs.bytes(index, 1000)))));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                pool.shutdown();
            }
            System.out.printf("latency benchmark: store of %,d runs x 1,000 steps built in %.1f s, %s%n", runs,
                    (System.nanoTime() - t0) / 1e9, System.getProperty("java.vm.name") + " " + Runtime.version());

            InboxMerger merger = new InboxMerger();
            merger.setSweep(sweepFile.toString());
            merger.setResultsDir(results.toString());
            t0 = System.nanoTime();
            merger.start();
            System.out.printf("store re-opened (restart) in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            ReportService report = new ReportService();
            report.setMerger(merger);
            report.setSpec("config/plots.yaml");
            report.setInbox(inbox.toString());
            report.setStatus(root.resolve("status.json").toString());
            // each measured log arrives after a quiet spell: the burst throttle (report.minIntervalMillis)
            // never delays such a log; back-to-back replots here would wait for it
            report.setMinIntervalMillis(0);
            report.start();
            t0 = System.nanoTime();
            report.replot();
            System.out.printf("first replot (reads every run once for the sensitivity scores): %.0f ms%n",
                    (System.nanoTime() - t0) / 1e6);
            for (int i = 0; i < 10; i++) {
                report.replot();
            }
            double[] baseline = RenderBenchmark.time(10, report::replot);
            double[] merge = new double[20];
            double[] total = new double[20];
            int next = runs;
            for (int k = 0; k < total.length; k++) {
                Path file = BanditLogs.write(inbox, next++, 1000);
                long a = System.nanoTime();
                merger.merge(file.toString());
                merger.flush();
                long b = System.nanoTime();
                report.replot();
                long c = System.nanoTime();
                merge[k] = (b - a) / 1e6;
                total[k] = (c - a) / 1e6;
                Files.move(file, Files.createDirectories(root.resolve("merged-by-hand")).resolve(file.getFileName()));
            }
            System.out.printf("replot alone (baseline):          median %5.0f ms%n", RenderBenchmark.median(baseline));
            System.out.printf("pick-up to updated charts:         median %5.0f ms, max %5.0f ms (merge+flush median %.1f ms; 20 logs)%n",
                    RenderBenchmark.median(total), max(total), RenderBenchmark.median(merge));
            merger.close();

            // the same through the real routes
            CamelContext context = new DefaultCamelContext();
            Properties p = new Properties();
            p.setProperty("campaign.sweep", sweepFile.toString());
            p.setProperty("campaign.dir", root.toString());
            p.setProperty("campaign.inbox", inbox.toString());
            p.setProperty("results.dir", results.toString());
            context.getPropertiesComponent().setInitialProperties(p);
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:routes/results.yaml"));
            long t1 = System.nanoTime();
            java.nio.file.attribute.FileTime page = Files.getLastModifiedTime(results.resolve("index.html"));
            context.start();
            System.out.printf("routes started (store re-opened) in %.0f ms%n", (System.nanoTime() - t1) / 1e6);
            while (Files.getLastModifiedTime(results.resolve("index.html")).equals(page)) {
                Thread.sleep(50); // the warm-up replot
            }
            double[] e2e = new double[20];
            for (int k = 0; k < e2e.length; k++) {
                NotifyBuilder replotted = new NotifyBuilder(context).fromRoute("results-replot").whenCompleted(1).create();
                Path tmp = inbox.resolve("." + next + ".csv.tmp");
                Files.write(tmp, BanditLogs.bytes(next, 1000));
                long a = System.nanoTime();
                Files.move(tmp, inbox.resolve(next + ".csv"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                if (!replotted.matches(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no replot");
                }
                e2e[k] = (System.nanoTime() - a) / 1e6;
                next++;
                Thread.sleep(2100); // the next log arrives after a quiet spell (longer than report.minIntervalMillis)
            }
            context.stop();
            System.out.printf("through routes/results.yaml, rename to charts: median %5.0f ms, max %5.0f ms "
                    + "(defaults: poll every 100 ms; a log renamed in is taken once the inbox watch has seen it for %d ms)%n",
                    RenderBenchmark.median(e2e), max(e2e), 50);
        } finally {
            MergeBenchmark.delete(root);
        }
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
