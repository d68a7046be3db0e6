package dev.alphaex.campaign;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static dev.alphaex.campaign.StartupFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 3: a lost or damaged campaign ledger used to restart the campaign without a word. A deleted or
 * empty ledger.jsonl started a new campaign (a new tag: every job ran again) although the campaign's folder held
 * its logs; a last line cut in half was dropped silently, and then a log that had been delivered was reported
 * missing.
 */
@Tag("slow")
class LostOrDamagedLedgerTest {
    @TempDir
    Path dir;

    private Map<String, String> props() {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.runs", "1");
        return p;
    }

    private void runToTheEnd() throws Exception {
        try (CampaignRun run = CampaignRun.start(props())) {
            run.awaitFinished(Duration.ofSeconds(60));
            CampaignRun.await(() -> inboxLogs() == 5, Duration.ofSeconds(10), "5 logs in the inbox");
        }
    }

    private long inboxLogs() {
        String[] names = dir.resolve("inbox").toFile().list((d, n) -> n.endsWith(".csv"));
        return names == null ? 0 : names.length;
    }

    /** What the results route does with merged logs: into inbox/done. */
    private void mergeInbox() throws Exception {
        Path done = Files.createDirectories(dir.resolve("inbox/done"));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("inbox"), "*.csv")) {
            for (Path f : ds) {
                Files.move(f, done.resolve(f.getFileName()));
            }
        }
    }

    @Test
    void aDeletedLedgerIsRefusedWithWhatWasFoundAndWhatToDo() throws Exception {
        runToTheEnd();
        mergeInbox();
        Files.delete(dir.resolve("ledger.jsonl"));
        assertThat(failure(props())).contains(dir.resolve("ledger.jsonl") + " is missing")
                .contains("5 log(s) in " + dir.resolve("inbox/done")).contains("status.json")
                .contains("new tag").contains("To start over");
        assertThat(dir.resolve("ledger.jsonl")).doesNotExist();
        assertThat(CampaignRun.starts(dir).values()).as("no job ran again").containsOnly(1);
    }

    @Test
    void anEmptyLedgerIsRefusedToo() throws Exception {
        runToTheEnd();
        Files.write(dir.resolve("ledger.jsonl"), new byte[0]);
        assertThat(failure(props())).contains(dir.resolve("ledger.jsonl") + " is empty").contains("5 log(s) in " + dir.resolve("inbox"));
        assertThat(dir.resolve("ledger.jsonl")).isEmptyFile();
    }

    @Test
    void aTornLastLineIsReportedAndNoDeliveredLogIsCalledMissing() throws Exception {
        runToTheEnd();
        mergeInbox();
        Path ledger = dir.resolve("ledger.jsonl");
        byte[] bytes = Files.readAllBytes(ledger);
        int lastStart = lastLineStart(bytes);
        String last = new String(bytes, lastStart, bytes.length - lastStart, StandardCharsets.UTF_8);
        assertThat(last).as("the last event of a finished local campaign").contains("\"t\":\"collect\"");
        byte[] torn = Arrays.copyOf(bytes, lastStart + last.length() / 2);
        Files.write(ledger, torn);

        Map<String, String> p = props();
        p.put("campaign.exitWhenDone", "true");
        p.put("campaign.exitGraceSeconds", "0");
        try (ControllerJvm restart = ControllerJvm.start(p, dir.resolve("restart.log"))) {
            Integer exit = restart.exitCode(Duration.ofSeconds(40));
            String out = restart.output();
            assertThat(exit).as(out).isEqualTo(0);
            assertThat(out).contains(ledger + ": its last line was cut off").contains("5 completed, 0 failed; 0 log(s) missing");
        }
        Path[] kept = Files.list(dir).filter(f -> f.getFileName().toString().startsWith("ledger.jsonl.torn-")).toArray(Path[]::new);
        assertThat(kept).hasSize(1);
        assertThat(Files.readAllBytes(kept[0])).isEqualTo(Arrays.copyOfRange(torn, lastStart, torn.length));
    }

    private static int lastLineStart(byte[] bytes) {
        int i = bytes.length - 2;
        while (i >= 0 && bytes[i] != '\n') {
            i--;
        }
        return i + 1;
    }
}
