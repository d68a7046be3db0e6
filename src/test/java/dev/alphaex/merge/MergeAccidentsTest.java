package dev.alphaex.merge;

import dev.alphaex.sweep.Sweep;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 8, results side: the ordinary accidents at the inbox, each through the real
 * routes/results.yaml with its default settings (items 2, 10 and 13).
 */
@Tag("slow")
class MergeAccidentsTest {
    @TempDir
    Path work;
    private CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    private Path inbox() {
        return work.resolve("inbox");
    }

    /** Item 2: a log written in two parts 3 s apart is merged whole, never in part. */
    @Test
    void aSlowCopyIsNotMergedInPart() throws Exception {
        context = ResultsRoutes.start(work, Map.of());
        String log5 = BanditLogs.log(5, 100);
        String log6 = BanditLogs.log(6, 100);
        String log8 = BanditLogs.log(8, 100);
        int betweenRows = log5.indexOf('\n', log5.length() / 2) + 1;
        int midRow = log6.indexOf('\n', log6.length() / 2) + 7;
        Path parts = Files.createDirectories(work.resolve("parts"));
        Files.writeString(parts.resolve("5a"), log5.substring(0, betweenRows));
        Files.writeString(parts.resolve("5b"), log5.substring(betweenRows));
        Files.writeString(parts.resolve("6a"), log6.substring(0, midRow));
        Files.writeString(parts.resolve("6b"), log6.substring(midRow));
        Files.writeString(parts.resolve("8a"), log8.substring(0, log8.length() / 3));
        Files.writeString(parts.resolve("8b"), log8.substring(log8.length() / 3));
        // real slow writers: a copy that keeps the file open through the pause (a stalled scp) and
        // jobs that append in two commands (the file closed in between), the pause between rows or mid-row
        Process open = new ProcessBuilder("sh", "-c", "{ cat parts/5a; sleep 3; cat parts/5b; } > inbox/5.csv")
                .directory(work.toFile()).inheritIO().start();
        Process appendMidRow = new ProcessBuilder("sh", "-c", "cat parts/6a > inbox/6.csv; sleep 3; cat parts/6b >> inbox/6.csv")
                .directory(work.toFile()).inheritIO().start();
        Process appendMidRowOpen = new ProcessBuilder("sh", "-c", "{ cat parts/8a; sleep 3; cat parts/8b; } > inbox/8.csv")
                .directory(work.toFile()).inheritIO().start();
        assertThat(open.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(appendMidRow.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(appendMidRowOpen.waitFor(20, TimeUnit.SECONDS)).isTrue();
        for (String name : new String[]{"5.csv", "6.csv", "8.csv"}) {
            assertThat(ResultsRoutes.await(inbox().resolve("done").resolve(name), 30)).as(name + " merged").isTrue();
        }
        assertThat(inbox().resolve("error")).as("nothing refused").doesNotExist();
        assertThat(Files.readAllLines(work.resolve("results/merged.csv"))).hasSize(1 + 3 * 100);
        assertThat(Files.readString(inbox().resolve("done/6.csv"))).isEqualTo(log6);
    }

    /** Item 13: a symbolic link named 5.csv is never read: refused to error/, the link moved, the target untouched. */
    @Test
    void aSymbolicLinkInTheInboxIsNeverRead() throws Exception {
        context = ResultsRoutes.start(work, Map.of("merge.readLockMinAge", "200"));
        Path outside = Files.createDirectories(work.resolve("elsewhere")).resolve("secret.csv");
        Files.writeString(outside, BanditLogs.log(4, 20)); // even a valid log is not read through a link
        FileTime before = Files.getLastModifiedTime(outside);
        Files.createSymbolicLink(inbox().resolve("4.csv"), outside);
        Files.createSymbolicLink(inbox().resolve("5.csv"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(inbox().resolve("6.csv"), work.resolve("no-such-file")); // dangling: never waits in the inbox
        BanditLogs.write(inbox(), 0, 20);
        assertThat(ResultsRoutes.await(inbox().resolve("error/4.csv"), 20)).isTrue();
        assertThat(ResultsRoutes.await(inbox().resolve("error/5.csv"), 20)).isTrue();
        assertThat(ResultsRoutes.await(inbox().resolve("done/0.csv"), 20)).isTrue();
        assertThat(ResultsRoutes.await(inbox().resolve("error/6.csv"), 20)).as("a dangling link refused too").isTrue();
        assertThat(Files.isSymbolicLink(inbox().resolve("error/5.csv"))).as("the link itself moved").isTrue();
        assertThat(Files.readSymbolicLink(inbox().resolve("error/5.csv"))).isEqualTo(Path.of("/etc/passwd"));
        assertThat(Files.readString(outside)).isEqualTo(BanditLogs.log(4, 20));
        assertThat(Files.getLastModifiedTime(outside)).isEqualTo(before);
        assertThat(Files.readString(inbox().resolve("error/5.csv.reason.txt"))).contains("symbolic link");
        Path page = work.resolve("results/index.html");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((!Files.exists(page) || !Files.readString(page).contains("error/5.csv")) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        String html = Files.readString(page);
        assertThat(html).contains("error/5.csv").doesNotContain("root:").doesNotContain("/bin/");
        assertThat(Files.readAllLines(work.resolve("results/merged.csv"))).as("only 0.csv merged").hasSize(1 + 20);
    }

    /** Item 10: a negative merge.readLockMinAge (or another merge.* number out of range) stops the start, naming it. */
    @Test
    void negativeMergeNumbersAreRefusedNamingTheProperty() {
        for (String[] bad : new String[][]{{"merge.readLockMinAge", "-1"}, {"merge.pollDelay", "-5"},
                {"merge.threads", "0"}, {"merge.syncThreads", "-2"}}) {
            assertThatThrownBy(() -> ResultsRoutes.start(work, Map.of(bad[0], bad[1])).stop())
                    .as(bad[0])
                    .hasStackTraceContaining(bad[0])
                    .hasStackTraceContaining(bad[1]);
        }
    }

    /** Item 10: {@code 007.csv} is not merged as index 7 without a word. */
    @Test
    void aZeroPaddedIndexIsNotMergedAsAnotherIndex() throws Exception {
        Sweep sweep = Sweep.parse(BanditLogs.SWEEP, "bandit-sweep.json", false);
        try (MergeStore store = MergeStore.open(work.resolve("results"), sweep, new MergeStore.Options())) {
            MergeResult r = store.merge("007.csv", BanditLogs.bytes(7, 10));
            assertThat(r.kind()).isEqualTo(MergeResult.Kind.REFUSED);
            assertThat(r.reason()).contains("007.csv", "7.csv");
            assertThat(store.contains(7)).isFalse();
            assertThat(store.merge("0.csv", BanditLogs.bytes(0, 10)).kind()).isEqualTo(MergeResult.Kind.MERGED);
        }
    }
}
