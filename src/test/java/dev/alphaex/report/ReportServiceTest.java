package dev.alphaex.report;

import dev.alphaex.merge.BanditLogs;
import dev.alphaex.merge.InboxMerger;
import dev.alphaex.plot.PlotSpecException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportServiceTest {
    @TempDir
    Path work;
    private InboxMerger merger;
    private ReportService report;
    private Path spec;
    private Path status;

    @BeforeEach
    void start() throws IOException {
        merger = BanditLogs.startMerger(work);
        merger.merge(BanditLogs.write(work.resolve("inbox"), 0, 50).toString());
        spec = work.resolve("plots.yaml");
        Files.writeString(spec, "figures:\n  - {name: reward, metric: reward}\n");
        status = work.resolve("status.json");
        report = new ReportService();
        report.setWarmUp(false); // the tests draw themselves: no background drawing racing them
        report.setMerger(merger);
        report.setSpec(spec.toString());
        report.setStatus(status.toString());
        report.setInbox(work.resolve("inbox").toString());
    }

    @AfterEach
    void close() throws IOException {
        merger.close();
    }

    private String page() throws IOException {
        return Files.readString(work.resolve("results/index.html"));
    }

    @Test
    void thePageSaysWhenThereIsNoStatusYetAndFollowsTheStatusFile() throws IOException {
        report.start();
        report.replot();
        assertThat(page()).contains("no campaign status yet", "status.json does not exist");
        Files.writeString(status, "{\"campaign\": \"bandit\", \"total\": 300, \"completed\": 17}");
        report.refreshStatus();
        assertThat(page()).contains("<td>17</td>", "<td>300</td>");
        Files.writeString(status, "{\"campaign\": \"bandit\", \"total\": 300, \"completed\": 18}");
        Files.setLastModifiedTime(status, FileTime.from(Instant.now().plusSeconds(5)));
        report.refreshStatus();
        assertThat(page()).contains("<td>18</td>");
    }

    @Test
    void aSpecEditedIntoAnErrorIsReportedAndTheLastGoodOneIsKept() throws IOException {
        report.start();
        report.replot();
        Files.writeString(spec, "figures:\n  - {name: reward, metric: reward, band: wide}\n");
        Files.setLastModifiedTime(spec, FileTime.from(Instant.now().plusSeconds(5)));
        report.replot();
        assertThat(page()).contains("The plot spec cannot be used", "plots.yaml:2:", "&#39;band&#39; is &#39;wide&#39;",
                "reward.png");
        Files.writeString(spec, "figures:\n  - {name: reward2, metric: reward}\n");
        Files.setLastModifiedTime(spec, FileTime.from(Instant.now().plusSeconds(10)));
        report.replot();
        assertThat(page()).doesNotContain("cannot be used").contains("reward2.png");
    }

    @Test
    void anInvalidSpecStopsTheStartNamingTheFile() throws IOException {
        Files.writeString(spec, "figures:\n  - {name: reward, metric: reward, splitBy: [alpha]}\n");
        assertThatThrownBy(() -> report.start()).isInstanceOf(PlotSpecException.class)
                .hasMessageContaining("plots.yaml:2:").hasMessageContaining("'alpha' is not a key of the sweep");
    }

    @Test
    void anUnknownMetricIsShownOnThePageNotThrown() throws IOException {
        Files.writeString(spec, "figures:\n  - {name: loss, metric: loss}\n");
        report.start();
        report.replot();
        assertThat(page()).contains("metric &#39;loss&#39; is not a column of the merged logs (reward, optimal_action)");
    }

    @Test
    void aFinishedCampaignsPageStopsReloadingItself() throws IOException {
        report.setRefreshSeconds(15);
        report.start();
        Files.writeString(status, "{\"campaign\": \"bandit\", \"total\": 300, \"completed\": 17, \"finished\": false}");
        report.replot();
        assertThat(page()).contains("<meta http-equiv=\"refresh\" content=\"15\">");
        Files.writeString(status, "{\"campaign\": \"bandit\", \"total\": 300, \"completed\": 300, \"finished\": true}");
        Files.setLastModifiedTime(status, FileTime.from(Instant.now().plusSeconds(5)));
        report.close(); // the stop after the campaign's summary: the page is rewritten with the last status
        assertThat(page()).doesNotContain("http-equiv=\"refresh\"").contains("no longer reloads itself", "<td>300</td>");
    }

    @Test
    void negativeReportNumbersAreRefusedNamingTheProperty() {
        report.setRefreshSeconds(-5);
        assertThatThrownBy(() -> report.start()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("report.refreshSeconds must be 0 or more").hasMessageContaining("got -5");
        report.setRefreshSeconds(15);
        report.setMinIntervalMillis(-1);
        assertThatThrownBy(() -> report.start()).hasMessageContaining("report.minIntervalMillis");
        report.setMinIntervalMillis(0);
        report.setStatusPeriod(0);
        assertThatThrownBy(() -> report.start()).hasMessageContaining("report.statusPeriod must be 1 or more");
    }

    @Test
    void valuesReachThePageEscapedByTheTemplateEngine() throws IOException {
        Files.writeString(spec, "figures:\n  - {name: reward, metric: reward, title: \"<script>x</script> & 'q'\"}\n");
        report.setCampaign("<b>bandit</b>");
        report.start();
        report.replot();
        assertThat(page()).doesNotContain("<script>x", "<b>bandit").contains("&lt;script&gt;x&lt;/script&gt; &amp;",
                "&lt;b&gt;bandit");
    }
}
