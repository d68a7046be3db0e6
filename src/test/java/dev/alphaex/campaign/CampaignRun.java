package dev.alphaex.campaign;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Camel Main in this JVM on the project's real routes (routes/alphaex.yaml) and real
 * config/application.properties, with a test's overrides (campaign folder, clusters file, job).
 */
public final class CampaignRun implements AutoCloseable {
    public static final String TEST_JOB = "src/test/resources/jobs/test-job.sh";
    private final Main main;

    private CampaignRun(Main main) {
        this.main = main;
    }

    /** The overrides every campaign test starts from: a 5-combination sweep, the test job, no exit, no reload. */
    public static Map<String, String> defaults(Path dir, String clustersFile) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.main.routesIncludePattern", "file:routes/alphaex.yaml,file:" + clustersFile);
        p.put("camel.main.routesReloadEnabled", "false");
        p.put("campaign.routes", clustersFile);
        p.put("campaign.name", "test");
        p.put("campaign.dir", dir.toString());
        p.put("campaign.inbox", dir.resolve("inbox").toString());
        p.put("campaign.sweep", "src/test/resources/campaigns/test-sweep.json");
        p.put("campaign.runs", "4");
        p.put("campaign.script", TEST_JOB);
        p.put("campaign.args", "");
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"0.05\"}");
        p.put("campaign.exitWhenDone", "false");
        p.put("campaign.drainInboxBeforeExit", "false"); // no results routes here: nobody drains the inbox
        p.put("campaign.vanishAfterSeconds", "1");
        return p;
    }

    public static CampaignRun start(Map<String, String> overrides) throws Exception {
        return start(overrides, Map.of());
    }

    /** As {@link #start(Map)}, with more beans in Camel's registry (e.g. another transport, found by its name). */
    public static CampaignRun start(Map<String, String> overrides, Map<String, Object> beans) throws Exception {
        Main main = new Main();
        beans.forEach(main::bind);
        main.setPropertyPlaceholderLocations("file:config/application.properties");
        overrides.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            // as the end of the JVM would (AlphaExMain exits): a campaign that started before the failure lets go
            Campaign started = main.getCamelContext() == null ? null
                    : main.getCamelContext().getRegistry().lookupByNameAndType("campaign", Campaign.class);
            if (started != null) {
                started.close();
            }
            main.stop();
            throw e;
        }
        return new CampaignRun(main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Campaign campaign() {
        return context().getRegistry().lookupByNameAndType("campaign", Campaign.class);
    }

    public void awaitFinished(Duration timeout) throws InterruptedException {
        await(() -> campaign().finished(), timeout, "the campaign to finish: " + campaign().counts());
    }

    public static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** How many times each index started, from the test job's runs.log. */
    public static Map<Long, Integer> starts(Path dir) throws Exception {
        Map<Long, Integer> out = new java.util.TreeMap<>();
        Path log = dir.resolve("runs.log");
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                out.merge(Long.parseLong(line.split(" ")[0]), 1, Integer::sum);
            }
        }
        return out;
    }

    /** The indices that started so far, from the test job's runs.log (empty before the first start). */
    public static java.util.Set<Long> startsOn(Path dir) {
        try {
            return starts(dir).keySet();
        } catch (Exception e) {
            return java.util.Set.of();
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
