package dev.alphaex.campaign;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 1: two terminals, the same command. The second controller used to run too (the lock on
 * ledger.jsonl was released as soon as the ledger was replayed: on Linux, closing any descriptor of a file
 * drops the process's POSIX locks on it), so both submitted the same arrays and every index ran twice.
 * With two real JVMs: the second one exits at once, non-zero, naming the process that holds the campaign;
 * after kill -9 of the first the OS has released the lock and a restart finishes the campaign, every
 * index run exactly once.
 */
@Tag("slow")
class SecondControllerIsRefusedTest {
    @TempDir
    Path dir;

    @Test
    void aSecondControllerExitsAtOnceNamingTheHolderAndARestartAfterKill9Works() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.runs", "1"); // 5 jobs on a cluster of capacity 4
        p.put("campaign.exports", "{\"RUNS_LOG\": \"" + dir.resolve("runs.log") + "\", \"JOB_SLEEP\": \"2\"}");
        try (ControllerJvm first = ControllerJvm.start(p, dir.resolve("first.log"))) {
            first.awaitOutput("submitted job", Duration.ofSeconds(30));
            try (ControllerJvm second = ControllerJvm.start(p, dir.resolve("second.log"))) {
                Integer exit = second.exitCode(Duration.ofSeconds(20));
                assertThat(exit).as("the second controller's exit code; its console:\n" + second.output()).isEqualTo(4);
                assertThat(second.output()).contains("pid " + first.pid()).contains(dir.toString()).doesNotContain("submitted job");
            }
            first.kill9();
        }
        p.put("campaign.exitWhenDone", "true");
        p.put("campaign.exitGraceSeconds", "0");
        try (ControllerJvm restart = ControllerJvm.start(p, dir.resolve("restart.log"))) {
            Integer exit = restart.exitCode(Duration.ofSeconds(40));
            assertThat(exit).as("the restart's exit code; its console:\n" + restart.output()).isEqualTo(0);
            assertThat(restart.output()).contains("5 completed, 0 failed");
        }
        assertThat(CampaignRun.starts(dir)).as("starts per index").hasSize(5).allSatisfy((index, n) -> assertThat(n).isEqualTo(1));
    }
}
