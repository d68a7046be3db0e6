package dev.alphaex.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alphaex.cluster.CommandResult;
import dev.alphaex.slurm.DoctorCheck.Status;
import dev.alphaex.ssh.Lab;
import dev.alphaex.ssh.Shell;
import dev.alphaex.ssh.SshSessions;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doctor's one command on the lab's clustera (as axa), against project folders made for the test: one in
 * order (with the slim jar, uploaded over SFTP, and a sweep file), one with a script without the x bit and a
 * results folder nobody may write, one without its script, and one that does not exist.
 */
class SlurmDoctorIT {
    private static final String SWEEP = "{\"a\": [1, 2]}\n";
    private static Lab lab;
    private static SshSessions ssh;
    private static String base;
    private static String jarSha;

    @BeforeAll
    static void folders() throws Exception {
        lab = Lab.require();
        ssh = lab.sessions();
        base = "it-work/doctor-" + Long.toString(System.nanoTime(), 36);
        String ok = base + "/ok";
        String bad = base + "/bad";
        CommandResult r = exec("mkdir -p " + q(ok + "/jobs") + " " + q(ok + "/results") + " " + q(bad + "/jobs") + " "
            + q(bad + "/results") + " && printf '#!/bin/bash\\ntrue\\n' > " + q(ok + "/jobs/run.sh") + " && chmod 755 "
            + q(ok + "/jobs/run.sh") + " && printf '%s' " + Shell.quote(SWEEP) + " > " + q(ok + "/sweep.json")
            + " && printf '#!/bin/bash\\ntrue\\n' > " + q(bad + "/jobs/run.sh") + " && chmod 644 " + q(bad + "/jobs/run.sh")
            + " && chmod 555 " + q(bad + "/results") + " && cd " + q(ok) + " && pwd");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Path jar = Paths.get("target", "alphaex-sweep.jar");
        assertThat(jar).as("mvn package builds it").isRegularFile();
        jarSha = sha256(Files.readAllBytes(jar));
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(ssh.session(Lab.A));
             OutputStream out = sftp.write(r.stdout().strip() + "/alphaex-sweep.jar")) {
            Files.copy(jar, out);
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (ssh != null) {
            if (base != null) {
                exec("chmod -R u+rwx " + q(base) + " && rm -rf " + q(base));
            }
            ssh.close();
        }
    }

    private static DoctorReport doctor(DoctorRequest req) throws Exception {
        return SlurmDoctor.parse(req, ssh.exec(Lab.A, SlurmDoctor.command(req), Duration.ofSeconds(60)));
    }

    @Test
    void everythingInPlaceWithTheSlimJarRunningThere() throws Exception {
        DoctorRequest req = DoctorRequest.of(Lab.A, base + "/ok", "jobs/run.sh", "results")
            .withSweep("sweep.json", sha256(SWEEP.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .withJava("java", "alphaex-sweep.jar", jarSha);
        DoctorReport r = doctor(req);
        assertThat(r.checks()).allSatisfy(c -> assertThat(c.status()).as(c.line()).isEqualTo(Status.OK));
        assertThat(r.slurmVersion()).isEqualTo("22.05.8");
        assertThat(r.clusterName()).isEqualTo(lab.env.get("AX_LAB_A_CLUSTER"));
        assertThat(r.maxArraySize()).isEqualTo(100_001);
        assertThat(r.check("java").orElseThrow().detail()).endsWith("alphaex-sweep.jar answers 'alphaex 0.1.0'");
        // nothing left behind by the write probe
        assertThat(exec("ls -A " + q(base + "/ok/results")).stdout()).isEmpty();
    }

    @Test
    void findsANonExecutableScriptAndAnUnwritableResultsFolder() throws Exception {
        DoctorReport r = doctor(DoctorRequest.of(Lab.A, base + "/bad", "jobs/run.sh", "results"));
        DoctorCheck script = r.check("script").orElseThrow();
        assertThat(script.status()).isEqualTo(Status.WARN);
        assertThat(script.detail()).endsWith("jobs/run.sh in " + home() + "/" + base + "/bad is not executable (sbatch runs"
            + " it anyway: it sends a copy)");
        DoctorCheck results = r.check("results").orElseThrow();
        assertThat(results.status()).isEqualTo(Status.FAIL);
        assertThat(results.detail()).contains("is not writable").contains("Permission denied");
        assertThat(results.fix()).contains("chmod u+rwx");
        assertThat(r.failures()).containsExactly(results);
        assertThat(r.summary(Lab.A)).startsWith(Lab.A + ": 1 check failed: results: ");
    }

    @Test
    void findsAMissingScript() throws Exception {
        DoctorReport r = doctor(DoctorRequest.of(Lab.A, base + "/ok", "jobs/nothere.sh", "results"));
        assertThat(r.failures()).extracting(DoctorCheck::name).containsExactly("script");
        assertThat(r.failures().get(0).detail()).endsWith("jobs/nothere.sh in " + home() + "/" + base + "/ok does not exist");
        assertThat(r.failures().get(0).fix()).startsWith("copy it there: scp <local script> " + Lab.A + ":");
    }

    @Test
    void findsAMissingWorkDirAndAMissingJar() throws Exception {
        DoctorReport r = doctor(DoctorRequest.of(Lab.A, base + "/nowhere", "jobs/run.sh", "results")
            .withJava("java", "alphaex-sweep.jar", null));
        assertThat(r.failures()).extracting(DoctorCheck::name).containsExactly("workDir");
        assertThat(r.check("java").orElseThrow().status()).isEqualTo(Status.SKIPPED);
        DoctorReport noJar = doctor(DoctorRequest.of(Lab.A, base + "/bad", "jobs/run.sh", "new")
            .withJava("java", "alphaex-sweep.jar", null));
        assertThat(noJar.check("java").orElseThrow().status()).isEqualTo(Status.FAIL);
        assertThat(noJar.check("results").orElseThrow().status()).as("a results folder the jobs will create").isEqualTo(Status.OK);
    }

    /** Why a script without the x bit is only a warning: sbatch sends a copy of it and the job runs. */
    @Test
    void nonExecutableScriptRunsUnderSbatch() throws Exception {
        CommandResult r = exec("cd " + q(base + "/bad") + " && sbatch --wait --parsable -o /dev/null --job-name="
            + Shell.quote("it-doctor") + " jobs/run.sh");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String job = r.stdout().strip();
        assertThat(exec("sacct -X -n -P -j " + q(job) + " -o State").stdout().strip()).isEqualTo("COMPLETED");
    }

    private static String home() throws Exception {
        return exec("pwd").stdout().strip();
    }

    private static CommandResult exec(String command) throws Exception {
        return ssh.exec(Lab.A, command, Duration.ofSeconds(60));
    }

    private static String q(String path) {
        return Shell.quotePath(path);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
