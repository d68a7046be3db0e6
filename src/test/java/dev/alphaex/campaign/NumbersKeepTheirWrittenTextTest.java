package dev.alphaex.campaign;

import dev.alphaex.cli.AlphaEx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 9: values did not reach jobs as written: {@code 0.0001} was printed and exported as
 * {@code 1.0E-4}, {@code 123456789.0} as {@code 1.23456789E8} (a job that builds a folder name from the value
 * got another name than with AlphaEx), {@code 1e400} and {@code NaN} became strings, and a JSON null in
 * campaign.exports reached the job as the text {@code null}. Numbers keep the text they were written with, end
 * to end: the command line, ALPHAEX_CONFIG and the exports.
 */
class NumbersKeepTheirWrittenTextTest {
    private static final String SWEEP = "{\"lr\": [0.0001], \"big\": [123456789.0], \"huge\": [1e400], \"nan\": [NaN],"
            + " \"kept\": [2.50], \"list\": [[0.0001, 1E-7, 3]]}";
    private static final String CONFIG = "\"lr\":0.0001,\"big\":123456789.0,\"huge\":1e400,\"nan\":NaN,\"kept\":2.50,"
            + "\"list\":[0.0001,1E-7,3]";

    @TempDir
    Path dir;

    private Path sweep() throws Exception {
        Path f = dir.resolve("numbers.json");
        Files.writeString(f, SWEEP);
        return f;
    }

    @Test
    void theCommandLinePrintsNumbersAsWritten() throws Exception {
        Path f = sweep();
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(AlphaEx.run("sweep", f.toString(), "0")).isZero();
            assertThat(AlphaEx.run("search", f.toString(), "lr=0.0001")).isZero();
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"index\":0,\"run\":0," + CONFIG + "}\n");
        assertThat(text).contains("\"ids\":[0],\"run\":0," + CONFIG);
    }

    @Test
    void aJobGetsItsConfigurationAndExportsAsWritten() throws Exception {
        Path job = dir.resolve("env-job.sh");
        Files.writeString(job, "#!/bin/sh\nset -eu\nmkdir -p \"$ALPHAEX_RESULTS\"\n"
                + "printf '%s\\n%s\\n%s\\n%s\\n' \"$ALPHAEX_CONFIG\" \"$LR\" \"$BIG\" \"$FLAG\" > \"" + dir + "/$ALPHAEX_INDEX.env\"\n"
                + "printf 'step,value\\n1,1\\n' > \"$ALPHAEX_RESULTS/$ALPHAEX_INDEX.csv\"\n");
        Files.setPosixFilePermissions(job, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.sweep", sweep().toString());
        p.put("campaign.runs", "1");
        p.put("campaign.script", job.toString());
        p.put("campaign.exports", "{\"LR\": 0.0001, \"BIG\": 123456789.0, \"FLAG\": true}");
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(30));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 1);
        }
        List<String> env = Files.readAllLines(dir.resolve("0.env"));
        assertThat(env).containsExactly("{\"index\":0,\"run\":0," + CONFIG + "}", "0.0001", "123456789.0", "true");
    }

    @Test
    void aNullExportIsRefusedNamingTheVariable() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.exports", "{\"OMP_NUM_THREADS\": \"1\", \"DATA\": null}");
        Throwable failure = null;
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(1));
        } catch (Throwable e) {
            failure = e;
        }
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertThat(messages.toString()).contains("campaign.exports: DATA is null");
    }
}
