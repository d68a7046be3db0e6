package dev.alphaex.slurm;

import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.CommandMeter;
import dev.alphaex.cluster.ClusterPaths;
import dev.alphaex.cluster.ClusterProtocol;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.JobDefaults;

/**
 * A Slurm cluster reached through a login shell (by default over the built-in SSH client): its commands are
 * {@link SlurmProtocol}'s; jobs are submitted from workDir (default the login's home folder) and write their
 * logs to {@code alphaex-results/<campaign>} there unless the cluster says otherwise; its logs may show up late
 * (shared file systems lag).
 */
public final class SlurmKind implements ClusterKind {
    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public String defaultTransport() {
        return "ssh";
    }

    /** The cluster's account, QOS ({@code --qos=X}, {@code --qos X} or {@code -q X} in extra) and partition, for its submit limit. */
    @Override
    public ClusterProtocol protocol(ClusterSettings cluster) {
        return new SlurmProtocol(cluster.account(), qos(cluster.extra()), cluster.partition());
    }

    static String qos(String extra) {
        String[] words = extra.strip().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            if (words[i].startsWith("--qos=")) {
                return words[i].substring("--qos=".length());
            }
            if ((words[i].equals("--qos") || words[i].equals("-q")) && i + 1 < words.length) {
                return words[i + 1];
            }
        }
        return null;
    }

    /**
     * 30 s: squeue(1), PERFORMANCE: "Do not run squeue or other Slurm client commands that send remote procedure calls
     * to slurmctld from loops in shell scripts or other programs"; the Alliance: "Do not run sq or squeue from a
     * script or program at high frequency (e.g. every few seconds)". The arrays' throttles refill the slots between
     * polls.
     */
    @Override
    public long defaultPeriodMillis() {
        return 30_000;
    }

    @Override
    public CommandMeter meter(ClusterSettings cluster) {
        return new SchedulerMeter(cluster.name());
    }

    @Override
    public void check(ClusterSettings c, JobDefaults defaults) {
        if (c.results().startsWith("~")) {
            throw new IllegalArgumentException(c.where() + ": results '" + c.results() + "': write it relative to"
                    + " workDir or absolute; '~' does not expand in the job's ALPHAEX_RESULTS");
        }
    }

    @Override
    public ClusterPaths paths(ClusterSettings c, JobDefaults defaults) {
        String workDir = c.workDir().isBlank() ? "." : c.workDir();
        String results = !c.results().isBlank() ? c.results() : "alphaex-results/" + defaults.campaign();
        return new ClusterPaths(workDir, c.script().isBlank() ? defaults.script() : c.script(), results, forSftp(workDir, results),
                c.sweep().isBlank() ? null : c.sweep());
    }

    /** The results folder as SFTP sees it: relative paths start in the home folder, "~/" is the home folder. */
    static String forSftp(String workDir, String results) {
        if (results.startsWith("/")) {
            return results;
        }
        String w = workDir.equals("~") ? "" : workDir.startsWith("~/") ? workDir.substring(2) : workDir;
        return w.isEmpty() || w.equals(".") ? results : w + "/" + results;
    }

    @Override
    public String address(ClusterSettings cluster) {
        return cluster.alias();
    }

    @Override
    public boolean logsMayLag() {
        return true;
    }

    /**
     * Where a Slurm array task's stdout and stderr are unless the job script's {@code #SBATCH --output/--error}
     * say otherwise: Slurm's default file in the folder sbatch ran in.
     */
    @Override
    public String outputOf(ClusterSettings c, String jobId, long taskId) {
        return "its output: slurm-" + jobId + "_" + taskId + ".out in " + (c.workDir().isBlank() ? "." : c.workDir()) + " on "
                + c.name() + " (unless the script's #SBATCH --output/--error name other files)";
    }
}
