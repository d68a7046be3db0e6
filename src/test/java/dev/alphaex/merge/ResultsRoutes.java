package dev.alphaex.merge;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The real routes/results.yaml in a Camel context over a work folder ({@code sweep.json},
 * {@code inbox/}, {@code results/}), with the example's sweep: the results tests' common start.
 * Also a main class, so that a test can run the routes in a process of their own:
 * {@code ResultsRoutes WORK [name=value...]} prints {@code started} once the routes run, and stops
 * when its standard input ends.
 */
public final class ResultsRoutes {
    private ResultsRoutes() {
    }

    /** The properties of a campaign of 10 runs in {@code work} (any of them overridden by {@code extra}). */
    public static Properties properties(Path work, Map<String, String> extra) {
        Properties p = new Properties();
        p.setProperty("campaign.name", "bandit");
        p.setProperty("campaign.sweep", work.resolve("sweep.json").toString());
        p.setProperty("campaign.runs", "10");
        p.setProperty("campaign.dir", work.toString());
        p.setProperty("campaign.inbox", work.resolve("inbox").toString());
        p.setProperty("results.dir", work.resolve("results").toString());
        p.setProperty("plot.spec", "config/plots.yaml");
        p.putAll(extra);
        return p;
    }

    /** Writes the example's sweep (unless there is one) and starts the routes. */
    public static CamelContext start(Path work, Map<String, String> extra) throws Exception {
        Files.createDirectories(work.resolve("inbox"));
        if (!Files.exists(work.resolve("sweep.json"))) {
            Files.writeString(work.resolve("sweep.json"), BanditLogs.SWEEP);
        }
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(properties(work, extra));
        try {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:routes/results.yaml"));
            context.start();
        } catch (Exception | Error e) {
            context.stop();
            throw e;
        }
        return context;
    }

    /** Waits until a file exists (the file consumer moves a file after its exchange completes). */
    public static boolean await(Path file, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** Every {@code *.csv} left in a folder (not its subfolders). */
    public static long csvFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv")).count();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> extra = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            extra.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        CamelContext context = start(Path.of(args[0]), extra);
        System.out.println("started " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the parent closes our input (or kills us)
        }
        context.stop();
    }
}
