package dev.alphaex.campaign;

import dev.alphaex.campaign.LedgerState.Entry;
import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import dev.alphaex.sweep.Sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the format-2 fixture (src/test/resources/ledgers/ops-v2-COMMIT.jsonl and its .replayed.txt) with the code of
 * this version: every event and field that format 2 added (a submission's code and resources, an end that changes
 * resources or is not counted, cancel, cancelled, resume, retry). Later versions replay it unchanged
 * ({@link OldLedgersReplayUnchangedTest}). Run once per format:
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.campaign.OpsLedgerFixture -Dexec.args=COMMIT}
 */
public final class OpsLedgerFixture {
    private OpsLedgerFixture() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("src/test/resources/ledgers");
        Path dir = Files.createTempDirectory("ops-fixture");
        Sweep sweep = Sweep.load(Path.of("src/test/resources/campaigns/test-sweep.json"));
        RetryPolicy policy = RetryPolicy.parse(3, "FAILED,NODE_FAIL,PREEMPTED,BOOT_FAIL,VANISHED");
        ResourceRetry resize = ResourceRetry.bind(Map.of("campaign.retryTimeUpTo", "40", "campaign.retryExcludeNode", "true",
                "campaign.retryPreemptedFree", "true")::get, n -> n);
        Ledger.Retrying retrying = new Ledger.Retrying(policy, resize, c -> Map.of("time", "10", "mem", "1G"));
        try (Ledger l = Ledger.open(dir, "test", new long[] {0, 1, 2, 3, 4, 5, 6, 7}, Instant.parse("2026-12-06T04:00:00Z"),
                SweepFingerprint.of(sweep))) {
            LedgerState.Submission s0 = submit(l, "a", new long[] {0, 1, 2, 3}, "git:1111111111111111111111111111111111111111", Resources.NONE);
            l.confirm(s0, "101");
            for (int t = 0; t < 4; t++) {
                l.observe(s0, new TaskReport("101", t, TaskState.RUNNING, null, ""), retrying, 1);
            }
            l.observe(s0, new TaskReport("101", 0, TaskState.COMPLETED, 0, ""), retrying, 2);
            l.collected(0, true);
            l.observe(s0, new TaskReport("101", 1, TaskState.TIMEOUT, null, "", "n1"), retrying, 2);
            l.observe(s0, new TaskReport("101", 2, TaskState.PREEMPTED, null, "", "n2"), retrying, 2);
            l.observe(s0, new TaskReport("101", 3, TaskState.NODE_FAIL, null, "", "n3"), retrying, 2);
            LedgerState.Submission s1 = submit(l, "a", new long[] {1}, "upload:" + "2".repeat(64), l.state().get(1).resources.on("a"));
            l.confirm(s1, "102");
            LedgerState.Submission s2 = submit(l, "a", new long[] {3}, "upload:" + "2".repeat(64), l.state().get(3).resources.on("a"));
            l.confirm(s2, "103");
            LedgerState.Submission s3 = submit(l, "b", new long[] {2, 4, 5}, null, Resources.NONE);
            l.confirm(s3, "201");
            l.observe(s1, new TaskReport("102", 1, TaskState.RUNNING, null, ""), retrying, 3);
            l.operate(new LedgerEvent.Cancel("2026-12-06T04:10:00Z", "me@host, pid 1 (alphaex cancel)"));
            l.operate(new LedgerEvent.Cancelled("a"));
            l.observe(s1, new TaskReport("102", 1, TaskState.CANCELLED, null, "by 1001"), retrying, 4);
            l.observe(s2, new TaskReport("103", 3, TaskState.CANCELLED, null, "by 1001"), retrying, 4);
            l.operate(new LedgerEvent.Cancelled("b"));
            l.observe(s3, new TaskReport("201", 2, TaskState.COMPLETED, 0, ""), retrying, 4);
            l.observe(s3, new TaskReport("201", 4, TaskState.FAILED, 2, "exit 2"), retrying, 4);
            l.observe(s3, new TaskReport("201", 5, TaskState.CANCELLED, null, "by 1001"), retrying, 4);
            l.operate(new LedgerEvent.Resume("2026-12-06T04:20:00Z"));
            l.operate(new LedgerEvent.Retry("4", "2026-12-06T04:21:00Z", new Resources("4G", null, Map.of())));
            l.force();
        }
        String name = "ops-v2-" + args[0];
        Files.copy(dir.resolve("ledger.jsonl"), out.resolve(name + ".jsonl"));
        try (Ledger l = Ledger.open(dir, "test", new long[0], Instant.EPOCH, SweepFingerprint.of(sweep))) {
            Files.writeString(out.resolve(name + ".replayed.txt"), describe(l.state()));
        }
        System.out.println("wrote " + out.resolve(name + ".jsonl"));
    }

    private static LedgerState.Submission submit(Ledger l, String cluster, long[] indices, String code, Resources with) {
        l.reserve(cluster, indices);
        return l.intent(cluster, ArrayRanges.chunk(indices, 1000, 1000).get(0), 0, code, with);
    }

    /** Format 2's state: the format-1 description, then what format 2 added. */
    static String describe(LedgerState s) {
        StringBuilder sb = new StringBuilder();
        sb.append("tag ").append(s.tag()).append("\ncreated ").append(s.created()).append("\ncounts ").append(s.counts()).append('\n');
        sb.append("cancelled ").append(s.cancelled()).append(" owes a ").append(s.owesCancel("a")).append(" owes b ")
                .append(s.owesCancel("b")).append('\n');
        for (String c : new String[] {"a", "b"}) {
            sb.append("cluster ").append(c).append(' ').append(s.counts(c)).append(" occupying ").append(s.occupying(c))
                    .append(" uncollected ").append(s.uncollected(c)).append('\n');
        }
        Map<Long, Entry> byIndex = new TreeMap<>();
        s.entries().forEach(e -> byIndex.put(e.index, e));
        byIndex.forEach((i, e) -> sb.append("index ").append(i).append(' ').append(e.phase).append(" attempts ").append(e.attempts)
                .append(" counted ").append(e.counted()).append(" cluster ").append(e.cluster).append(" outcome ").append(e.outcome)
                .append(" exit ").append(e.exitCode).append(" reason '").append(e.reason).append("' code ").append(e.code)
                .append(" resources ").append(e.resources).append(" stoppedByCancel ").append(e.stoppedByCancel)
                .append(" collected ").append(e.collected).append('\n'));
        return sb.toString();
    }
}
