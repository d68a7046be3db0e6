package dev.alphaex.it;

import dev.alphaex.ssh.Lab;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Another user's job (the lab's user axm, submitted as root with runuser) that takes every CPU of clusterb for fifteen
 * minutes, cancelled at the end.
 */
public final class OtherUsersJob implements AutoCloseable {
    private final String conf;
    private final String jobId;

    private OtherUsersJob(String conf, String jobId) {
        this.conf = conf;
        this.jobId = jobId;
    }

    public static OtherUsersJob fillClusterB(Lab lab) throws Exception {
        String conf = lab.env.get("AX_LAB_B_SLURM_CONF");
        String cpus = lab.env.getOrDefault("AX_LAB_B_CPUS", "32");
        String id = run("runuser", "-u", lab.env.getOrDefault("AX_LAB_M_USER", "axm"), "--", "env", "SLURM_CONF=" + conf, "sbatch",
            "--parsable", "-o", "/dev/null", "--chdir=/tmp", "-J", "other-users-work", "-c", cpus, "--time=20", "--wrap", "sleep 900")
            .strip();
        OtherUsersJob job = new OtherUsersJob(conf, id);
        LabCampaign.await(() -> "RUNNING".equals(job.state()), Duration.ofSeconds(30), "the other user's job to run on clusterb");
        return job;
    }

    public String state() {
        try {
            return run("env", "SLURM_CONF=" + conf, "squeue", "-h", "-j", jobId, "-o", "%T").strip();
        } catch (Exception e) {
            return "? " + e.getMessage();
        }
    }

    @Override
    public void close() throws Exception {
        run("env", "SLURM_CONF=" + conf, "scancel", jobId);
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed (the lab's tests run as root): " + out);
        }
        return out;
    }
}
