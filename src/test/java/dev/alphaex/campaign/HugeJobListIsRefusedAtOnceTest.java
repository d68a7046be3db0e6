package dev.alphaex.campaign;

import dev.alphaex.it.ControllerLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 5: {@code campaign.jobs = [[0,99999999]]} printed nothing after Camel started, reached 4.3 GB
 * in 45 s and never got going; {@code [[0,9223372036854775806]]} the same. A job list's size is known from its
 * ranges: one that would not fit is refused with its size before any memory is spent on it. And item 10 (the
 * engine's part): an index listed more than once ({@code [1,1,1]}) used to be dropped without a word; it runs
 * once, with a note that says so.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // b80c370 never came back from these
@Tag("slow")
class HugeJobListIsRefusedAtOnceTest {
    @TempDir
    Path dir;

    private String failure(String property, String value) {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put(property, value);
        return StartupFailures.failure(p);
    }

    @Test
    void aHundredMillionJobsAreRefusedWithTheirSize() {
        assertThat(failure("campaign.jobs", "[[0,99999999]]"))
                .contains("campaign.jobs: 100,000,000 jobs (in 1 element(s)) is more than the 1,000,000 a campaign takes (campaign.maxJobs)");
        assertThat(failure("campaign.jobs", "99999999")).contains("campaign.jobs: 99,999,999 jobs (indices 0-99999998)");
    }

    @Test
    void theLargestRangeIsRefusedToo() {
        assertThat(failure("campaign.jobs", "[[0,9223372036854775806]]")).contains("9,223,372,036,854,775,807 jobs");
        assertThat(failure("campaign.jobs", "[[0,9223372036854775807], 5]")).contains("jobs (in 2 element(s)) is more than");
    }

    @Test
    void tooManyRunsOfASweepAreRefusedWithTheirSize() {
        assertThat(failure("campaign.runs", "1000000"))
                .contains("campaign.runs: 5,000,000 jobs (5 combinations of src/test/resources/campaigns/test-sweep.json x 1000000 runs)");
    }

    @Test
    void anIndexListedMoreThanOnceRunsOnceWithANote() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.jobs", "[1, 1, 1, [3, 6], [5, 7]]");
        try (ControllerLog log = ControllerLog.to(dir.resolve("controller.log")); CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(30));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 6);
            assertThat(log.text()).contains("campaign.jobs: 4 listing(s) repeat an index listed before (1,5-6)")
                    .contains("runs once");
        }
        assertThat(CampaignRun.starts(dir)).containsOnlyKeys(1L, 3L, 4L, 5L, 6L, 7L).allSatisfy((i, n) -> assertThat(n).isEqualTo(1));
    }
}
