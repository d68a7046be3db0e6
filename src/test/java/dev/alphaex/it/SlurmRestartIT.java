package dev.alphaex.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alphaex.ssh.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * (c) The controller — the real main class, dev.alphaex.AlphaExMain, in a JVM of its own — is killed with
 * SIGKILL at about 40% of a 120-task campaign on the lab, while tasks are queued and running on both
 * clusters, then started again on the same ledger: its first poll of each cluster reconciles by the
 * campaign's tag and takes up the tasks still running (10 s tasks outlast the restart: 2-7 s on a loaded machine), no index is lost
 * and none runs twice (the jobs' own runs.log), and the clusters' squeue never shows more of the campaign's
 * tasks than their capacities, before or after the restart.
 */
class SlurmRestartIT {
    private static final Pattern RECONCILED = Pattern.compile(
        "cluster (\\S+): reconciled by the campaign's tag (\\S+): (\\d+) job\\(s\\) of it there \\((\\d+) task\\(s\\) active, (\\d+) ended\\)");

    @Test
    void killedAtFortyPercentAndRestartedNoIndexLostOrRunTwice() throws Exception {
        LabCampaign c = LabCampaign.prepare("itkill", LabCampaign.TEST_JOB, "[[0,119]]");
        c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString(), "JOB_SLEEP", "10")));
        c.set("slurmit.period", "500");
        Path ledger = c.controller.resolve("ledger.jsonl");
        Process first = c.startChild("first.log");
        int atKill;
        int onClustersAtKill;
        String secondLog;
        String tag;
        try {
            LabCampaign.await(() -> firstLine(ledger) != null || !first.isAlive(), Duration.ofSeconds(60), "the ledger");
            tag = new ObjectMapper().readTree(firstLine(ledger)).path("tag").asText();
            try (QueueSampler sampler = QueueSampler.start(c.lab, tag, Duration.ofMillis(500))) {
                try {
                    // all tasks last 10 s, so they end in waves: kill once 40% are done and the next wave is on the
                    // clusters (status.json is written as a poll is applied, before its submissions)
                    LabCampaign.await(() -> c.completed() >= 48 && onClusters(c) >= 9 || !first.isAlive(), Duration.ofSeconds(180),
                        "40% of the campaign done and tasks on the clusters");
                    assertThat(first.isAlive()).as("the first controller still runs (see %s)", c.controller.resolve("first.log")).isTrue();
                } finally {
                    first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
                    first.waitFor(10, TimeUnit.SECONDS);
                }
                atKill = c.completed();
                onClustersAtKill = onClusters(c);

                c.set("campaign.exitWhenDone", "true");
                c.set("campaign.exitGraceSeconds", "0");
                Process second = c.startChild("second.log");
                boolean ended = second.waitFor(240, TimeUnit.SECONDS);
                if (!ended) {
                    second.destroyForcibly();
                }
                secondLog = Files.readString(c.controller.resolve("second.log"));
                assertThat(ended).as("the second controller ends by itself; its log:%n%s", secondLog).isTrue();
                System.out.printf("(c) killed at %d of 120 completed with %d on the clusters; most seen active %s%n", atKill,
                    onClustersAtKill, sampler.max());
                assertThat(sampler.max().get(Lab.A)).as("most tasks seen active on cluster-a").isBetween(1, 12);
                assertThat(sampler.max().get(Lab.B)).as("most tasks seen active on cluster-b").isBetween(1, 6);
            }
        } finally {
            first.destroyForcibly();
        }
        assertThat(atKill).as("completed when killed").isBetween(48, 119);
        assertThat(onClustersAtKill).as("tasks queued or running on the clusters when killed").isPositive();

        assertThat(secondLog).contains("campaign itkill finished").contains("120 jobs, 120 completed, 0 failed");
        Matcher m = RECONCILED.matcher(secondLog);
        int jobsFound = 0;
        int activeFound = 0;
        List<String> reconciled = new java.util.ArrayList<>();
        while (m.find()) {
            assertThat(m.group(2)).isEqualTo(tag);
            reconciled.add(m.group(1));
            jobsFound += Integer.parseInt(m.group(3));
            activeFound += Integer.parseInt(m.group(4));
        }
        assertThat(reconciled).as("the restarted controller's first poll of each cluster reconciles by tag")
            .contains(Lab.A, Lab.B);
        assertThat(jobsFound).as("jobs of the campaign the restarted controller found on the clusters by tag").isPositive();
        assertThat(activeFound).as("tasks still queued or running that the restarted controller took up").isPositive();
        System.out.println("(c) " + secondLog.lines().filter(l -> l.contains("reconciled by")).limit(2).toList());

        Map<Long, Integer> starts = c.starts();
        assertThat(starts).as("every index ran").hasSize(120);
        assertThat(starts.values()).as("no index ran twice (runs.log)").containsOnly(1);
        assertThat(c.controller.resolve("inbox").toFile().list((d, n) -> n.endsWith(".csv"))).hasSize(120);
        c.delete();
    }

    /** The ledger's first event (its "open" line, with the campaign's tag), once written whole. */
    private static String firstLine(Path ledger) {
        try {
            String text = Files.exists(ledger) ? Files.readString(ledger) : "";
            int nl = text.indexOf('\n');
            return nl < 0 ? null : text.substring(0, nl);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Tasks submitted or running, as status.json says. */
    private static int onClusters(LabCampaign c) {
        com.fasterxml.jackson.databind.JsonNode s = c.status();
        return s == null ? 0 : s.path("submitted").asInt() + s.path("running").asInt();
    }
}
