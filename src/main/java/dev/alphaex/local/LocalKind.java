package dev.alphaex.local;

import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.ClusterPaths;
import dev.alphaex.cluster.ClusterProtocol;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.JobDefaults;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
