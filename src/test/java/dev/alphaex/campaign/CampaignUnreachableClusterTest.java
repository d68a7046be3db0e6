package dev.alphaex.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Slurm cluster that cannot be reached (its ssh alias points at a closed port on this machine): each
 * failed poll is recorded (status.json: unreachable, retried with back-off) and the tick ends there. It used
 * to go on to split the failed poll's text as if it were the planned submissions, and every failed poll
 * ended in a parameter binding error and a stack trace in the log.
 */
class CampaignUnreachableClusterTest {
    @TempDir
    Path dir;

    @Test
    void aFailedPollEndsTheTickQuietlyAndTheClusterIsReportedUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free once closed: connections are refused
        }
        Path sshConfig = dir.resolve("ssh_config");
        Files.writeString(sshConfig, "Host dead\n  HostName 127.0.0.1\n  Port " + port + "\n  User nobody\n"
            + "  UserKnownHostsFile " + dir.resolve("known_hosts") + "\n");
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-unreachable-slurm.yaml");
        p.put("alphaex.ssh.config", sshConfig.toString());
        List<CamelEvent> failed = new CopyOnWriteArrayList<>();
        try (CampaignRun run = CampaignRun.start(p)) {
            run.context().getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    failed.add(event);
                }

                @Override
                public boolean isEnabled(CamelEvent event) {
                    return event instanceof CamelEvent.ExchangeFailedEvent;
                }
            });
            CampaignRun.await(() -> status().contains("\"unreachable\""), Duration.ofSeconds(20), "a failed poll");
            Thread.sleep(3000); // polls at back-off 0.2, 0.4, 0.8, 1.6 s: a few more fail meanwhile
            assertThat(failed).as("exchanges that ended in an error").isEmpty();
            assertThat(run.campaign().counts()).containsEntry("PENDING", 20);
        }
        assertThat(new ObjectMapper().readTree(dir.resolve("status.json").toFile()).path("clusters").get(0).path("state").asText())
            .isEqualTo("unreachable");
    }

    private String status() {
        try {
            return Files.readString(dir.resolve("status.json"));
        } catch (Exception e) {
            return "";
        }
    }
}
