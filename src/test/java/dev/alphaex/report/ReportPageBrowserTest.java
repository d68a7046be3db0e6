package dev.alphaex.report;

import dev.alphaex.merge.BanditLogs;
import dev.alphaex.merge.InboxMerger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Opens the report page in headless Chromium (Debian's {@code chromium}; {@code .ci/run}
 * installs it) and checks that every chart image loads and the progress table is there.
 */
@Tag("slow")
class ReportPageBrowserTest {
    private static final Pattern IMG = Pattern.compile("<img [^>]*>");
    @TempDir
    Path work;
    private InboxMerger merger;
    private ReportService report;

    @BeforeEach
    void report() throws IOException {
        Path inbox = work.resolve("inbox");
        merger = BanditLogs.startMerger(work);
        for (int i = 0; i < 12; i++) {
            merger.merge(BanditLogs.write(inbox, i, 200).toString());
        }
        Files.writeString(inbox.resolve("12.csv"), "step,reward\n1,oops\n");
        merger.merge(inbox.resolve("12.csv").toString());
        merger.flush();
        Files.writeString(work.resolve("status.json"), "{\"campaign\": \"bandit\", \"updated\": \"2025-01-01T00:00:00Z\", "
                + "\"total\": 300, \"pending\": 280, \"submitted\": 0, \"running\": 8, \"completed\": 12, \"failed\": 0, "
                + "\"clusters\": [{\"name\": \"local\", \"kind\": \"local\", \"state\": \"ok\", \"capacity\": 8, "
                + "\"running\": 8, \"pending\": 0, \"completed\": 12, \"failed\": 0}, {\"name\": \"cedar\", \"kind\": "
                + "\"slurm\", \"state\": \"unreachable\"}]}");
        report = new ReportService();
        report.setWarmUp(false); // the tests draw themselves: no background drawing racing them
        report.setMerger(merger);
        report.setSpec("config/plots.yaml");
        report.setStatus(work.resolve("status.json").toString());
        report.setInbox(inbox.toString());
        report.setCampaign("bandit");
        report.start();
    }

    @AfterEach
    void close() throws IOException {
        merger.close();
    }

    @Test
    void everyImageOfThePageLoadsInChromium() throws Exception {
        Path page = report.replot();
        String dom = dumpDom(page);
        List<String> images = images(dom);
        assertThat(images).as("images on the page").hasSize(4);
        assertThat(images).allSatisfy(img -> assertThat(img).as("every image loads").contains("data-state=\"loaded\""));
        assertThat(dom).contains("4 of 4 loaded", "id=\"progress\"", "<td>280</td>", "unreachable", "error/12.csv",
                "average-reward.csv");
    }

    /**
     * Every figure has a table of final score and AUC per configuration; in the average-reward table
     * each configuration's final score is the mean over its runs of the mean reward of the last 10%
     * of steps (20 of 200), computed here from the store's runs.
     */
    @Test
    void theScoreTablesMatchTheStore() throws Exception {
        Path page = report.replot();
        String dom = dumpDom(page);
        assertThat(dom).contains("data-figure=\"average-reward\"", "data-figure=\"optimal-action\"",
                "data-figure=\"epsilon-sensitivity\"");
        var snap = merger.store().snapshot();
        int m = snap.metric("reward");
        for (var cs : snap.configurations()) {
            double sum = 0;
            for (long index : cs.indices()) {
                double[] v = snap.run(index).values(m);
                double last = 0;
                for (int i = v.length - 20; i < v.length; i++) {
                    last += v[i];
                }
                sum += last / 20;
            }
            double expected = sum / cs.runs();
            String label = "epsilon=" + dev.alphaex.merge.Values.text(cs.configuration().get("epsilon"));
            Matcher row = Pattern.compile("data-figure=\"average-reward\".*?<tr data-configuration=\"" + Pattern.quote(label)
                    + "\"><td class=\"l\">[^<]*</td><td data-value=\"([^\"]+)\">.*?<td>(\\d+)</td></tr>", Pattern.DOTALL)
                    .matcher(dom);
            assertThat(row.find()).as("a row for %s", label).isTrue();
            assertThat(Double.parseDouble(row.group(1))).as("final score of %s", label)
                    .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(Integer.parseInt(row.group(2))).as("n of %s", label).isEqualTo(cs.runs());
        }
    }

    @Test
    void aMissingChartIsSeenAsFailed() throws Exception {
        Path page = report.replot();
        Files.delete(page.resolveSibling("optimal-action.png"));
        String dom = dumpDom(page);
        assertThat(images(dom)).filteredOn(img -> img.contains("optimal-action")).singleElement().asString()
                .contains("data-state=\"failed\"");
        assertThat(dom).contains("3 of 4 loaded, 1 failed");
    }

    private static List<String> images(String dom) {
        List<String> out = new ArrayList<>();
        Matcher m = IMG.matcher(dom);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private String dumpDom(Path page) throws IOException, InterruptedException {
        String chromium = chromium();
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> cmd = List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--dump-dom",
                page.toAbsolutePath().toUri().toString());
        Path out = work.resolve("dom.html");
        Path err = work.resolve("chromium.log");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 90 s: " + Files.readString(err));
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || dom.isBlank()) {
            fail("chromium exited with " + p.exitValue() + " and no page: " + Files.readString(err));
        }
        return dom;
    }

    /**
     * The Chromium binary: $CHROMIUM, else chromium or chromium-browser on the PATH. Without one the
     * test is skipped with the reason, except where ALPHAEX_BROWSER_TESTS=required (CI): there it fails.
     */
    static String chromium() {
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) {
            return env;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : new String[]{"chromium", "chromium-browser"}) {
                File f = new File(dir, name);
                if (f.canExecute()) {
                    return f.getPath();
                }
            }
        }
        String why = "headless Chromium is needed to check the report page, and none was found on the PATH (nor $CHROMIUM): "
                + "install Debian's package with `apt-get install chromium` (.ci/run does this on CI)";
        if ("required".equals(System.getenv("ALPHAEX_BROWSER_TESTS"))) {
            fail(why); // CI: never skipped
        }
        org.junit.jupiter.api.Assumptions.abort(why + "; skipped here (ALPHAEX_BROWSER_TESTS=required makes it fail)");
        return null;
    }
}
