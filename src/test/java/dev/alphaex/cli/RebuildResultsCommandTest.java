package dev.alphaex.cli;

import dev.alphaex.merge.BanditLogs;
import dev.alphaex.merge.InboxMerger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A damaged store is refused with a command; that very command rebuilds it from inbox/done. */
class RebuildResultsCommandTest {
    @TempDir
    Path work;

    private InboxMerger merger() {
        InboxMerger m = new InboxMerger();
        m.setSweep(work.resolve("sweep.json").toString());
        m.setRuns(10);
        m.setResultsDir(work.resolve("results").toString());
        m.setInbox(work.resolve("inbox").toString());
        return m;
    }

    @Test
    void theCommandInTheRefusalOfADamagedStoreRebuildsIt() throws IOException {
        Files.writeString(work.resolve("sweep.json"), BanditLogs.SWEEP);
        Path inbox = work.resolve("inbox");
        InboxMerger m = merger();
        m.start();
        for (int i = 0; i < 5; i++) {
            BanditLogs.deliver(m, inbox, i, 20);
        }
        m.close();
        Files.writeString(work.resolve("results/results.db"), "not a database any more");
        Throwable refused = catchThrowable(merger()::start);
        String message = refused.getMessage();
        assertThat(message).contains("results.db is damaged", "java -jar target/alphaex.jar rebuild-results");
        String command = message.substring(message.indexOf("alphaex.jar ") + "alphaex.jar ".length(),
                message.indexOf(" (the damaged file"));

        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = AlphaEx.run(command.split(" "));
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("rebuilt: 5 runs", "the previous results.db is in");
        InboxMerger again = merger();
        again.start();
        assertThat(again.store().size()).isEqualTo(5);
        again.close();
        try (var files = Files.list(work.resolve("results"))) {
            Path aside = files.filter(f -> f.getFileName().toString().startsWith("set-aside-")).findFirst().orElseThrow();
            assertThat(aside.resolve("results.db")).hasContent("not a database any more");
        }
    }

    @Test
    void aRebuildIsRefusedWhileAMergerHoldsTheStore() throws IOException {
        Files.writeString(work.resolve("sweep.json"), BanditLogs.SWEEP);
        InboxMerger m = merger();
        m.start();
        BanditLogs.deliver(m, work.resolve("inbox"), 0, 5);
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(AlphaEx.run("rebuild-results", "--sweep", work.resolve("sweep.json").toString(), "--inbox",
                    work.resolve("inbox").toString(), "--results", work.resolve("results").toString())).isEqualTo(2);
        } finally {
            System.setErr(old);
            m.close();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("alphaex: results store").contains("in use by another merger");
        assertThat(work.resolve("results/results.db")).exists();
    }
}
