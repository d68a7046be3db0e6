package dev.alphaex.slurm;

import static dev.alphaex.slurm.SlurmProtocolTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.slurm.DoctorCheck.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SlurmDoctor against answers of the lab (src/test/resources/slurm/doctor-*, see README there). */
class SlurmDoctorTest {
    static final String SWEEP_SHA = "fe6a209086751c2ed7a69d3560a2aca95044b7532d0802263d946bb06f719a02";
    static final String JAR_SHA = "da286755240785cd42148aa22685f34361310635f115c6c3896c99bc942bc639";
    private static final DoctorRequest FULL = DoctorRequest.of("cluster-a", "it-work/doc-ok", "jobs/run.sh", "results")
        .withSweep("sweep.json", SWEEP_SHA).withJava("java", "alphaex-sweep.jar", JAR_SHA);

    private static DoctorReport parse(DoctorRequest r, String fixture) throws ClusterException {
        return SlurmDoctor.parse(r, new CommandResult(0, fixture(fixture), ""));
    }

    private static Map<String, Status> statuses(DoctorReport report) {
        Map<String, Status> out = new java.util.LinkedHashMap<>();
        report.checks().forEach(c -> out.put(c.name(), c.status()));
        return out;
    }

    @Test
    void everythingInPlace() throws ClusterException {
        DoctorReport r = parse(FULL, "doctor-ok.stdout");
        assertThat(r.ok()).isTrue();
        assertThat(statuses(r).values()).containsOnly(Status.OK);
        assertThat(r.checks()).extracting(DoctorCheck::name).containsExactly("programs", "slurmctld", "squeue", "sacct",
            "limit", "workDir", "script", "results", "sweep", "java");
        assertThat(r.slurmVersion()).isEqualTo("22.05.8");
        assertThat(r.clusterName()).isEqualTo("clustera");
        assertThat(r.maxArraySize()).isEqualTo(100001);
        assertThat(r.userJobs()).isEqualTo(Map.of("PENDING", 7L, "RUNNING", 3L));
        assertThat(r.userJobsTotal()).isEqualTo(10);
        assertThat(r.limit().known()).isTrue();
        assertThat(r.check("slurmctld").orElseThrow().detail()).isEqualTo("Slurm 22.05.8, cluster clustera, MaxArraySize 100001");
        assertThat(r.check("sweep").orElseThrow().detail()).isEqualTo("sweep.json in /home/axa/it-work/doc-ok (the same content)");
        assertThat(r.check("java").orElseThrow().detail()).isEqualTo("/usr/bin/java (openjdk version \"17.0.15\" 2025-04-15);"
            + " alphaex-sweep.jar answers 'alphaex 0.1.0'");
        assertThat(r.summary("cluster-a")).isEqualTo("cluster-a: ready (Slurm 22.05.8, cluster clustera, MaxArraySize 100001)");
    }

    /** A script without the x bit runs under sbatch (it sends a copy): a warning. An unwritable results folder fails. */
    @Test
    void nonExecutableScriptWarnsUnwritableResultsAndMissingFilesFail() throws ClusterException {
        DoctorRequest req = DoctorRequest.of("cluster-a", "it-work/doc-bad", "jobs/run.sh", "results")
            .withSweep("sweep.json", SWEEP_SHA).withJava("java", "alphaex-sweep.jar", JAR_SHA);
        DoctorReport r = parse(req, "doctor-bad.stdout");
        assertThat(r.ok()).isFalse();
        assertThat(statuses(r)).containsEntry("script", Status.WARN).containsEntry("results", Status.FAIL)
            .containsEntry("sweep", Status.FAIL).containsEntry("java", Status.FAIL).containsEntry("workDir", Status.OK);
        assertThat(r.check("script").orElseThrow().line()).isEqualTo("WARN script: jobs/run.sh in /home/axa/it-work/doc-bad is"
            + " not executable (sbatch runs it anyway: it sends a copy); fix: ssh cluster-a 'chmod +x '\\''/home/axa/it-work/"
            + "doc-bad/jobs/run.sh'\\''' if anything runs it directly");
        assertThat(r.check("results").orElseThrow().detail()).isEqualTo("results in /home/axa/it-work/doc-bad is not writable:"
            + " mktemp: failed to create file via template 'results/.alphaex-doctor.XXXXXX': Permission denied");
        assertThat(r.check("results").orElseThrow().fix()).startsWith("ssh cluster-a 'chmod u+rwx ");
        assertThat(r.check("sweep").orElseThrow().detail()).contains("does not exist");
        assertThat(r.check("java").orElseThrow().fix()).isEqualTo("copy it there: scp target/alphaex-sweep.jar"
            + " cluster-a:'alphaex-sweep.jar'");
        assertThat(r.summary("cluster-a")).startsWith("cluster-a: 3 checks failed: results: ").contains(" | sweep: ");
    }

    @Test
    void missingScriptFailsAndAResultsFolderToBeCreatedIsFine() throws ClusterException {
        DoctorRequest req = DoctorRequest.of("cluster-a", "it-work/doc-bad", "jobs/missing.sh", "new/results");
        DoctorReport r = parse(req, "doctor-missing-script.stdout");
        assertThat(r.failures()).extracting(DoctorCheck::name).containsExactly("script");
        DoctorCheck script = r.failures().get(0);
        assertThat(script.detail()).isEqualTo("jobs/missing.sh in /home/axa/it-work/doc-bad does not exist");
        assertThat(script.fix()).isEqualTo("copy it there: scp <local script> cluster-a:'/home/axa/it-work/doc-bad/jobs/missing.sh'");
        assertThat(r.check("results").orElseThrow()).isEqualTo(new DoctorCheck("results", Status.OK, "new/results in"
            + " /home/axa/it-work/doc-bad does not exist yet; the jobs create it (mkdir -p) and the workDir is writable", ""));
        assertThat(statuses(r)).containsEntry("sweep", Status.SKIPPED).containsEntry("java", Status.SKIPPED);
    }

    @Test
    void missingWorkDirSkipsWhatIsInIt() throws ClusterException {
        DoctorRequest req = DoctorRequest.of("cluster-a", "it-work/nowhere", "jobs/run.sh", "results")
            .withSweep("sweep.json", null).withJava("java", "alphaex-sweep.jar", null);
        DoctorReport r = parse(req, "doctor-no-workdir.stdout");
        assertThat(r.failures()).extracting(DoctorCheck::name).containsExactly("workDir");
        assertThat(r.failures().get(0).fix()).isEqualTo("create it and put your code there: ssh cluster-a"
            + " 'mkdir -p '\\''it-work/nowhere'\\'''");
        assertThat(statuses(r)).containsEntry("script", Status.SKIPPED).containsEntry("results", Status.SKIPPED)
            .containsEntry("sweep", Status.SKIPPED).containsEntry("java", Status.SKIPPED);
    }

    /** slurmctld down: the controller's checks fail (the cluster gets no work), accounting still answers. */
    @Test
    void slurmctldDown() throws ClusterException {
        DoctorRequest req = DoctorRequest.of("cluster-b", "it-work/doc-bad", "jobs/missing.sh", "new/results");
        DoctorReport r = parse(req, "doctor-slurmctld-down.stdout");
        assertThat(r.failures()).extracting(DoctorCheck::name).containsExactly("slurmctld", "squeue", "script");
        assertThat(r.check("slurmctld").orElseThrow().detail()).contains("Unable to contact slurm controller");
        assertThat(r.check("limit").orElseThrow().status()).isEqualTo(Status.WARN);
        assertThat(r.slurmVersion()).isEmpty();
        assertThat(r.maxArraySize()).isZero();
    }

    @Test
    void staleSweepAndOtherJarBuild() throws ClusterException {
        DoctorRequest req = FULL.withSweep("sweep.json", "0".repeat(64)).withJava("java", "alphaex-sweep.jar", "1".repeat(64));
        DoctorReport r = parse(req, "doctor-ok.stdout");
        assertThat(r.check("sweep").orElseThrow().status()).isEqualTo(Status.FAIL);
        assertThat(r.check("sweep").orElseThrow().detail()).contains("differs from the campaign's sweep (SHA-256 fe6a20908675... there,"
            + " 000000000000... here)");
        assertThat(r.check("java").orElseThrow().status()).isEqualTo(Status.WARN);
        assertThat(r.check("java").orElseThrow().detail()).contains("another build than the local one");
    }

    @Test
    void programsMissingAndAJarThatNeedsANewerJava() throws ClusterException {
        String answer = fixture("doctor-ok.stdout").replace("sbatch=/usr/bin/sbatch", "sbatch=")
            .replace("sacctmgr=/usr/bin/sacctmgr", "sacctmgr=")
            .replace("jarexit=0\njarsays=alphaex 0.1.0", "jarexit=1\njarsays=Error: LinkageError occurred while loading main"
                + " class dev.alphaex.cli.AlphaExSweep\njarsays=\tjava.lang.UnsupportedClassVersionError: ... (class file"
                + " version 61.0), this version of the Java Runtime only recognizes class file versions up to 55.0");
        DoctorReport r = SlurmDoctor.parse(FULL, new CommandResult(0, answer, ""));
        assertThat(r.check("programs").orElseThrow().line()).startsWith("FAIL programs: sbatch not found on the login's PATH;"
            + " fix: is cluster-a a Slurm login node?");
        assertThat(r.check("java").orElseThrow().fix()).startsWith("the jar needs Java 17 or newer");
        String onlyOptional = fixture("doctor-ok.stdout").replace("scancel=/usr/bin/scancel", "scancel=");
        assertThat(SlurmDoctor.parse(FULL, new CommandResult(0, onlyOptional, "")).check("programs").orElseThrow().status())
            .isEqualTo(Status.WARN);
    }

    @Test
    void answerCutShortIsUnreachable() {
        String cut = fixture("doctor-ok.stdout");
        String answer = cut.substring(0, cut.indexOf("@@alphaex:files:0"));
        assertThatThrownBy(() -> SlurmDoctor.parse(FULL, new CommandResult(255, answer, "")))
            .isInstanceOf(ClusterException.class)
            .satisfies(e -> assertThat(((ClusterException) e).kind()).isEqualTo(Kind.UNREACHABLE))
            .hasMessageContaining("cut short");
    }

    /** Every value is one quoted shell word; the command asks the scheduler 5 times and changes nothing. */
    @Test
    void commandQuotesEveryPathAndCountsFiveSchedulerCommands() {
        DoctorRequest req = DoctorRequest.of("c", "~/my proj;$(touch x)", "jobs/it's.sh", "res `x`")
            .withSweep("/abs/sweep.json", null).withJava("~/jdk/bin/java", "a b.jar", null);
        String cmd = SlurmDoctor.command(req);
        assertThat(cmd).contains("cd ~/'my proj;$(touch x)' 2>/dev/null").contains("s='jobs/it'\\''s.sh';")
            .contains("d='res `x`';").contains("f='/abs/sweep.json';").contains("j=~/'jdk/bin/java';").contains("x='a b.jar';");
        assertThat(SchedulerCommand.in(cmd)).isEqualTo(Map.of(SchedulerCommand.SCONTROL, 1, SchedulerCommand.SQUEUE, 1,
            SchedulerCommand.SACCT, 1, SchedulerCommand.SACCTMGR, 2));
        assertThat(cmd).doesNotContain("mkdir").doesNotContain("chmod");
    }

    @Test
    void requestNeedsTheEssentials() {
        assertThatThrownBy(() -> DoctorRequest.of("c", " ", "s", "r")).hasMessageContaining("workDir is required");
        assertThatThrownBy(() -> DoctorRequest.of("c", "w", "s", "r").withJava(null, "x.jar", null))
            .hasMessageContaining("needs the java command");
        assertThat(List.of(DoctorRequest.of("c", "w", "s", "r").withSbatch("def-me", null, "cpu").account())).containsExactly("def-me");
    }
}
