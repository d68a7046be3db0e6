package dev.alphaex.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.ssh.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * (d) cluster-b's slurmctld is stopped for 30 s in the middle of a campaign (.ci/slurm-lab/daemon.sh; its
 * sshd stays up: the lab's one sshd serves both clusters): cluster-a goes on, cluster-b is reported
 * unreachable in status.json with the tasks it had (never "0 jobs"), nothing is sent to it but polls until
 * one answers again, and the campaign finishes with every index run exactly once.
 */
class SlurmOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    /** One look at status.json. */
    private record Look(long atMillis, String stateA, String stateB, int occupyingB, int completed) {
    }

    @Test
    void oneControllerDownFor30sTheOtherClusterGoesOnAndTheCampaignFinishes() throws Exception {
        LabCampaign c = LabCampaign.prepare("itdown", LabCampaign.TEST_JOB, "[[0,239]]");
        c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString(), "JOB_SLEEP", "1")));
        c.set("slurmit.period", "500");
        c.set("campaign.vanishAfterSeconds", "5"); // an engine that read a failed squeue as "no tasks" would retry them within the outage
        List<Look> during = new ArrayList<>();
        long down;
        long restart; // the moment the restart is asked for: from then on, cluster-b may answer (and be refilled) at any time
        long up;
        try (c) {
            c.start();
            LabCampaign.await(() -> c.completed() >= 30 && occupying(c, Lab.B) > 0, Duration.ofSeconds(120),
                "30 tasks done and some on cluster-b: " + c.status());
            down = System.currentTimeMillis();
            LabCampaign.daemon("stop", "slurmctld", "b");
            try {
                while (System.currentTimeMillis() < down + OUTAGE.toMillis()) {
                    JsonNode s = c.status();
                    if (s != null) {
                        during.add(new Look(System.currentTimeMillis(), c.clusterState(Lab.A), c.clusterState(Lab.B),
                            occupying(c, Lab.B), s.path("completed").asInt()));
                    }
                    Thread.sleep(200);
                }
            } finally {
                restart = System.currentTimeMillis();
                LabCampaign.daemon("start", "slurmctld", "b"); // waits until cluster-b answers squeue again
            }
            up = System.currentTimeMillis();
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofSeconds(240),
                "the campaign to finish after the outage: " + c.campaign().counts() + " " + c.status());
            LabCampaign.await(() -> "ok".equals(c.clusterState(Lab.B)), Duration.ofSeconds(60), "cluster-b reported ok again");

            // the other cluster went on
            assertThat(during).allMatch(l -> l.stateA().equals("ok"), "cluster-a ok throughout");
            int before = during.get(0).completed();
            int after = during.get(during.size() - 1).completed();
            assertThat(after - before).as("tasks completed during the outage (cluster-a alone)").isGreaterThan(40);

            // the down cluster: unreachable, with the tasks it had, never "0 jobs"
            List<Look> unreachable = during.stream().filter(l -> l.stateB().equals("unreachable")).toList();
            assertThat(unreachable).as("status.json showed cluster-b unreachable during the outage").isNotEmpty();
            assertThat(new TreeSet<>(unreachable.stream().map(Look::occupyingB).toList()))
                .as("cluster-b's tasks (running + pending) while unreachable: as last known, not 0").hasSize(1)
                .allMatch(n -> n > 0);

            // nothing but polls to cluster-b from its first failed poll until a poll answers again
            List<SshTrace.Call> calls = new ArrayList<>(c.trace().calls(Lab.B));
            calls.sort((x, y) -> Long.compare(x.startMillis(), y.startMillis()));
            boolean blind = false;
            int failedPolls = 0;
            for (SshTrace.Call call : calls) {
                if (call.kind() == SshTrace.Kind.POLL) {
                    blind = !call.ok();
                    failedPolls += call.ok() ? 0 : 1;
                } else if (call.kind() == SshTrace.Kind.SUBMIT) {
                    assertThat(blind).as("sbatch sent to cluster-b at %d ms after the outage began, after a failed poll: %s",
                        call.startMillis() - down, call).isFalse();
                }
            }
            assertThat(failedPolls).as("polls of cluster-b that failed during the outage").isGreaterThan(0);
            // (daemon.sh start returns only once its own squeue answers, so the campaign's 0.5 s poll may see the
            // controller back, and refill it, before `up`: the outage ends when the restart is asked for)
            assertThat(calls.stream().filter(x -> x.kind() == SshTrace.Kind.SUBMIT && x.startMillis() > down + 10_000
                && x.startMillis() < restart)).as("submissions to cluster-b started during the outage").isEmpty();

            // and the campaign finished: every index once
            assertThat(c.campaign().counts()).containsEntry("COMPLETED", 240).containsEntry("FAILED", 0);
            Map<Long, Integer> starts = c.starts();
            assertThat(starts).as("every index ran").hasSize(240);
            assertThat(starts.values()).as("no index ran twice").containsOnly(1);
            assertThat(c.sessions().logins()).as("sshd stayed up: one login each").containsEntry(Lab.A, 1).containsEntry(Lab.B, 1);
            System.out.printf("(d) outage of cluster-b's slurmctld for %d s: %d tasks done meanwhile, %d failed polls of cluster-b,"
                + " status.json showed it unreachable with %s task(s) for %d of %d looks; finished %.0f s after it came back%n",
                OUTAGE.toSeconds(), after - before, failedPolls, unreachable.get(0).occupyingB(), unreachable.size(), during.size(),
                (System.currentTimeMillis() - up) / 1000.0);
        }
        c.delete();
    }

    private static int occupying(LabCampaign c, String cluster) {
        JsonNode s = c.status();
        if (s != null) {
            for (JsonNode n : s.path("clusters")) {
                if (n.path("name").asText().equals(cluster)) {
                    return n.path("running").asInt() + n.path("pending").asInt();
                }
            }
        }
        return 0;
    }
}
