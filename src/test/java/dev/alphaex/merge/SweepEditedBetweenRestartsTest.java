package dev.alphaex.merge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 8 item 4, results side: epsilon 0.1 -> 0.2 between restarts (same number of values) was
 * accepted and the chart said epsilon=0.2 for runs of 0.1. The store keeps every run's
 * configuration as merged; a sweep that maps a merged run elsewhere is refused with what changed.
 */
class SweepEditedBetweenRestartsTest {
    @TempDir
    Path work;

    private InboxMerger merger() {
        InboxMerger m = new InboxMerger();
        m.setSweep(work.resolve("sweep.json").toString());
        m.setResultsDir(work.resolve("results").toString());
        return m;
    }

    @Test
    void aSweepValueEditedBetweenRestartsIsRefusedNotRelabelled() throws Exception {
        Files.writeString(work.resolve("sweep.json"), "{\"epsilon\": [0, 0.01, 0.1]}");
        InboxMerger first = merger();
        first.start();
        for (int i = 0; i < 6; i++) {
            first.merge(BanditLogs.write(work.resolve("inbox"), i, 10).toString());
        }
        first.close();
        Files.writeString(work.resolve("sweep.json"), "{\"epsilon\": [0, 0.01, 0.2]}");
        InboxMerger second = merger();
        assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("epsilon")
                .hasMessageContaining("0.1")
                .hasMessageContaining("0.2")
                .hasMessageContaining("sweep.json");
        second.close();
        // the same configurations written differently are the same sweep
        Files.writeString(work.resolve("sweep.json"), "{\n  \"epsilon\": [0, 1e-2, 0.10]\n}\n");
        InboxMerger third = merger();
        third.start();
        assertThat(third.store().size()).isEqualTo(6);
        third.close();
    }
}
