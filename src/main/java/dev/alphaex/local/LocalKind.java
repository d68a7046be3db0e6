package dev.alphaex.local;

import dev.alphaex.cluster.Check;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.ClusterPaths;
import dev.alphaex.cluster.ClusterProtocol;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.DoctorInput;
import dev.alphaex.cluster.JobDefaults;
import dev.alphaex.cluster.Preflight;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local cluster: processes on this machine ({@link LocalClusters}), at most {@code running} at a time (default:
 * the capacity); the tasks beyond wait in its queue, and a queued task can be taken back.
 * Its jobs run from workDir (default: the folder the controller runs in), write their logs under the campaign
 * folder, and see the campaign's sweep by its absolute path.
 */
public final class LocalKind implements ClusterKind {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public String defaultTransport() {
        return LocalClusters.NAME;
    }

    @Override
    public ClusterProtocol protocol(ClusterSettings cluster) {
        return new LocalProtocol(cluster.runningBudget());
    }

    /** The job script must be there and executable; blamed where it was named (campaign.script or the cluster). */
    @Override
    public void check(ClusterSettings c, JobDefaults defaults) {
        if (!c.sync().isBlank()) {
            throw new IllegalArgumentException(c.where() + ": sync " + c.sync() + " is for clusters reached over ssh (kind slurm);"
                    + " a local cluster runs the code in its workDir on this machine");
        }
        Path workDir = workDir(c);
        Path script = workDir.resolve(c.script().isBlank() ? defaults.script() : c.script());
        String where = c.script().isBlank() ? defaults.scriptWhere() : c.where() + ": script";
        String from = c.script().isBlank() ? " (cluster '" + c.name() + "' of " + c.routesFile() + " runs it from "
                + workDir.toAbsolutePath().normalize() + ")" : "";
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException(where + ": job script " + script + ": no such file" + from);
        }
        if (!Files.isExecutable(script)) {
            throw new IllegalArgumentException(where + ": job script " + script + " is not executable (chmod +x " + script + ")" + from);
        }
    }

    @Override
    public ClusterPaths paths(ClusterSettings c, JobDefaults defaults) {
        String results = !c.results().isBlank() ? c.results()
                : defaults.dir().resolve("local").resolve(c.name()).resolve("results").toAbsolutePath().toString();
        String sweep = !c.sweep().isBlank() ? c.sweep() : defaults.sweep() == null ? null : defaults.sweep().toAbsolutePath().toString();
        return new ClusterPaths(workDir(c).toAbsolutePath().toString(), c.script().isBlank() ? defaults.script() : c.script(), results,
                results, sweep);
    }

    private static Path workDir(ClusterSettings c) {
        return Path.of(c.workDir().isBlank() ? "." : c.workDir());
    }

    @Override
    public String address(ClusterSettings cluster) {
        return cluster.name();
    }

    @Override
    public boolean logsMayLag() {
        return false;
    }

    @Override
    public String outputOf(ClusterSettings cluster, String jobId, long taskId) {
        return ""; // the reason already names the task's .err file
    }

    /** The task's files under the campaign folder: {@code <campaign.dir>/local/<cluster>/jobs/<job>/<task>.out} and .err. */
    @Override
    public String outputOf(ClusterSettings cluster, JobDefaults defaults, String jobId, long taskId) {
        Path dir = defaults.dir().resolve("local").resolve(cluster.name()).resolve("jobs").resolve(jobId);
        return "stdout " + dir.resolve(taskId + ".out") + ", stderr " + dir.resolve(taskId + ".err");
    }

    /**
     * The local equivalents of a Slurm cluster's checks, made here without a command: workDir, the job script (there and
     * executable), the results folder (writable, or creatable) and the sweep file (readable).
     */
    @Override
    public Preflight doctor(ClusterSettings c, ClusterPaths paths, DoctorInput input, CommandResult answer) {
        List<Check> checks = new ArrayList<>();
        Path workDir = Path.of(paths.workDir());
        if (!Files.isDirectory(workDir)) {
            checks.add(Check.fail("workDir", workDir + " is not a folder", "create it, or name another workDir"));
        } else {
            checks.add(Check.ok("workDir", workDir.toString()));
            Path script = workDir.resolve(paths.script());
            if (!Files.isRegularFile(script)) {
                checks.add(Check.fail("script", paths.script() + " in " + workDir + " does not exist", "put the job script there"));
            } else if (!Files.isExecutable(script)) {
                checks.add(Check.fail("script", paths.script() + " in " + workDir + " is not executable", "chmod +x " + script));
            } else {
                checks.add(Check.ok("script", paths.script() + " in " + workDir));
            }
        }
        Path results = workDir.resolve(paths.results());
        Path existing = results;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.toAbsolutePath().getParent();
        }
        if (Files.isDirectory(results) && Files.isWritable(results)) {
            checks.add(Check.ok("results", results + " (writable)"));
        } else if (Files.exists(results)) {
            checks.add(Check.fail("results", results + (Files.isDirectory(results) ? " is not writable" : " is not a folder"),
                    "chmod u+rwx " + results + ", or name another results folder"));
        } else if (existing != null && Files.isDirectory(existing) && Files.isWritable(existing)) {
            checks.add(Check.ok("results", results + " does not exist yet; it is created when a job starts"));
        } else {
            checks.add(Check.fail("results", results + " cannot be created: " + existing + " is not writable", "mkdir -p " + results));
        }
        if (paths.sweep() == null) {
            checks.add(Check.skipped("sweep", "no sweep file for the jobs"));
        } else if (Files.isReadable(Path.of(paths.sweep()))) {
            checks.add(Check.ok("sweep", paths.sweep()));
        } else {
            checks.add(Check.fail("sweep", paths.sweep() + " is not readable", "give campaign.sweep a readable file"));
        }
        return new Preflight(checks, new ClusterInfo(LocalProtocol.MAX_ARRAY_INDEX, "local processes, " + c.capacity() + " at a time"));
    }
}
