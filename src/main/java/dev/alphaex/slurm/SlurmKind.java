package dev.alphaex.slurm;

import dev.alphaex.cluster.Check;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.CommandMeter;
import dev.alphaex.cluster.ClusterPaths;
import dev.alphaex.cluster.ClusterProtocol;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.DoctorInput;
import dev.alphaex.cluster.JobDefaults;
import dev.alphaex.cluster.Preflight;
import java.util.List;

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

    /** {@link SlurmDoctor}'s one command: programs, slurmctld, squeue, sacct, the submit limit, the project folder. */
    @Override
    public String doctorCommand(ClusterSettings c, ClusterPaths paths, DoctorInput input) {
        return SlurmDoctor.command(request(c, paths, input));
    }

    @Override
    public Preflight doctor(ClusterSettings c, ClusterPaths paths, DoctorInput input, CommandResult answer) throws ClusterException {
        DoctorReport r = SlurmDoctor.parse(request(c, paths, input), answer);
        List<Check> checks = r.checks().stream().map(d -> new Check(d.name(), Check.Status.valueOf(d.status().name()), d.detail(),
            d.fix())).toList();
        ClusterInfo info = r.maxArraySize() > 0 ? new ClusterInfo(r.maxArraySize() - 1, "Slurm " + r.slurmVersion() + ", cluster "
            + r.clusterName() + ", MaxArraySize " + r.maxArraySize()) : null;
        return new Preflight(checks, info);
    }

    static DoctorRequest request(ClusterSettings c, ClusterPaths paths, DoctorInput input) {
        DoctorRequest r = DoctorRequest.of(c.alias(), paths.workDir(), paths.script(), paths.results());
        if (paths.sweep() != null) {
            r = r.withSweep(paths.sweep(), input.sweepSha256());
        }
        if (!c.jar().isBlank() || !c.java().isBlank()) {
            r = r.withJava(c.java().isBlank() ? "java" : c.java(), c.jar().isBlank() ? null : c.jar(), input.jarSha256());
        }
        String qos = null;
        for (String word : c.extra().split("\\s+")) {
            if (word.startsWith("--qos=")) {
                qos = word.substring("--qos=".length());
            }
        }
        return r.withSbatch(blankToNull(c.account()), qos, blankToNull(c.partition()));
    }

    private static String blankToNull(String s) {
        return s.isBlank() ? null : s;
    }
}
