package dev.alphaex.campaign;

import dev.alphaex.campaign.LedgerState.Entry;
import dev.alphaex.campaign.LedgerState.Submission;
import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.JobDefaults;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import dev.alphaex.local.LocalClusters;
import dev.alphaex.slurm.SlurmKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link Collector} for tests in other packages: a real ledger, the real Slurm kind (its logs may lag),
 * and the local runner's file transport standing for the cluster's results folder (what SFTP fetches from there).
 */
public final class CollectorAccess implements AutoCloseable {
    private final Ledger ledger;
    private final Collector collector;
    private final ClusterRuntime rt;

    private CollectorAccess(Ledger ledger, Collector collector, ClusterRuntime rt) {
        this.ledger = ledger;
        this.collector = collector;
        this.rt = rt;
    }

    /** A campaign of one index on a Slurm cluster "s" whose results folder is {@code results}; {@code lookups} per log. */
    public static CollectorAccess slurmClusterWithLocalFiles(Path dir, Path results, int lookups) {
        Ledger ledger = Ledger.open(dir, "test", new long[] {0}, Instant.EPOCH);
        ClusterKind kind = new SlurmKind();
        ClusterSettings def = ClusterSettings.bind(Map.of("name", "s", "kind", "slurm", "capacity", "1", "results", results.toString()),
                "test.yaml");
        JobDefaults defaults = new JobDefaults("test", dir, "job.sh", "campaign.script", null);
        ClusterRuntime rt = new ClusterRuntime(def, kind, new LocalClusters(dir.resolve("local").toString()), kind.paths(def, defaults), null);
        Collector collector = new Collector(ledger, dir.resolve("inbox"), Clock.systemUTC(), LoggerFactory.getLogger(Collector.class),
                lookups, 0);
        return new CollectorAccess(ledger, collector, rt);
    }

    /** Index {@code index} was submitted, missed by {@code polls} polls while it ran, then reported COMPLETED. */
    public void completedAfterMissedPolls(long index, int polls) {
        ledger.reserve("s", new long[] {index});
        Submission s = ledger.intent("s", ArrayRanges.chunk(new long[] {index}, 1000, 1000).get(0));
        ledger.confirm(s, "42");
        Entry en = ledger.state().get(index);
        en.missed = polls;
        ledger.observe(s, new TaskReport("42", index - s.base, TaskState.COMPLETED, 0, ""), RetryPolicy.defaults(3), 0);
        en.missed = polls; // what the vanish counter held when the lookups began
    }

    public void collect() {
        collector.collect(rt);
    }

    public boolean recordedMissing(long index) {
        Entry en = ledger.state().get(index);
        return en.collected && en.logMissing;
    }

    public boolean collectedWithLog(long index) {
        Entry en = ledger.state().get(index);
        return en.collected && !en.logMissing;
    }

    @Override
    public void close() throws java.io.IOException {
        ledger.close();
    }
}
