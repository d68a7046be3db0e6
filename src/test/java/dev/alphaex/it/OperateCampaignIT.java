package dev.alphaex.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.campaign.LedgerState;
import dev.alphaex.campaign.Phase;
import dev.alphaex.cli.CliRun;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.ssh.Lab;
import dev.alphaex.ssh.Shell;
import dev.alphaex.ssh.SshSessions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operating a campaign on the Slurm lab (issue 12), through the real routes and the real command line: status during
 * and after a run, cancel with and without a controller, the dry run, the doctor and the preflight at start, a retry of
 * TIMEOUT tasks with the time doubled, and code sync (git to a bare repository, upload with the slim jar).
 */
class OperateCampaignIT {
    private static SshSessions ssh;

    @BeforeAll
    static void sessions() {
        ssh = Lab.require().sessions();
    }

    @AfterAll
    static void close() {
        if (ssh != null) {
            ssh.close();
        }
    }

    /** The campaign's tasks in the cluster's queue (pending, running, completing), by squeue as the lab user sees them. */
    static List<String> queued(String alias, String tag) throws Exception {
        CommandResult r = ssh.exec(alias, "squeue -h -r -u \"$USER\" --name=" + Shell.quote(tag) + " -t PD,R,CG,S -o '%i %T'",
            Duration.ofSeconds(60));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    static CommandResult onLab(String alias, String command) throws Exception {
        return ssh.exec(alias, command, Duration.ofSeconds(60));
    }

    private static CliRun cli(LabCampaign c, String command, String... args) {
        return CliRun.run(c.props(), command, args);
    }

    // ------------------------------------------------------------------ status

    @Test
    void statusDuringAndAfterARunSaysWhatTheLedgerSays() throws Exception {
        LabCampaign c = LabCampaign.prepare("itstatus", LabCampaign.TEST_JOB, "[[0,59]]");
        c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString(), "JOB_SLEEP", "1", "FAIL_INDICES", "5 33")));
        c.set("campaign.maxAttempts", "1");
        Path ledger = c.controller.resolve("ledger.jsonl");
        try (c) {
            c.start();
            LabCampaign.await(() -> c.completed() >= 10, Duration.ofSeconds(120), "10 completed");
            LedgerState before = LedgerState.replay(ledger);
            CliRun r = cli(c, "status", "--json");
            LedgerState after = LedgerState.replay(ledger);
            assertThat(r.exit()).as(r.toString()).isZero();
            JsonNode j = r.json();
            assertThat(j.path("controller").path("running").asBoolean()).isTrue();
            assertThat(j.path("total").asInt()).isEqualTo(60);
            assertThat(j.path("completed").asInt()).isBetween(before.count(Phase.COMPLETED), after.count(Phase.COMPLETED));
            for (JsonNode k : j.path("clusters")) {
                assertThat(k.path("state").asText()).as(k.toString()).isEqualTo("ok");
                assertThat(k.path("running").asInt() + k.path("queued").asInt()).isLessThanOrEqualTo(LabCampaign.CAPACITY.get(k.path("name")
                    .asText()));
            }
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofSeconds(240), "the campaign to finish");
        }
        LedgerState s = LedgerState.replay(ledger);
        CliRun r = cli(c, "status", "--json");
        JsonNode j = r.json();
        assertThat(j.path("controller").path("running").asBoolean()).isFalse();
        assertThat(j.path("completed").asInt()).isEqualTo(s.count(Phase.COMPLETED)).isEqualTo(58);
        assertThat(j.path("failedTasks").findValuesAsText("index")).containsExactly("5", "33");
        for (JsonNode f : j.path("failedTasks")) {
            assertThat(f.path("outcome").asText()).isEqualTo("FAILED");
            assertThat(f.path("exit").asInt()).isEqualTo(1);
            assertThat(f.path("attempts").asInt()).isEqualTo(1);
            String cluster = f.path("cluster").asText();
            assertThat(f.path("output").asText()).isEqualTo("its output: slurm-" + f.path("job").asText() + "_" + f.path("task").asLong()
                + ".out in " + c.shared + " on " + cluster + " (unless the script's #SBATCH --output/--error name other files)");
        }
        int total = 0;
        for (JsonNode k : j.path("clusters")) {
            total += k.path("completed").asInt();
            assertThat(k.path("completed").asInt()).isEqualTo(s.counts(k.path("name").asText()).get(Phase.COMPLETED));
        }
        assertThat(total).isEqualTo(58);
        c.delete();
    }

    /** A campaign of 60 indices whose tasks sleep {@code seconds}, not started. */
    private static LabCampaign sixtyTasks(String name, int seconds) throws Exception {
        LabCampaign c = LabCampaign.prepare(name, LabCampaign.TEST_JOB, "[[0,59]]");
        c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString(), "JOB_SLEEP", Integer.toString(seconds))));
        return c;
    }

    /** Starts the campaign and waits until both clusters are full (12 + 6 running); its tag. */
    private static String fillBothClusters(LabCampaign c) throws Exception {
        c.start();
        String tag = c.campaign().tag();
        LabCampaign.await(() -> c.campaign().counts().get("RUNNING") == 18, Duration.ofSeconds(120), "18 tasks running");
        return tag;
    }

    // ------------------------------------------------------------------ cancel

    @Test
    void cancelWithARunningControllerLeavesNoJobOfTheTagAndARestartSubmitsNothing() throws Exception {
        LabCampaign c = sixtyTasks("itcancel", 120);
        String tag;
        try (c) {
            tag = fillBothClusters(c);
            assertThat(queued(Lab.A, tag)).hasSize(12);
            CliRun r = cli(c, "cancel", "--json", "--wait", "90");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.json().path("by").asText()).isEqualTo("controller");
            assertThat(queued(Lab.A, tag)).isEmpty();
            assertThat(queued(Lab.B, tag)).isEmpty();
        }
        restartSubmitsNothing(c, tag, 18);
        c.delete();
    }

    @Test
    void cancelWithoutAControllerCancelsItselfEveryJobOfTheTag() throws Exception {
        LabCampaign c = sixtyTasks("itcancel2", 120);
        String tag;
        try (c) {
            tag = fillBothClusters(c);
        }
        assertThat(queued(Lab.A, tag)).as("the stopped controller's jobs run on").hasSize(12);
        CliRun r = cli(c, "cancel", "--json", "--wait", "90");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json().path("by").asText()).isEqualTo("command");
        assertThat(r.json().path("active").asInt()).isZero();
        assertThat(queued(Lab.A, tag)).isEmpty();
        assertThat(queued(Lab.B, tag)).isEmpty();
        LedgerState s = LedgerState.replay(c.controller.resolve("ledger.jsonl"));
        assertThat(s.cancelled()).isNotNull();
        assertThat(s.count(Phase.FAILED)).as("the 18 running tasks ended CANCELLED").isEqualTo(18);
        restartSubmitsNothing(c, tag, 18);
        c.delete();
    }

    private static void restartSubmitsNothing(LabCampaign c, String tag, int started) throws Exception {
        assertThat(c.starts()).hasSize(started);
        try (c) {
            c.start();
            LabCampaign.await(() -> log(c).contains("was cancelled at"), Duration.ofSeconds(30), "the note that says how to resume");
            Thread.sleep(5000);
            assertThat(c.log()).contains("To go on: alphaex resume");
            assertThat(queued(Lab.A, tag)).isEmpty();
            assertThat(queued(Lab.B, tag)).isEmpty();
            assertThat(c.starts()).as("nothing ran again").hasSize(started);
        }
    }

    // ------------------------------------------------------------------ plan

    @Test
    void planPrintsTheSbatchLinesAndSubmitsNothing() throws Exception {
        LabCampaign c = sixtyTasks("itplan", 60);
        String tag;
        try (c) {
            tag = fillBothClusters(c);
        }
        Path ledger = c.controller.resolve("ledger.jsonl");
        byte[] bytes = Files.readAllBytes(ledger);
        List<String> a = queued(Lab.A, tag);
        List<String> b = queued(Lab.B, tag);
        CliRun r = cli(c, "plan");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("plan for campaign itplan (tag " + tag + "): 60 indices, 42 pending")
            .contains("cluster cluster-a (slurm): capacity 12, 12 of the campaign's tasks there, 0 free")
            .contains("MaxArraySize 100001").contains("42 stay pending");
        c.set("campaign.jobs", "[[0,79]]"); // 20 more: still none free, the dry run of a wider campaign
        CliRun wide = cli(c, "plan", "--json");
        assertThat(wide.json().path("total").asInt()).as("the ledger's indices; the new ones are added at the next start").isEqualTo(60);
        c.set("campaign.jobs", "[[0,59]]"); // back before the cancel: a command that opens the ledger adds new indices
        cli(c, "cancel", "--wait", "90"); // free both clusters: now the plan has something to send
        LedgerState s = LedgerState.replay(ledger);
        assertThat(s.count(Phase.PENDING)).isEqualTo(42);
        CliRun resumed = cli(c, "resume");
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        bytes = Files.readAllBytes(ledger);
        CliRun p = cli(c, "plan", "--json");
        assertThat(p.exit()).as(p.toString()).isZero();
        JsonNode j = p.json();
        JsonNode ca = j.path("clusters").get(0);
        assertThat(ca.path("free").asInt()).isEqualTo(12);
        assertThat(ca.path("submissions").get(0).path("array").asText()).isEqualTo("0-11");
        String sbatch = ca.path("submissions").get(0).path("command").asText();
        assertThat(sbatch).startsWith("cd " + Shell.quote(c.shared.toString()) + " && mkdir -p " + Shell.quote(c.shared + "/results-a")
                + " && ALPHAEX_CAMPAIGN='itplan' ALPHAEX_BASE='0'")
            .contains(" sbatch --parsable --array='0-11%12' --job-name='" + tag + "' --export=ALL --time='10' '--output=");
        assertThat(j.path("clusters").get(1).path("submissions").get(0).path("array").asText()).isEqualTo("12-17");
        Thread.sleep(3000);
        assertThat(Files.readAllBytes(ledger)).as("the ledger, byte for byte").isEqualTo(bytes);
        assertThat(queued(Lab.A, tag)).as("squeue: nothing submitted").isEmpty();
        assertThat(queued(Lab.B, tag)).isEmpty();
        assertThat(a).hasSize(12);
        assertThat(b).hasSize(6);
        c.delete();
    }

    // ------------------------------------------------------------------ doctor and the preflight at start

    /**
     * Four clusters: a-ok (healthy), a-noscript (its script is not there), b-locked (its results folder is not writable
     * by the lab user) and a-nokey (its host key is not in its known_hosts): the doctor names each failure and what to
     * do, and a campaign over all four runs everything on a-ok.
     */
    @Test
    void doctorFindsAMissingScriptAnUnknownHostKeyAndAnUnwritableResultsFolderAndTheCampaignGoesOnWithTheHealthyCluster()
        throws Exception {
        LabCampaign c = LabCampaign.prepare("itdoctor", LabCampaign.TEST_JOB, "[[0,19]]");
        Path locked = Files.createDirectory(c.shared.resolve("locked"), PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("r-xr-xr-x")));
        Path emptyKnownHosts = Files.writeString(c.controller.resolve("known_hosts_empty"), "");
        Path sshConfig = c.controller.resolve("ssh_config");
        Files.writeString(sshConfig, Files.readString(c.lab.sshConfig) + "\nHost cluster-a-nokey\n  HostName 127.0.0.1\n  Port "
            + c.lab.sshPort() + "\n  User " + c.lab.env.get("AX_LAB_A_USER") + "\n  IdentityFile " + c.lab.keys.resolve("id_ed25519")
            + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + emptyKnownHosts + "\n  StrictHostKeyChecking yes\n");
        Path routes = c.controller.resolve("clusters.yaml");
        Files.writeString(routes, cluster("a-ok", Lab.A, "results-a", "")
            + cluster("a-noscript", Lab.A, "results-a", "nothere.sh")
            + cluster("b-locked", Lab.B, locked.toString(), "")
            + cluster("a-nokey", "cluster-a-nokey", "results-a", ""));
        c.set("alphaex.ssh.config", sshConfig.toString());
        c.set("campaign.routes", routes.toString());
        c.set("camel.main.routesIncludePattern", "file:routes/alphaex.yaml,file:" + routes);

        CliRun d = cli(c, "doctor");
        assertThat(d.exit()).as(d.toString()).isEqualTo(1);
        assertThat(d.out()).contains("cluster a-ok (slurm, transport ssh): ready")
            .contains("FAIL script: nothere.sh in " + c.shared + " does not exist; fix: copy it there: scp <local script> cluster-a:")
            .contains("FAIL results: " + locked + " in " + c.shared + " is not writable: ").contains("fix: ssh cluster-b 'chmod u+rwx ")
            .contains("FAIL hostkey: the host key of [127.0.0.1]:" + c.lab.sshPort() + " is unknown: not in " + emptyKnownHosts
                + "; fix: check the fingerprint, then: ssh-keyscan -p " + c.lab.sshPort() + " 127.0.0.1 >> " + emptyKnownHosts)
            .contains("OK login: logged in as axa with a key (no second factor asked)");

        try (c) {
            c.start();
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofSeconds(180), "the campaign to finish on a-ok");
            LabCampaign.await(() -> "check-failed".equals(c.clusterState("b-locked")) && "check-failed".equals(c.clusterState("a-noscript"))
                && "unreachable".equals(c.clusterState("a-nokey")), Duration.ofSeconds(30), "the three clusters' states");
            assertThat(c.campaign().counts()).containsEntry("COMPLETED", 20);
            assertThat(c.log()).contains("cluster a-noscript gets no work: checks failed: script: nothere.sh in " + c.shared
                + " does not exist (fix: copy it there:").contains("the other clusters go on");
            assertThat(c.log()).contains("cluster b-locked gets no work: checks failed: results: " + locked);
            assertThat(c.log()).contains("host key of [127.0.0.1]:" + c.lab.sshPort() + " (ssh alias cluster-a-nokey) is not in "
                + emptyKnownHosts);
        }
        LedgerState s = LedgerState.replay(c.controller.resolve("ledger.jsonl"));
        assertThat(s.counts("a-ok").get(Phase.COMPLETED)).isEqualTo(20);
        for (String bad : List.of("a-noscript", "b-locked", "a-nokey")) {
            assertThat(s.counts(bad).values()).as(bad + " got no work").allMatch(n -> n == 0);
        }
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        c.delete();
    }

    private static String cluster(String name, String host, String results, String script) {
        return "- templatedRoute:\n    routeTemplateRef: cluster\n    routeId: cluster-" + name + "\n    parameters:\n"
            + "      - {name: name, value: " + name + "}\n      - {name: host, value: " + host + "}\n      - {name: kind, value: slurm}\n"
            + "      - {name: capacity, value: \"6\"}\n      - {name: period, value: \"1000\"}\n"
            + "      - {name: workDir, value: \"{{slurmit.dir}}\"}\n      - {name: results, value: \"" + results + "\"}\n"
            + (script.isEmpty() ? "" : "      - {name: script, value: \"" + script + "\"}\n")
            + "      - {name: time, value: \"10\"}\n      - {name: extra, value: \"--output={{slurmit.dir}}/out/" + name + "-%A_%a.out\"}\n";
    }

    // ------------------------------------------------------------------ retries that change resources

    /**
     * Tasks that sleep 70 s under a 1-minute limit end TIMEOUT (the lab checks limits about every 30 s). With
     * campaign.retryTimeUpTo the controller retries them at once with twice the time; without it, alphaex retry
     * --outcome TIMEOUT --time x2 does. Both complete at the second attempt, whose sbatch line asks --time=00:02:00.
     */
    @Test
    void timeoutTasksRetriedWithTheTimeDoubledByThePropertyAndByTheCommand() throws Exception {
        LabCampaign auto = LabCampaign.prepare("ittimeauto", LabCampaign.TEST_JOB, "[[0,1]]");
        LabCampaign byHand = LabCampaign.prepare("ittimecmd", LabCampaign.TEST_JOB, "[[0,1]]");
        for (LabCampaign c : List.of(auto, byHand)) {
            c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString(), "JOB_SLEEP", "70")));
            Path routes = c.controller.resolve("clusters.yaml");
            Files.writeString(routes, cluster("a", Lab.A, "results-a", "").replace("value: \"10\"", "value: \"1\""));
            c.set("campaign.routes", routes.toString());
            c.set("camel.main.routesIncludePattern", "file:routes/alphaex.yaml,file:" + routes);
        }
        auto.set("campaign.retryTimeUpTo", "2");
        Process child = byHand.startChild("controller.log");
        try (auto) {
            auto.start();
            LabCampaign.await(() -> LedgerState.replay(byHand.controller.resolve("ledger.jsonl")).count(Phase.FAILED) == 2,
                Duration.ofSeconds(240), "the command's campaign: 2 tasks ended TIMEOUT");
            CliRun r = cli(byHand, "retry", "--outcome", "TIMEOUT", "--time", "x2");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("campaign ittimecmd 2 failed task(s) pending again with fresh attempts (0-1): 0-1 with time"
                + " 00:02:00 (by the running controller");
            LabCampaign.await(() -> auto.campaign().finished(), Duration.ofSeconds(300), "the property's campaign to finish");
            assertThat(auto.campaign().counts()).containsEntry("COMPLETED", 2);
            assertThat(auto.campaign().attempts()).containsEntry(0L, 2).containsEntry(1L, 2);
            assertThat(auto.log()).contains("ended TIMEOUT on a").contains("retrying with time 1 -> 00:02:00");
            assertThat(auto.log()).contains("with time 00:02:00");
            LabCampaign.await(() -> LedgerState.replay(byHand.controller.resolve("ledger.jsonl")).count(Phase.COMPLETED) == 2,
                Duration.ofSeconds(240), "the command's campaign: both tasks completed at their second attempt");
        } finally {
            child.destroyForcibly();
        }
        for (LabCampaign c : List.of(auto, byHand)) {
            LedgerState s = LedgerState.replay(c.controller.resolve("ledger.jsonl"));
            assertThat(s.count(Phase.COMPLETED)).as(c.controller.toString()).isEqualTo(2);
            List<String> lines = Files.readAllLines(c.controller.resolve("ledger.jsonl"));
            assertThat(lines).as("the second attempt's submission asked twice the time")
                .anyMatch(l -> l.contains("\"t\":\"intent\"") && l.contains("\"with\":{\"time\":\"00:02:00\"}"));
            String job = lines.stream().filter(l -> l.contains("\"t\":\"confirm\"")).reduce((x, y) -> y).orElseThrow()
                .replaceAll(".*\"job\":\"([0-9]+)\".*", "$1");
            assertThat(onLab(Lab.A, "sacct -X -n -P -j " + job + " -o Timelimit | head -1").stdout().strip()).isEqualTo("00:02:00");
        }
        auto.delete();
        byHand.delete();
    }

    // ------------------------------------------------------------------ code sync

    /**
     * sync git to a bare repository on the lab: the cluster's workDir is cloned at the pinned commit (not the newer one),
     * every submission records it, status shows it; a tracked file changed there afterwards stops the cluster at the next
     * start (doctor --sync says so) and nothing is reset.
     */
    @Test
    void gitSyncToABareRepositoryAtAPinnedCommitAndADirtyTreeRefused() throws Exception {
        LabCampaign c = LabCampaign.prepare("itgit", LabCampaign.TEST_JOB, "[[0,3]]");
        Path local = Files.createDirectories(c.controller.resolve("code"));
        Path bare = c.shared.resolve("code.git");
        git(c.controller, "init", "-q", "--bare", bare.toString());
        git(local, "init", "-q");
        Files.copy(Path.of(LabCampaign.TEST_JOB), local.resolve("run.sh"));
        Files.setPosixFilePermissions(local.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        git(local, "add", "-A");
        git(local, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one");
        String pinned = git(local, "rev-parse", "HEAD").strip();
        Files.writeString(local.resolve("NEWER"), "a later commit the cluster must not get\n");
        git(local, "add", "-A");
        git(local, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "two");
        git(local, "push", "-q", bare.toString(), "HEAD:refs/heads/main");
        chownToLabUser(bare, c.lab.env.get("AX_LAB_A_USER"));
        String workDir = "it-work/itgit-" + Long.toString(System.nanoTime(), 36) + "/proj";
        Path routes = c.controller.resolve("clusters.yaml");
        Files.writeString(routes, "- templatedRoute:\n    routeTemplateRef: cluster\n    routeId: cluster-a\n    parameters:\n"
            + "      - {name: name, value: a}\n      - {name: host, value: cluster-a}\n      - {name: kind, value: slurm}\n"
            + "      - {name: capacity, value: \"4\"}\n      - {name: period, value: \"1000\"}\n      - {name: workDir, value: \"" + workDir
            + "\"}\n      - {name: script, value: run.sh}\n      - {name: results, value: \"{{slurmit.dir}}/results-a\"}\n"
            + "      - {name: time, value: \"10\"}\n      - {name: extra, value: \"--output={{slurmit.dir}}/out/a-%A_%a.out\"}\n"
            + "      - {name: sync, value: git}\n      - {name: repo, value: \"" + bare + "\"}\n      - {name: commit, value: \""
            + pinned + "\"}\n");
        c.set("campaign.routes", routes.toString());
        c.set("camel.main.routesIncludePattern", "file:routes/alphaex.yaml,file:" + routes);
        try (c) {
            c.start();
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofSeconds(180), "the campaign to finish");
        }
        assertThat(onLab(Lab.A, "git -C " + Shell.quotePath(workDir) + " rev-parse HEAD").stdout().strip()).isEqualTo(pinned);
        assertThat(onLab(Lab.A, "test -e " + Shell.quotePath(workDir + "/NEWER") + "; echo $?").stdout().strip()).isEqualTo("1");
        List<String> lines = Files.readAllLines(c.controller.resolve("ledger.jsonl"));
        assertThat(lines.stream().filter(l -> l.contains("\"t\":\"intent\""))).isNotEmpty()
            .allMatch(l -> l.contains("\"code\":\"git:" + pinned + "\""));
        CliRun status = cli(c, "status", "--json");
        assertThat(status.json().path("clusters").get(0).path("code").asText()).isEqualTo("git:" + pinned);

        onLab(Lab.A, "echo edited >> " + Shell.quotePath(workDir + "/run.sh"));
        CliRun d = cli(c, "doctor", "--sync");
        assertThat(d.exit()).as(d.toString()).isEqualTo(1);
        assertThat(d.out()).contains("FAIL code: " + workDir + " on cluster-a has changes to tracked files (M run.sh): commit, stash or"
            + " discard them there yourself (AlphaEx never resets a tree)");
        c.set("campaign.jobs", "[[0,7]]");
        try (c) {
            c.start();
            LabCampaign.await(() -> "check-failed".equals(c.clusterState("a")), Duration.ofSeconds(60), "the cluster refused");
            Thread.sleep(3000);
            assertThat(c.campaign().counts()).containsEntry("PENDING", 4);
        }
        assertThat(onLab(Lab.A, "tail -n 1 " + Shell.quotePath(workDir + "/run.sh")).stdout().strip()).as("nothing reset").isEqualTo("edited");
        onLab(Lab.A, "rm -rf " + Shell.quotePath(workDir.substring(0, workDir.lastIndexOf('/'))));
        c.delete();
    }

    /** sync upload puts a folder and the slim jar in workDir (only what changed), and the doctor runs the jar there. */
    @Test
    void uploadPutsTheCodeAndTheSlimJarInPlaceAndTheDoctorRunsTheJar() throws Exception {
        LabCampaign c = LabCampaign.prepare("itupload", LabCampaign.TEST_JOB, "[[0,3]]");
        Path src = Files.createDirectories(c.controller.resolve("jobs"));
        Files.copy(Path.of(LabCampaign.TEST_JOB), src.resolve("run.sh"));
        Files.setPosixFilePermissions(src.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String workDir = "it-work/itupload-" + Long.toString(System.nanoTime(), 36);
        Path routes = c.controller.resolve("clusters.yaml");
        Files.writeString(routes, "- templatedRoute:\n    routeTemplateRef: cluster\n    routeId: cluster-a\n    parameters:\n"
            + "      - {name: name, value: a}\n      - {name: host, value: cluster-a}\n      - {name: kind, value: slurm}\n"
            + "      - {name: capacity, value: \"4\"}\n      - {name: period, value: \"1000\"}\n      - {name: workDir, value: \"" + workDir
            + "\"}\n      - {name: script, value: run.sh}\n      - {name: results, value: \"{{slurmit.dir}}/results-a\"}\n"
            + "      - {name: extra, value: \"--output={{slurmit.dir}}/out/a-%A_%a.out\"}\n"
            + "      - {name: sync, value: upload}\n      - {name: source, value: \"" + src + "\"}\n"
            + "      - {name: jar, value: alphaex-sweep.jar}\n");
        c.set("campaign.routes", routes.toString());
        c.set("camel.main.routesIncludePattern", "file:routes/alphaex.yaml,file:" + routes);
        assertThat(Path.of("target/alphaex-sweep.jar")).as("mvn package builds it").isRegularFile();
        CliRun d = cli(c, "doctor", "--sync");
        assertThat(d.exit()).as(d.toString()).isZero();
        assertThat(d.out()).contains("OK code: upload of " + src + " and the slim jar: upload:").contains("(2 file(s) copied)")
            .contains("OK java: ").contains("alphaex-sweep.jar answers 'alphaex 0.1.0'");
        try (c) {
            c.start();
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofSeconds(180), "the campaign to finish");
            assertThat(c.campaign().counts()).containsEntry("COMPLETED", 4);
            assertThat(c.log()).contains("cluster a is ready").contains("code upload:");
        }
        assertThat(Files.readAllLines(c.controller.resolve("ledger.jsonl")).stream().filter(l -> l.contains("\"t\":\"intent\"")))
            .allMatch(l -> l.contains("\"code\":\"upload:"));
        onLab(Lab.A, "rm -rf " + Shell.quotePath(workDir));
        c.delete();
    }

    private static String log(LabCampaign c) {
        try {
            return c.log();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("git " + String.join(" ", args) + ": " + out).isTrue();
        return out;
    }

    /** The lab user reads the repository as its own (git refuses a repository another user owns). */
    private static void chownToLabUser(Path dir, String user) throws Exception {
        Process p = new ProcessBuilder("chown", "-R", user, dir.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("chown (the lab runs as root)").isTrue();
    }
}
