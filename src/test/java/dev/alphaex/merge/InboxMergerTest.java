package dev.alphaex.merge;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The route's bean as the route drives it: merge, wait for the disk, move; and a crash in between. */
class InboxMergerTest {
    @TempDir
    Path work;
    private Path inbox;
    private InboxMerger merger;

    @BeforeEach
    void setUp() throws IOException {
        inbox = work.resolve("inbox");
        Files.writeString(work.resolve("sweep.json"), BanditLogs.SWEEP);
        merger = start();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (merger != null) {
            merger.close();
        }
    }

    private InboxMerger start() throws IOException {
        InboxMerger m = new InboxMerger();
        m.setSweep(work.resolve("sweep.json").toString());
        m.setResultsDir(work.resolve("results").toString());
        m.start();
        return m;
    }

    /** What the file consumer does when the exchange completes. */
    private void move(Path file, String target) throws IOException {
        Path to = inbox.resolve(target);
        Files.createDirectories(to.getParent());
        Files.move(file, to);
    }

    private List<Path> inboxLogs() throws IOException {
        try (var files = Files.list(inbox)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
    }

    @Test
    void aCrashBetweenTheCommitAndTheMovesNeverLosesALog() throws IOException {
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            logs.add(BanditLogs.write(inbox, i, 30));
        }
        List<InboxMerger.Incoming> read = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            read.add(merger.read(logs.get(i).toString()));
        }
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            targets.add(merger.commit(read.get(i))); // committed
        }
        for (int i = 0; i < 3; i++) {
            move(logs.get(i), targets.get(i)); // then the moves begin...
        }
        merger.store().crash(); // ...and the process dies: 3-5 committed but not moved, 6-8 read only
        merger = start();
        try (var done = Files.list(inbox.resolve(InboxMerger.DONE))) {
            done.forEach(f -> assertThat(merger.store().contains(MergeStore.indexOf(f.getFileName().toString())))
                    .as("a log in done/ is in the store: %s", f).isTrue());
        }
        // the route takes up what is still in the inbox: every log ends in done/, none refused
        for (Path log : inboxLogs()) {
            move(log, merger.merge(log.toString()));
        }
        merger.flush();
        assertThat(inboxLogs()).isEmpty();
        assertThat(inbox.resolve(InboxMerger.ERROR)).doesNotExist();
        try (var done = Files.list(inbox.resolve(InboxMerger.DONE))) {
            assertThat(done.count()).isEqualTo(9);
        }
        assertThat(merger.store().size()).isEqualTo(9);
        assertThat(Files.readAllLines(work.resolve("results/merged.csv"))).hasSize(1 + 9 * 30);
    }

    @Test
    void aRenamedInLogIsCompleteAtOnceAndOneWrittenInPlaceOnlyWhenQuiet() throws Exception {
        merger.close();
        merger = new InboxMerger();
        merger.setSweep(work.resolve("sweep.json").toString());
        merger.setResultsDir(work.resolve("results").toString());
        merger.setInbox(inbox.toString());
        merger.setReadLockMinAge("1500");
        merger.start();
        Path renamed = BanditLogs.write(inbox, 1, 10);
        Path inPlace = inbox.resolve("2.csv");
        Files.write(inPlace, BanditLogs.bytes(2, 10));
        Thread.sleep(InboxArrivals.GRACE_MILLIS + 100);
        assertThat(merger.isComplete(renamed)).as("renamed in").isTrue();
        assertThat(merger.isComplete(inPlace)).as("written in place, just now").isFalse();
        Thread.sleep(1500);
        assertThat(merger.isComplete(inPlace)).as("written in place, quiet since").isTrue();
        Files.write(renamed, "more".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(merger.isComplete(renamed)).as("renamed in, then written again").isFalse();
    }

    @Test
    void aNegativeQuietTimeIsRefusedNamingItsProperty() throws IOException {
        InboxMerger m = new InboxMerger();
        m.setSweep(work.resolve("sweep.json").toString());
        m.setResultsDir(work.resolve("other-results").toString());
        m.setReadLockMinAge("-1");
        org.assertj.core.api.Assertions.assertThatThrownBy(m::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("merge.readLockMinAge must be 0 or more (ms), got -1");
        m.setReadLockMinAge("soon");
        org.assertj.core.api.Assertions.assertThatThrownBy(m::start)
                .hasMessage("merge.readLockMinAge must be a whole number of ms, got 'soon'");
    }
}
