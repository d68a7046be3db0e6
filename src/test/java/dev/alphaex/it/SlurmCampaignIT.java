package dev.alphaex.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.ssh.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Whole campaigns on the Slurm lab through the real routes: the scenarios (a) and (b), and
 * hostile values through the whole engine + route + SSH + sbatch path.
 */
class SlurmCampaignIT {

    /**
     * (a) 300 tasks on two clusters of capacities 12 and 6: each index runs exactly once (the jobs' own
     * runs.log), every log reaches the inbox, and the clusters' own squeue, sampled every 0.5 s, never
     * shows more of the campaign's tasks on a cluster than its capacity. One login per cluster.
     */
    @Test
    void threeHundredTasksEachOnceNeverAboveCapacity() throws Exception {
        LabCampaign c = LabCampaign.prepare("itall", LabCampaign.TEST_JOB, "[[0,299]]");
        c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString(), "JOB_SLEEP", "0.5")));
        c.set("slurmit.period", "500");
        long t0 = System.nanoTime();
        try (c; QueueSampler sampler = QueueSampler.start(c.lab, tagOf(c.start()), Duration.ofMillis(500))) {
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofSeconds(240),
                "300 tasks to finish: " + c.campaign().counts());
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("(a) 300 tasks in %.1f s; most seen active %s (%s samples, %s failed); logins %s%n",
                seconds, sampler.max(), sampler.answered(), sampler.failures(), c.sessions().logins());

            assertThat(c.campaign().counts()).containsEntry("COMPLETED", 300).containsEntry("FAILED", 0);
            Map<Long, Integer> starts = c.starts();
            assertThat(starts).as("every index ran").hasSize(300);
            assertThat(starts.values()).as("no index ran twice").containsOnly(1);
            LabCampaign.await(() -> inboxSize(c) == 300, Duration.ofSeconds(30), "300 logs in the inbox");
            assertThat(sampler.answered().get(Lab.A)).as("squeue samples on cluster-a").isGreaterThan(10);
            assertThat(sampler.answered().get(Lab.B)).as("squeue samples on cluster-b").isGreaterThan(10);
            assertThat(sampler.max().get(Lab.A)).as("most tasks seen active on cluster-a").isBetween(1, 12);
            assertThat(sampler.max().get(Lab.B)).as("most tasks seen active on cluster-b").isBetween(1, 6);
            assertThat(c.sessions().logins()).containsEntry(Lab.A, 1).containsEntry(Lab.B, 1);
        }
        c.delete();
    }

    /**
     * (b) 30 of 300 tasks (index = 7 mod 10) exit 1: each is run 3 times (campaign.maxAttempts) and then
     * reported failed with its exit status — in the ledger (phases, counts, attempts) and in the campaign's
     * summary line — and no other index is reported failed or run twice.
     */
    @Test
    void aTenthOfTheTasksFailAreRetriedUpToTheLimitAndReportedFailed() throws Exception {
        LabCampaign c = LabCampaign.prepare("itfail", LabCampaign.TEST_JOB, "[[0,299]]");
        Set<Long> failing = LongStream.range(0, 300).filter(i -> i % 10 == 7).boxed().collect(Collectors.toCollection(TreeSet::new));
        c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString(), "JOB_SLEEP", "0.3",
            "FAIL_INDICES", failing.stream().map(String::valueOf).collect(Collectors.joining(" ")))));
        c.set("campaign.maxAttempts", "3");
        c.set("slurmit.period", "500");
        try (c) {
            c.start();
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofSeconds(240),
                "the campaign to finish: " + c.campaign().counts());
            LabCampaign.await(() -> log(c).contains("campaign itfail finished"), Duration.ofSeconds(30), "the summary line");

            assertThat(c.campaign().counts()).containsEntry("COMPLETED", 270).containsEntry("FAILED", 30);
            Map<Long, String> phases = c.campaign().phases();
            Map<Long, Integer> attempts = c.campaign().attempts();
            for (long i = 0; i < 300; i++) {
                assertThat(phases.get(i)).as("phase of index %d", i).isEqualTo(failing.contains(i) ? "FAILED" : "COMPLETED");
                assertThat(attempts.get(i)).as("attempts of index %d", i).isEqualTo(failing.contains(i) ? 3 : 1);
            }
            Map<Long, Integer> starts = c.starts();
            assertThat(starts).hasSize(300);
            starts.forEach((i, n) -> assertThat(n).as("runs of index %d (runs.log)", i).isEqualTo(failing.contains(i) ? 3 : 1));

            String summary = log(c).lines().filter(l -> l.contains("campaign itfail finished")).findFirst().orElseThrow();
            assertThat(summary).contains("300 jobs, 270 completed, 30 failed").contains("0 log(s) missing");
            Set<Long> reported = new TreeSet<>();
            Matcher m = Pattern.compile("30 failed: FAILED exit 1: ([0-9,-]+)").matcher(summary); // grouped by outcome, as ranges
            if (m.find()) {
                for (long i : ArrayRanges.expand(m.group(1))) {
                    reported.add(i);
                }
            }
            assertThat(reported).as("the indices the summary line reports failed: %s", summary).isEqualTo(failing);
            LabCampaign.await(() -> inboxSize(c) == 270, Duration.ofSeconds(30), "270 logs in the inbox");
            for (long i : failing) {
                assertThat(c.controller.resolve("inbox").resolve(i + ".csv")).doesNotExist();
            }
        }
        c.delete();
    }

    /**
     * A value holding $(...), backticks, quotes, spaces, semicolons, newlines, '*', '&', '|', redirections and
     * Camel's own ${...} syntax, in campaign.exports and campaign.args, reaches the job byte for byte through
     * the whole path: properties, the campaign bean, the route's exchange, alphaex-ssh, the login shell and
     * the real sbatch; nothing in it is executed.
     */
    @Test
    void hostileValuesInExportsAndArgsReachTheJobVerbatim() throws Exception {
        LabCampaign c = LabCampaign.prepare("itquote", "src/test/resources/jobs/echo-job.sh", "[[0,3]]");
        String injected = c.shared + "/INJECTED";
        String nasty = "a b;c,d=e $(touch " + injected + "1) `touch " + injected + "2` \"q\" 'p' \\ $HOME\nline2 %x * ;"
            + " touch " + injected + "3 && echo x > " + injected + "4 | cat < /etc/hostname ${exchangeId} ${body} $((1+1)) #c\ttab";
        List<String> args = List.of("--lr", nasty, "", "x,y", " lead and trail ");
        c.set("campaign.exports", LabCampaign.exports(Map.of("NASTY", nasty)));
        c.set("campaign.args", new ObjectMapper().writeValueAsString(args));
        try (c) {
            c.start();
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofSeconds(120),
                "the campaign to finish: " + c.campaign().counts());
            assertThat(c.campaign().counts()).containsEntry("COMPLETED", 4);
        }
        for (long i = 0; i < 4; i++) {
            Path env = result(c, i + ".env");
            assertThat(Files.readString(env, StandardCharsets.UTF_8)).as("NASTY as index %d's job saw it", i).isEqualTo(nasty);
            List<String> got = List.of(Files.readString(result(c, i + ".args"), StandardCharsets.UTF_8).split("\0", -1));
            assertThat(got.subList(0, got.size() - 1)).as("arguments of index %d's job", i).isEqualTo(args);
        }
        try (Stream<Path> all = Files.walk(c.shared)) {
            assertThat(all.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("INJECTED"));
        }
        c.delete();
    }

    /** A file a job wrote to its cluster's results folder (the lab shares this machine's /tmp). */
    private static Path result(LabCampaign c, String name) {
        Path a = c.shared.resolve("results-a").resolve(name);
        return Files.exists(a) ? a : c.shared.resolve("results-b").resolve(name);
    }

    private static String log(LabCampaign c) {
        try {
            return c.log();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tagOf(LabCampaign c) {
        return c.campaign().tag();
    }

    static int inboxSize(LabCampaign c) {
        String[] names = c.controller.resolve("inbox").toFile().list((d, n) -> n.endsWith(".csv"));
        return names == null ? 0 : names.length;
    }
}
