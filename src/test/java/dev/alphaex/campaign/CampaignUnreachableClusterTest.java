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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Slurm cluster that cannot be reached (its ssh alias points at a closed port on this machine): each
 * failed poll is recorded (status.json: unreachable, retried with back-off) and the tick ends there. It used
 * to go on to split the failed poll's text as if it were the planned submissions, and every failed poll
 * ended in a parameter binding error and a stack trace in the log.
 */
@Tag("slow")
class CampaignUnreachableClusterTest {
    @TempDir
    Path dir;

    /** The campaign's properties with one Slurm cluster whose ssh alias points at a closed port on this machine. */
    private Map<String, String> deadCluster() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free once closed: connections are refused
        }
        Path sshConfig = dir.resolve("ssh_config");
        Files.writeString(sshConfig, "Host dead\n  HostName 127.0.0.1\n  Port " + port + "\n  User nobody\n"
            + "  UserKnownHostsFile " + dir.resolve("known_hosts") + "\n");
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-unreachable-slurm.yaml");
        p.put("alphaex.ssh.config", sshConfig.toString());
        return p;
    }

    @Test
    void aFailedPollEndsTheTickQuietlyAndTheClusterIsReportedUnreachable() throws Exception {
        Map<String, String> p = deadCluster();
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

    /**
     * Issue 8, item 11: every failed poll printed Camel's ERROR with the message history and a full stack trace
     * (from the DefaultErrorHandler of the transport's direct route) besides the campaign's clear WARN line.
     */
    @Test
    void aFailedPollIsOneWarnLineNeverAnErrorWithAStackTrace() throws Exception {
        Map<String, String> p = deadCluster();
        p.put("camel.main.durationMaxSeconds", "4");
        try (ControllerJvm c = ControllerJvm.start(p, dir.resolve("out.log"))) {
            assertThat(c.exitCode(Duration.ofSeconds(30))).as(c.output()).isNotNull();
            String out = c.output();
            assertThat(out).contains("WARN  Campaign           cluster dead: poll failed (unreachable)");
            assertThat(out).doesNotContain("ERROR").doesNotContain("Stacktrace").doesNotContain("\tat ");
        }
    }
}
