package dev.alphaex.merge;

import org.apache.camel.CamelContext;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 8 item 1, results side: two processes merging one inbox into one results store tore rows,
 * lost runs and merged runs twice. A second merger on a results folder is refused at start, by a
 * lock the OS releases when its process dies (also after kill -9). Tested with real processes.
 */
@Tag("slow")
class SecondMergerIsRefusedTest {
    @TempDir
    Path work;

    private InboxMerger merger() throws IOException {
        Files.writeString(work.resolve("sweep.json"), BanditLogs.SWEEP);
        InboxMerger m = new InboxMerger();
        m.setSweep(work.resolve("sweep.json").toString());
        m.setResultsDir(work.resolve("results").toString());
        return m;
    }

    @Test
    void aSecondMergerOnTheSameResultsIsRefusedWhileTheFirstProcessLivesAndTakenOnceItIsKilled() throws Exception {
        InboxMerger mine = merger();
        try (ChildJvm other = ChildJvm.start(MergerMain.class, null, work.resolve("sweep.json").toString(),
                work.resolve("results").toString())) {
            other.awaitLine("started", 60);
            assertThatThrownBy(mine::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another merger")
                    .hasMessageContaining("pid " + other.pid() + " on ");
            other.kill(); // kill -9: the OS releases its lock
        }
        mine.start();
        mine.merge(BanditLogs.write(work.resolve("inbox"), 0, 10).toString());
        assertThat(mine.store().size()).isEqualTo(1);
        mine.close();
    }

    @Test
    void aSecondMergerInTheSameProcessIsRefusedToo() throws Exception {
        InboxMerger first = merger();
        first.start();
        InboxMerger second = merger();
        try {
            assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another merger");
            first.close();
            second.start(); // closing the first releases it
            second.close();
        } finally {
            first.close();
        }
    }

    /**
     * The whole accident: the routes run in another process, a second start on the same folder is
     * refused, the other process is killed (-9) in the middle of a backlog, and a restart merges
     * the rest: every log exactly once, no torn row.
     */
    @Test
    void twoProcessesOnOneInboxNeverTearLoseOrDoubleARun() throws Exception {
        int logs = 60;
        int steps = 200;
        Path inbox = work.resolve("inbox");
        Files.createDirectories(inbox);
        Files.writeString(work.resolve("sweep.json"), BanditLogs.SWEEP);
        Map<String, String> props = new HashMap<>(Map.of("campaign.runs", "100", "merge.pollDelay", "50"));
        ChildJvm other = ChildJvm.start(ResultsRoutes.class, Path.of("").toAbsolutePath(),
                work.toString(), "campaign.runs=100", "merge.pollDelay=50");
        try {
            other.awaitLine("started", 60);
            assertThatThrownBy(() -> ResultsRoutes.start(work, props).stop())
                    .hasStackTraceContaining("in use by another merger");
            for (int i = 0; i < logs; i++) {
                BanditLogs.write(inbox, i, steps);
            }
            // kill it in the middle of the backlog
            long end = System.nanoTime() + 60_000_000_000L;
            while (ResultsRoutes.csvFiles(inbox.resolve("done")) < logs / 4 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
        } finally {
            other.kill();
        }
        CamelContext context = ResultsRoutes.start(work, props);
        try {
            long end = System.nanoTime() + 60_000_000_000L;
            while (ResultsRoutes.csvFiles(inbox) > 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(ResultsRoutes.csvFiles(inbox)).as("inbox drained").isZero();
        } finally {
            context.stop();
        }
        assertThat(ResultsRoutes.csvFiles(inbox.resolve("error"))).as("nothing refused").isZero();
        assertThat(ResultsRoutes.csvFiles(inbox.resolve("done"))).isEqualTo(logs);
        List<CSVRecord> rows;
        try (CSVParser p = CSVParser.parse(work.resolve("results/merged.csv"), StandardCharsets.UTF_8, CSVFormat.DEFAULT)) {
            rows = p.getRecords();
        }
        assertThat(rows).hasSize(1 + logs * steps);
        Map<String, Integer> perIndex = new HashMap<>();
        for (CSVRecord r : rows.subList(1, rows.size())) {
            assertThat(r.size()).as("row %d is whole", r.getRecordNumber()).isEqualTo(rows.get(0).size());
            perIndex.merge(r.get(0), 1, Integer::sum);
        }
        assertThat(perIndex).hasSize(logs).allSatisfy((index, n) -> assertThat(n).as("rows of index %s", index).isEqualTo(steps));
    }
}
