package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A paused cluster next to a working one, plugged in without the engine knowing either: a Slurm cluster on the
 * OpenSSH transport ({@code transport: openssh}) whose ControlMaster is not running is paused (its transport
 * says so; no login is ever tried), status.json shows it "paused" with the command that starts the master, it gets
 * no work, and the local cluster runs the whole campaign.
 */
@Tag("slow")
class PausedClusterTest {
    @TempDir
    Path dir;

    @Test
    void aClusterWithoutItsControlMasterIsPausedAndTheOtherClusterRunsTheCampaign() throws Exception {
        Path sshConfig = dir.resolve("ssh_config");
        Files.writeString(sshConfig, "Host narval\n  HostName 127.0.0.1\n  Port 9\n  User nobody\n  ControlMaster auto\n"
                + "  ControlPath " + dir.resolve("cm-%r@%h:%p") + "\n");
        Path routes = dir.resolve("clusters.yaml");
        Files.writeString(routes, Files.readString(Path.of("src/test/resources/campaigns/one-local.yaml"))
                + "- templatedRoute:\n    routeTemplateRef: cluster\n    routeId: cluster-narval\n    parameters:\n"
                + "      - {name: name, value: narval}\n      - {name: kind, value: slurm}\n"
                + "      - {name: transport, value: openssh}\n      - {name: capacity, value: \"4\"}\n"
                + "      - {name: period, value: \"200\"}\n");
        Map<String, String> p = CampaignRun.defaults(dir, routes.toString());
        p.put("alphaex.ssh.config", sshConfig.toString());
        try (CampaignRun run = CampaignRun.start(p)) {
            run.awaitFinished(Duration.ofSeconds(60));
            assertThat(run.campaign().counts()).containsEntry("COMPLETED", 20);
            CampaignRun.await(() -> "paused".equals(field("narval", "state")), Duration.ofSeconds(10), "narval paused in status.json");
            String start = "rm -f '" + dir.resolve("cm-nobody@127.0.0.1:9") + "' && ssh -F " + sshConfig + " -fNM narval";
            assertThat(field("narval", "remedy")).as("status.json names the command that brings it back").isEqualTo(start);
            assertThat(field("narval", "error")).contains("narval paused: no OpenSSH master connection runs for it")
                    .endsWith("start one (it asks for the second factor there): " + start);
        }
        assertThat(LedgerState.replay(dir.resolve("ledger.jsonl")).counts("narval").values()).as("narval got no work")
                .containsOnly(0);
    }

    private String field(String cluster, String name) {
        try {
            for (JsonNode c : new ObjectMapper().readTree(dir.resolve("status.json").toFile()).path("clusters")) {
                if (c.path("name").asText().equals(cluster)) {
                    return c.path(name).asText();
                }
            }
        } catch (Exception e) {
            return "";
        }
        return "";
    }
}
