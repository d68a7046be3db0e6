package dev.alphaex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alphaex.campaign.CampaignRun;
import dev.alphaex.campaign.LedgerState;
import dev.alphaex.campaign.Phase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code alphaex doctor} on local clusters (the local equivalents of a Slurm cluster's checks), and the same preflight at
 * campaign start: a cluster that fails a check gets no work, the message says which check and what to do, and the
 * others go on. (The SSH side, the host key, and the Slurm side are checked on the lab: OperateCampaignIT.)
 */
class DoctorCommandTest {
    @TempDir
    Path dir;

    /** l1 in order; l2 whose results folder is a file (jobs could not write their logs). */
    private Map<String, String> campaign() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "");
        Path routes = dir.resolve("clusters.yaml");
        Files.writeString(routes, "- templatedRoute:\n    routeTemplateRef: cluster\n    routeId: cluster-l1\n    parameters:\n"
                + "      - {name: name, value: l1}\n      - {name: kind, value: local}\n      - {name: capacity, value: \"3\"}\n"
                + "      - {name: period, value: \"100\"}\n"
                + "- templatedRoute:\n    routeTemplateRef: cluster\n    routeId: cluster-l2\n    parameters:\n"
                + "      - {name: name, value: l2}\n      - {name: kind, value: local}\n      - {name: capacity, value: \"3\"}\n"
                + "      - {name: period, value: \"100\"}\n      - {name: results, value: \"" + notAFolder + "\"}\n");
        return CampaignRun.defaults(dir, routes.toString());
    }

    @Test
    void doctorNamesTheFailedCheckAndWhatToDo() throws Exception {
        Map<String, String> p = campaign();
        CliRun r = CliRun.run(p, "doctor");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("cluster l1 (local, transport local): ready\n")
                .contains("cluster l2 (local, transport local): 1 check(s) failed\n")
                .contains("  FAIL results: " + dir.resolve("not-a-folder") + " is not a folder; fix: chmod u+rwx " + dir.resolve("not-a-folder")
                        + ", or name another results folder\n")
                .contains("  OK script: " + CampaignRun.TEST_JOB + " in ");
        CliRun one = CliRun.run(p, "doctor", "--cluster", "l1", "--json");
        assertThat(one.exit()).isZero();
        JsonNode j = one.json();
        assertThat(j.path("ok").asBoolean()).isTrue();
        assertThat(j.path("clusters").size()).isEqualTo(1);
        assertThat(j.path("clusters").get(0).path("checks").findValuesAsText("name")).containsExactly("code", "workDir", "script",
                "results", "sweep");
    }

    @Test
    void aMissingScriptIsOneClearError() throws Exception {
        Map<String, String> p = campaign();
        p.put("campaign.script", "jobs/nothere.sh");
        CliRun r = CliRun.run(p, "doctor");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("alphaex: -Dcampaign.script: job script ").contains("jobs/nothere.sh: no such file");
    }

    @Tag("slow")
    @Test
    void atStartAClusterThatFailsItsPreflightGetsNoWorkAndTheOthersGoOn() throws Exception {
        Map<String, String> p = campaign();
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(60));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 20);
            JsonNode status = new ObjectMapper().readTree(dir.resolve("status.json").toFile());
            JsonNode l2 = status.path("clusters").get(1);
            assertThat(l2.path("name").asText()).isEqualTo("l2");
            assertThat(l2.path("state").asText()).isEqualTo("check-failed");
            assertThat(l2.path("error").asText()).isEqualTo("checks failed: results: " + dir.resolve("not-a-folder") + " is not a folder"
                    + " (fix: chmod u+rwx " + dir.resolve("not-a-folder") + ", or name another results folder)");
        }
        LedgerState s = LedgerState.replay(dir.resolve("ledger.jsonl"));
        assertThat(s.counts("l2").values()).as("l2 got no work").allMatch(n -> n == 0);
        assertThat(s.counts("l1").get(Phase.COMPLETED)).isEqualTo(20);
    }
}
