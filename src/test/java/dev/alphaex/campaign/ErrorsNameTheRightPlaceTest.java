package dev.alphaex.campaign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.alphaex.campaign.StartupFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 11: errors that named the wrong place or none. Values given with -D were blamed on
 * config/application.properties; a missing job script was blamed on the routes file although campaign.script
 * named it; a routes file whose top level is not a list was silently taken as no cluster at all. (The fourth, an
 * unreachable cluster's ERROR with a stack trace at every failed poll: {@link CampaignUnreachableClusterTest}.)
 */
class ErrorsNameTheRightPlaceTest {
    @TempDir
    Path dir;

    @Test
    void aValueGivenWithMinusDIsBlamedOnMinusD() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.jobs", "[[4,1]]");
        try (ControllerJvm c = ControllerJvm.start(p, dir.resolve("out.log"))) {
            assertThat(c.exitCode(Duration.ofSeconds(30))).as(c.output()).isEqualTo(2);
            assertThat(c.output()).contains("alphaex: cannot start: -Dcampaign.jobs: element 0: range [4,1] ends before it starts")
                    .doesNotContain("application.properties: campaign.jobs");
        }
    }

    @Test
    void aMissingJobScriptIsBlamedWhereItWasNamed() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("campaign.script", "src/test/resources/jobs/no-such-job.sh");
        assertThat(failure(p)).contains("config/application.properties: campaign.script: job script ")
                .contains("no-such-job.sh: no such file (cluster 'l1' of src/test/resources/campaigns/one-local.yaml runs it from ")
                .doesNotContain("one-local.yaml, cluster 'l1': job script");

        Path f = dir.resolve("clusters.yaml");
        Files.writeString(f, "- templatedRoute:\n    routeTemplateRef: cluster\n    parameters:\n"
                + "      - {name: name, value: l2}\n      - {name: kind, value: local}\n      - {name: capacity, value: \"1\"}\n"
                + "      - {name: script, value: jobs/missing.sh}\n");
        assertThat(failure(CampaignRun.defaults(dir, f.toString()))).contains(f + ", cluster 'l2': script: job script ")
                .contains("missing.sh: no such file");
    }

    @Test
    void aRoutesFileThatIsNotAListNamesTheFileAndLine() throws Exception {
        Path f = dir.resolve("clusters.yaml");
        Files.writeString(f, "# my clusters\ntemplatedRoute:\n    routeTemplateRef: cluster\n    parameters:\n      - {name: name, value: l1}\n");
        assertThat(failure(CampaignRun.defaults(dir, f.toString())))
                .contains(f + ":2: the top level must be a list of routes ('- templatedRoute: ...'), found a mapping");
        Files.writeString(f, "- templatedRoute:\n    routeTemplateRef: cluster\n    parameters:\n      - name: name\n        value: l1\n"
                + "     - name: kind\n        value: local\n");
        assertThat(failure(CampaignRun.defaults(dir, f.toString()))).contains(f.toString()).contains("line 6, column 6");
    }
}
