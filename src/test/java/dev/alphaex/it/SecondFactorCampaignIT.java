package dev.alphaex.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.campaign.LedgerState;
import dev.alphaex.campaign.Phase;
import dev.alphaex.ssh.ControlMasters;
import dev.alphaex.ssh.Lab;
import dev.alphaex.ssh.Pty;
import dev.alphaex.ssh.SshdLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Whole campaigns on a cluster that asks for a second factor (issue 10, "Tests (real-Slurm profile)"): the lab's
 * sshd-mfa asks a TOTP code after the key. The campaign (src/test/resources/campaigns/slurm-lab-mfa.yaml) has
 * cluster-m (clustera as user axm through sshd-mfa, capacity 6) and the key-only cluster-b (capacity 6); the
 * controller is the real main class in a JVM of its own, started on a pseudo-terminal that the test answers, or
 * without any terminal ({@code setsid}), as a service would start it. Every login attempt is counted in
 * sshd-mfa's own log (a TCP connection, the key passed, the answer accepted or rejected). Codes are never reused
 * ({@link Lab#freshTotp()}), as a site with google-authenticator's DISALLOW_REUSE requires.
 */
class SecondFactorCampaignIT {
    private static final String CLUSTERS = "src/test/resources/campaigns/slurm-lab-mfa.yaml";
    private static final String M = "cluster-m";
    private static final String B = "cluster-b";
    private static final int CAPACITY = 6;
    private static final Duration ASKED = Duration.ofSeconds(90);
    private static final Duration CAMPAIGN = Duration.ofSeconds(300);

    private static LabCampaign campaign(String name, int jobs, String jobSeconds, String mfaAlias, String transport)
        throws IOException {
        LabCampaign c = LabCampaign.prepare(name, LabCampaign.TEST_JOB, "[[0," + (jobs - 1) + "]]").clusters(CLUSTERS);
        c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString(), "JOB_SLEEP", jobSeconds)));
        c.set("campaign.exitWhenDone", "true").set("campaign.exitGraceSeconds", "0");
        c.set("slurmit.mfaHost", mfaAlias).set("slurmit.mfaTransport", transport);
        return c;
    }

    /** cluster-m's tasks are axm's on clustera: sampled over the key-only cluster-a; cluster-b's as axb. */
    private static QueueSampler sampler(LabCampaign c) throws InterruptedException {
        LabCampaign.await(() -> c.tag() != null, Duration.ofSeconds(60), "the ledger's first event");
        return QueueSampler.start(c.lab, c.tag(), Duration.ofMillis(500),
            List.of(new QueueSampler.Target(M, Lab.A, "axm"), QueueSampler.Target.own(B)));
    }

    @Test
    void builtInClientOnATerminalAnswersOnceForTheWholeCampaign() throws Exception {
        LabCampaign c = campaign("itmfatty", 60, "1", Lab.MFA, "ssh");
        SshdLog sshd = SshdLog.from(c.lab.mfaLog());
        int exit;
        String screen;
        Map<String, Integer> most;
        try (Pty pty = Pty.start(c.childCommand())) {
            pty.await("\\[alphaex\\] cluster-a-mfa \\(axm@127\\.0\\.0\\.1:" + c.lab.mfaPort() + "\\) asks:", ASKED);
            pty.await("Verification code: ", ASKED);
            try (QueueSampler sampler = sampler(c)) {
                pty.type(c.lab.freshTotp());
                exit = pty.waitFor(CAMPAIGN);
                most = sampler.max();
            }
            screen = pty.screen();
        }
        assertThat(exit).as("the controller's exit; its terminal showed:%n%s", screen).isZero();
        assertThat(screen).contains("campaign itmfatty finished").contains("60 jobs, 60 completed, 0 failed")
            .doesNotContain(" is paused").doesNotContain(" ERROR ");
        assertThat(screen.split("Verification code: ", -1)).as("asked once").hasSize(2);

        int connections = sshd.settled(SshdLog.CONNECTION, Duration.ofSeconds(5));
        System.out.printf("(mfa built-in, terminal) sshd-mfa: %d connection(s), %d key(s) passed, %d code(s) accepted, %d rejected;"
            + " most seen active %s%n", connections, sshd.count(SshdLog.KEY_PASSED), sshd.count(SshdLog.ANSWER_ACCEPTED),
            sshd.count(SshdLog.ANSWER_REJECTED), most);
        assertThat(connections).as("logins to the MFA cluster for the whole campaign").isEqualTo(1);
        assertThat(sshd.count(SshdLog.ANSWER_ACCEPTED)).as("keyboard-interactive authentications").isEqualTo(1);
        assertThat(sshd.count(SshdLog.ANSWER_REJECTED)).isZero();

        Map<Phase, Integer> m = ledger(c).counts(M);
        assertThat(m.get(Phase.COMPLETED)).as("the MFA cluster ran its share").isPositive();
        assertThat(m.get(Phase.COMPLETED) + ledger(c).counts(B).get(Phase.COMPLETED)).isEqualTo(60);
        assertEveryIndexRanOnce(c, 60);
        assertCapacityKept(most);
        c.delete();
    }

    @Test
    void withoutATerminalTheMfaClusterIsPausedAndTheOtherClusterRunsEverything() throws Exception {
        LabCampaign c = campaign("itmfanotty", 30, "2", Lab.MFA, "ssh");
        Path pauseFile = pauseFile(c);
        SshdLog sshd = SshdLog.from(c.lab.mfaLog());
        long began = System.nanoTime();
        Process p = c.startWithoutTerminal("controller.log");
        boolean ended;
        try {
            ended = p.waitFor(CAMPAIGN.toSeconds(), TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
        long seconds = (System.nanoTime() - began) / 1_000_000_000L;
        String log = Files.readString(c.controller.resolve("controller.log"));
        assertThat(ended && p.exitValue() == 0).as("the controller ends by itself with 0; its log:%n%s", log).isTrue();
        assertThat(log).contains("30 jobs, 30 completed, 0 failed").doesNotContain(" ERROR ").doesNotContain("\tat ");

        List<String> pauses = lines(log, "cluster cluster-m is paused");
        assertThat(pauses).as("one line for the pause").hasSize(1);
        assertThat(lines(log, " paused: ")).as("and no other line says it again").hasSize(1);
        assertThat(pauses.get(0)).contains("its login asks for \"Verification code:\" and the controller has no terminal")
            .contains("next login attempt not before").contains("(at most 3 an hour)")
            .contains("to try at once: rm '" + pauseFile + "'").contains("the other clusters go on");
        assertThat(pauseFile).as("the pause file, in the campaign's folder").exists();
        assertThat(Files.readString(pauseFile)).isEqualTo(pauses.get(0).substring(pauses.get(0).indexOf("cluster-a-mfa paused: "),
            pauses.get(0).indexOf("; it gets nothing until")) + "\n");
        JsonNode m = c.cluster(M);
        assertThat(m.path("state").asText()).isEqualTo("paused");
        assertThat(m.path("remedy").asText()).isEqualTo("rm '" + pauseFile + "'");

        int connections = sshd.settled(SshdLog.CONNECTION, Duration.ofSeconds(5));
        System.out.printf("(mfa built-in, no terminal) %d s campaign: sshd-mfa %d connection(s), %d key(s) passed, %d answer(s)%n",
            seconds, connections, sshd.count(SshdLog.KEY_PASSED), sshd.count(SshdLog.ANSWER_ACCEPTED) + sshd.count(SshdLog.ANSWER_REJECTED));
        assertThat(connections).as("login attempts to the MFA cluster while paused (none more within 20 min)").isEqualTo(1);
        assertThat(sshd.count(SshdLog.KEY_PASSED)).isEqualTo(1);
        assertThat(sshd.count(SshdLog.ANSWER_ACCEPTED) + sshd.count(SshdLog.ANSWER_REJECTED)).as("no answer was ever sent").isZero();

        assertThat(ledger(c).counts(M).values()).as("the paused cluster got no work").containsOnly(0);
        assertThat(ledger(c).counts(B).get(Phase.COMPLETED)).isEqualTo(30);
        assertEveryIndexRanOnce(c, 30);
        c.delete();
    }

    @Test
    void opensshOverTheUsersControlMasterAuthenticatesNeverAndSurvivesALostMaster() throws Exception {
        LabCampaign c = campaign("itmfacm", 120, "3", Lab.MFA_CM, "openssh");
        ControlMasters.close(c.lab, Lab.MFA_CM);
        ControlMasters.open(c.lab, Lab.MFA_CM); // the user's one answer, in their own shell
        SshdLog sshd = SshdLog.from(c.lab.mfaLog());
        SshdLog reopened;
        Process p = c.startWithoutTerminal("controller.log");
        boolean ended;
        String remedy;
        int completedAtKill;
        Map<String, Integer> most;
        try (QueueSampler sampler = sampler(c)) {
            LabCampaign.await(() -> c.cluster(M).path("completed").asInt() >= 6 && c.cluster(M).path("running").asInt() > 0
                || !p.isAlive(), Duration.ofSeconds(120), "cluster-m to run tasks over the master");
            assertThat(sshd.count(SshdLog.CONNECTION)).as("logins by the campaign over the master").isZero();
            completedAtKill = c.cluster(M).path("completed").asInt();

            ControlMasters.kill(c.lab, Lab.MFA_CM); // the master dies mid-campaign (SIGKILL: its socket stays)
            LabCampaign.await(() -> M.equals(c.cluster(M).path("name").asText()) && "paused".equals(c.clusterState(M)) || !p.isAlive(),
                Duration.ofSeconds(30), "cluster-m paused in status.json");
            remedy = c.cluster(M).path("remedy").asText();
            Thread.sleep(5000); // a few polls while paused; cluster-m's tasks end meanwhile, cluster-b goes on
            assertThat(c.clusterState(M)).isEqualTo("paused");
            assertThat(sshd.count(SshdLog.CONNECTION)).as("login attempts while paused").isZero();

            reopened = SshdLog.from(c.lab.mfaLog());
            ControlMasters.run(c.lab, Lab.MFA_CM, List.of("sh", "-c", remedy)); // exactly what the pause line says
            LabCampaign.await(() -> "ok".equals(c.clusterState(M)) || !p.isAlive(), Duration.ofSeconds(30), "cluster-m back");
            ended = p.waitFor(CAMPAIGN.toSeconds(), TimeUnit.SECONDS);
            most = sampler.max();
        } finally {
            p.destroyForcibly();
            ControlMasters.close(c.lab, Lab.MFA_CM);
        }
        String log = Files.readString(c.controller.resolve("controller.log"));
        assertThat(ended && p.exitValue() == 0).as("the controller ends by itself with 0; its log:%n%s", log).isTrue();
        assertThat(log).contains("120 jobs, 120 completed, 0 failed").doesNotContain(" ERROR ").doesNotContain("\tat ");

        String socket = c.lab.keys.resolve("cm-axm@127.0.0.1:" + c.lab.mfaPort()).toString();
        assertThat(remedy).as("the remedy in status.json").isEqualTo("rm -f '" + socket + "' && ssh -F " + c.lab.sshConfig
            + " -fNM cluster-a-mfa-cm");
        List<String> pauses = lines(log, "cluster cluster-m is paused");
        assertThat(pauses).as("one line for the pause").hasSize(1);
        assertThat(lines(log, " paused: ")).as("and no other line says it again").hasSize(1);
        assertThat(pauses.get(0)).contains("cluster-a-mfa-cm paused: no OpenSSH master connection runs for it")
            .contains("start one (it asks for the second factor there): " + remedy);
        int resumedAt = log.indexOf("cluster cluster-m is no longer paused");
        assertThat(resumedAt).as("the resume line").isPositive();
        assertThat(log.substring(resumedAt)).as("cluster-m gets work again after it resumed").contains("cluster cluster-m: submitted job");

        int connections = sshd.settled(SshdLog.CONNECTION, Duration.ofSeconds(5));
        System.out.printf("(mfa openssh) master killed at %d completed on cluster-m; sshd-mfa after the first master: %d connection(s)"
            + " (the test's second master: %d), %d code(s) accepted; most seen active %s%n", completedAtKill, connections,
            reopened.count(SshdLog.CONNECTION), sshd.count(SshdLog.ANSWER_ACCEPTED), most);
        assertThat(reopened.count(SshdLog.CONNECTION)).as("the test's second master").isEqualTo(1);
        assertThat(connections).as("authentications by the campaign itself: none").isEqualTo(reopened.count(SshdLog.CONNECTION));
        assertThat(sshd.count(SshdLog.ANSWER_ACCEPTED)).isEqualTo(1);

        assertThat(ledger(c).counts(M).get(Phase.COMPLETED)).as("cluster-m's share, before and after the pause")
            .isGreaterThan(completedAtKill);
        assertEveryIndexRanOnce(c, 120);
        assertThat(c.controller.resolve("inbox").toFile().list((d, n) -> n.endsWith(".csv"))).as("every log, fetched once").hasSize(120);
        assertCapacityKept(most);
        c.delete();
    }

    @Test
    void aWrongCodeIsOneClearLineAndNoLoginUntilTheUserActs() throws Exception {
        LabCampaign c = campaign("itmfawrong", 90, "4", Lab.MFA, "ssh");
        Path pauseFile = pauseFile(c);
        SshdLog sshd = SshdLog.from(c.lab.mfaLog());
        int exit;
        String screen;
        try (Pty pty = Pty.start(c.childCommand())) {
            pty.await("Verification code: ", ASKED);
            pty.type(c.lab.wrongTotp());
            String line = pty.await("cluster cluster-m is paused [^\\r\\n]*", ASKED);
            assertThat(line).contains("the server rejected the answer to \"Verification code:\"")
                .contains("no login is tried again until you run: rm '" + pauseFile + "'");
            LabCampaign.await(() -> "paused".equals(c.clusterState(M)), Duration.ofSeconds(10), "cluster-m paused in status.json");
            assertThat(c.cluster(M).path("remedy").asText()).isEqualTo("rm '" + pauseFile + "'");
            Thread.sleep(8000); // 8 polls of cluster-m: none may log in; cluster-b goes on
            assertThat(sshd.settled(SshdLog.CONNECTION, Duration.ofSeconds(5))).as("login attempts, the wrong code's included")
                .isEqualTo(1);
            assertThat(sshd.count(SshdLog.ANSWER_REJECTED)).as("the wrong code, once").isEqualTo(1);
            assertThat(c.cluster(B).path("completed").asInt()).as("cluster-b goes on").isPositive();
            assertThat(c.clusterState(M)).isEqualTo("paused");

            Files.delete(pauseFile); // the user's act
            pty.await("cluster-a-mfa: .*cluster-a-mfa\\.paused was removed: trying a login now", ASKED);
            pty.await("Verification code: ", ASKED);
            pty.type(c.lab.freshTotp());
            pty.await("cluster cluster-m is no longer paused", ASKED);
            exit = pty.waitFor(CAMPAIGN);
            screen = pty.screen();
        }
        assertThat(exit).as("the controller's exit; its terminal showed:%n%s", screen).isZero();
        assertThat(screen).contains("90 jobs, 90 completed, 0 failed").doesNotContain(" ERROR ").doesNotContain("\tat ");
        assertThat(lines(screen, "cluster cluster-m is paused")).as("one line for the pause").hasSize(1);
        assertThat(lines(screen, " paused: ")).as("and no other line says it again").hasSize(1);

        int connections = sshd.settled(SshdLog.CONNECTION, Duration.ofSeconds(5));
        System.out.printf("(mfa wrong code) sshd-mfa: %d connection(s), %d code(s) rejected, %d accepted%n", connections,
            sshd.count(SshdLog.ANSWER_REJECTED), sshd.count(SshdLog.ANSWER_ACCEPTED));
        assertThat(connections).as("the wrong code's login and the one after the user's act").isEqualTo(2);
        assertThat(sshd.count(SshdLog.ANSWER_REJECTED)).isEqualTo(1);
        assertThat(sshd.count(SshdLog.ANSWER_ACCEPTED)).isEqualTo(1);
        assertThat(pauseFile).doesNotExist();
        assertThat(ledger(c).counts(M).get(Phase.COMPLETED)).as("cluster-m resumed and ran its share").isPositive();
        assertEveryIndexRanOnce(c, 90);
        c.delete();
    }

    /** The built-in client's pause file of the MFA alias, in the campaign's folder. */
    private static Path pauseFile(LabCampaign c) {
        return c.controller.resolve("paused").resolve(Lab.MFA + ".paused").toAbsolutePath();
    }

    /** Both clusters ran tasks, never more at once than their capacities (sampled with squeue). */
    private static void assertCapacityKept(Map<String, Integer> most) {
        assertThat(most.get(M)).as("most of the campaign's tasks seen active on cluster-m").isBetween(1, CAPACITY);
        assertThat(most.get(B)).as("most seen active on cluster-b").isBetween(1, CAPACITY);
    }

    private static LedgerState ledger(LabCampaign c) {
        return LedgerState.replay(c.controller.resolve("ledger.jsonl"));
    }

    private static void assertEveryIndexRanOnce(LabCampaign c, int jobs) throws IOException {
        Map<Long, Integer> starts = c.starts();
        assertThat(starts).as("every index ran (runs.log)").hasSize(jobs);
        assertThat(starts.values()).as("no index ran twice (runs.log)").containsOnly(1);
    }

    private static List<String> lines(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).toList();
    }
}
