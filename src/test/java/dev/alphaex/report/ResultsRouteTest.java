package dev.alphaex.report;

import dev.alphaex.merge.BanditLogs;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The real routes/results.yaml in a Camel context: logs dropped into the inbox become merged data, charts and a page. */
@Tag("slow")
class ResultsRouteTest {
    @TempDir
    Path work;
    private CamelContext context;
    private Path inbox;
    private Path results;

    @BeforeEach
    void start() throws Exception {
        inbox = work.resolve("inbox");
        results = work.resolve("results");
        Files.createDirectories(inbox);
        Files.writeString(work.resolve("sweep.json"), BanditLogs.SWEEP);
        Files.copy(Path.of("config/plots.yaml"), work.resolve("plots.yaml"));
        context = startContext();
    }

    private CamelContext startContext() throws Exception {
        CamelContext context = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("campaign.name", "bandit");
        p.setProperty("campaign.sweep", work.resolve("sweep.json").toString());
        p.setProperty("campaign.runs", "10");
        p.setProperty("campaign.dir", work.toString());
        p.setProperty("campaign.inbox", inbox.toString());
        p.setProperty("results.dir", results.toString());
        p.setProperty("plot.spec", work.resolve("plots.yaml").toString());
        p.setProperty("merge.readLockMinAge", "200");
        p.setProperty("merge.pollDelay", "100");
        context.getPropertiesComponent().setInitialProperties(p);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:routes/results.yaml"));
        context.start();
        return context;
    }

    /** The file consumer moves a file after the exchange completes: wait for the move itself. */
    private static void awaitFile(Path file) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(file).exists();
    }

    /** Waits until the report page says this (the drawing follows the merge within the minimum interval). */
    private void awaitPage(String text) throws Exception {
        Path page = results.resolve("index.html");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end && !(Files.exists(page) && Files.readString(page).contains(text))) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(page)).contains(text);
    }

    private void mergeThreeLogsAndAwaitThePage() throws Exception {
        NotifyBuilder merged = new NotifyBuilder(context).fromRoute("results-merge").whenCompleted(3).create();
        for (int i = 0; i < 3; i++) {
            BanditLogs.write(inbox, i, 30);
        }
        assertThat(merged.matches(10, TimeUnit.SECONDS)).isTrue();
        awaitPage("3 runs of 3 configurations merged");
    }

    private ReportService report() {
        return context.getRegistry().lookupByNameAndType("plotReport", ReportService.class);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void droppedLogsAreMergedChartedAndBadOnesQuarantined() throws Exception {
        NotifyBuilder replotted = new NotifyBuilder(context).fromRoute("results-replot").whenCompleted(1).create();
        NotifyBuilder merged = new NotifyBuilder(context).fromRoute("results-merge").whenCompleted(12).create();
        for (int i = 0; i < 10; i++) {
            BanditLogs.write(inbox, i, 100);
        }
        Files.writeString(inbox.resolve("10.csv"), "step,reward,optimal_action\n1,0.5,x\n");
        Files.writeString(inbox.resolve("30.csv"), "step,reward,optimal_action\n1,0.5,1\n");
        assertThat(merged.matches(20, TimeUnit.SECONDS)).as("12 files through the merge route").isTrue();
        assertThat(replotted.matches(20, TimeUnit.SECONDS)).as("a replot").isTrue();

        assertThat(Files.readAllLines(results.resolve("merged.csv"))).hasSize(1 + 10 * 100);
        assertThat(results.resolve("summaries/2.csv")).exists();
        for (int i = 0; i < 10; i++) {
            awaitFile(inbox.resolve("done/" + i + ".csv"));
        }
        awaitFile(inbox.resolve("error/30.csv"));
        assertThat(Files.readString(inbox.resolve("error/10.csv.reason.txt"), StandardCharsets.UTF_8))
                .contains("line: 2", "column 'optimal_action'", "'x' is not a number");
        assertThat(Files.readString(inbox.resolve("error/30.csv.reason.txt"))).contains("index 30 is outside the campaign");
        assertThat(inbox.resolve("error/10.csv")).exists();
        awaitPage("10 runs of 3 configurations merged");
        assertThat(results.resolve("average-reward.png")).exists();
        assertThat(results.resolve("average-reward.svg")).exists();
        assertThat(results.resolve("average-reward.csv")).exists();
        assertThat(Files.readString(results.resolve("index.html"))).contains("average-reward.png", "error/10.csv",
                "average-reward.csv");
        assertThat(Files.list(inbox).filter(Files::isRegularFile)).isEmpty();
    }

    @Test
    void aBurstOfLogsGivesOneReplot() throws Exception {
        context.getRouteController().suspendRoute("results-merge");
        for (int i = 0; i < 30; i++) {
            BanditLogs.write(inbox, i, 50);
        }
        int before = report().drawings();
        context.getRouteController().resumeRoute("results-merge");
        awaitPage("30 runs of 3 configurations merged");
        assertThat(report().drawings()).as("drawings for a burst of 30 logs").isLessThanOrEqualTo(before + 2);
        int after = report().drawings();
        Thread.sleep(1500);
        assertThat(report().drawings()).as("no drawing without news").isEqualTo(after);
    }

    @Test
    void aValidEditOfThePlotSpecIsDrawnWithoutANewLog() throws Exception {
        mergeThreeLogsAndAwaitThePage();
        Files.writeString(work.resolve("plots.yaml"), Files.readString(work.resolve("plots.yaml"))
                + "  - {name: reward-iqm, kind: aggregate, metric: reward}\n");
        awaitPage("reward-iqm.png"); // no log arrives: the tick route sees the edit (awaitPage gives up after 10 s)
        assertThat(results.resolve("reward-iqm.csv")).exists();
    }

    @Test
    void noThreadOfTheResultsOutlivesTheContext() throws Exception {
        mergeThreeLogsAndAwaitThePage();
        context.stop();
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
                .extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("plot-") || n.startsWith("report-") || n.contains("results-"));
    }

    @Test
    void aSecondLogForAnIndexIsQuarantinedAndARedeliveryIsNot() throws Exception {
        NotifyBuilder first = new NotifyBuilder(context).fromRoute("results-merge").whenCompleted(1).create();
        BanditLogs.write(inbox, 4, 20);
        assertThat(first.matches(10, TimeUnit.SECONDS)).isTrue();
        awaitFile(inbox.resolve("done/4.csv"));
        NotifyBuilder more = new NotifyBuilder(context).fromRoute("results-merge").whenCompleted(1).create();
        Files.write(inbox.resolve("4.csv"), BanditLogs.bytes(4, 20)); // the same bytes again
        Files.write(inbox.resolve("4.csv.tmp"), BanditLogs.bytes(4, 21)); // a job still writing: never read
        assertThat(more.matches(10, TimeUnit.SECONDS)).isTrue();
        while (Files.exists(inbox.resolve("4.csv"))) {
            Thread.sleep(20);
        }
        NotifyBuilder third = new NotifyBuilder(context).fromRoute("results-merge").whenCompleted(1).create();
        Files.move(inbox.resolve("4.csv.tmp"), inbox.resolve("4.csv")); // a different log for index 4
        assertThat(third.matches(10, TimeUnit.SECONDS)).isTrue();
        awaitFile(inbox.resolve("error/4.csv"));
        try (var done = Files.list(inbox.resolve("done"))) {
            assertThat(done.map(f -> f.getFileName().toString())).hasSize(2).contains("4.csv")
                    .anySatisfy(n -> assertThat(n).matches("4\\.\\d{8}T\\d{6}\\.\\d{3}\\.csv"));
        }
        assertThat(Files.readString(inbox.resolve("error/4.csv.reason.txt"))).contains("index 4 was already merged");
        assertThat(Files.readAllLines(results.resolve("merged.csv"))).hasSize(1 + 20);
    }

    @Test
    void aFileStillBeingCopiedInByHandIsReadOnlyWhenComplete() throws Exception {
        NotifyBuilder merged = new NotifyBuilder(context).fromRoute("results-merge").whenCompleted(1).create();
        String log = BanditLogs.log(7, 40);
        try (var out = Files.newBufferedWriter(inbox.resolve("7.csv"))) {
            for (String line : log.split("(?<=\n)")) {
                out.write(line);
                out.flush();
                Thread.sleep(25); // a slow copy: a line every 25 ms for a second, quiet less than the 200 ms minimum age
            }
        }
        assertThat(merged.matches(10, TimeUnit.SECONDS)).isTrue();
        awaitFile(inbox.resolve("done/7.csv"));
        assertThat(Files.readAllLines(results.resolve("merged.csv"))).hasSize(1 + 40);
    }

    @Test
    void theStoreSurvivesARestartOfTheRoutes() throws Exception {
        NotifyBuilder merged = new NotifyBuilder(context).fromRoute("results-merge").whenCompleted(3).create();
        for (int i = 0; i < 3; i++) {
            BanditLogs.write(inbox, i, 30);
        }
        assertThat(merged.matches(10, TimeUnit.SECONDS)).isTrue();
        context.stop();
        context = startContext();
        BanditLogs.write(inbox, 3, 30);
        awaitPage("4 runs of 3 configurations merged");
        assertThat(Files.readString(results.resolve("summaries/0.csv"))).contains(": 2 runs, store seq 4");
    }
}
