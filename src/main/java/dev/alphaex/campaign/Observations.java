package dev.alphaex.campaign;

import dev.alphaex.campaign.LedgerState.Entry;
import dev.alphaex.campaign.LedgerState.Submission;
import dev.alphaex.cluster.ClusterSnapshot;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import org.slf4j.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Applies what a cluster's poll says to the ledger: each task's state and end (with the retry policy), the
 * submissions announced before a restart or an uncertain answer found again by the campaign's tag (or abandoned
 * when the cluster has no trace of them), and tasks the cluster no longer reports at all (vanished, after
 * {@code campaign.vanishAfterPolls} polls and {@code campaign.vanishAfterSeconds}). Every ending is logged once.
 */
final class Observations {
    private final Ledger ledger;
    private final RetryPolicy policy;
    private final Progress progress;
    private final Clock clock;
    private final Logger log;
    private final int vanishPolls;
    private final long vanishMillis;
    private final Function<String, ClusterRuntime> clusters;
    private ResourceRetry resize = ResourceRetry.OFF;

    Observations(Ledger ledger, RetryPolicy policy, Progress progress, Clock clock, Logger log, int vanishPolls, long vanishMillis,
                 Function<String, ClusterRuntime> clusters) {
        this.ledger = ledger;
        this.policy = policy;
        this.progress = progress;
        this.clock = clock;
        this.log = log;
        this.vanishPolls = vanishPolls;
        this.vanishMillis = vanishMillis;
        this.clusters = clusters;
    }

    /** The retries that change resources (off by default). */
    void resizing(ResourceRetry r) {
        this.resize = r;
    }

    private Ledger.Retrying retrying() {
        return new Ledger.Retrying(policy, resize, c -> {
            ClusterRuntime rt = clusters.apply(c);
            return rt == null ? Map.of() : rt.def.options();
        });
    }

    void apply(ClusterRuntime rt, PollRequest request, ClusterSnapshot snapshot) {
        String cluster = rt.name();
        long now = clock.millis();
        Map<String, List<TaskReport>> unknown = new TreeMap<>();
        Set<Long> reported = new HashSet<>();
        for (TaskReport r : snapshot.tasks()) {
            Submission s = ledger.state().submission(cluster, r.jobId());
            if (s == null) {
                unknown.computeIfAbsent(r.jobId(), j -> new ArrayList<>()).add(r);
                continue;
            }
            Entry en = ledger.state().get(s.base + r.taskId());
            if (en != null && en.seq == s.seq) { // an earlier attempt's report must not hide the current attempt from the vanish check
                reported.add(en.index);
            }
            observe(s, r, now);
        }
        if (request.byTag()) {
            int[] found = reconcile(rt, unknown, reported, now);
            Set<String> jobs = new HashSet<>();
            int active = 0;
            for (TaskReport r : snapshot.tasks()) {
                jobs.add(r.jobId());
                active += r.state().isActive() ? 1 : 0;
            }
            Map<Phase, Integer> mine = ledger.state().counts(cluster);
            log.info("cluster {}: reconciled by the campaign's tag {}: {} job(s) of it there ({} task(s) active, {} ended);"
                    + " the ledger now has {} running and {} queued there; {} announced submission(s) found, {} abandoned",
                    cluster, ledger.state().tag(), jobs.size(), active, snapshot.tasks().size() - active, mine.get(Phase.RUNNING),
                    mine.get(Phase.QUEUED), found[0], found[1]);
        } else {
            for (String job : unknown.keySet()) {
                if (rt.ignoredJobs.add(job)) {
                    log.warn("cluster {}: job {} carries this campaign's tag {} but is not in the ledger; leaving it alone",
                            cluster, job, ledger.state().tag());
                }
            }
        }
        for (Entry en : ledger.confirmedActive(cluster)) {
            if (!reported.contains(en.index) && ++en.missed >= vanishPolls && now - en.lastSeenMillis >= vanishMillis) {
                log(ledger.vanished(en, retrying(), "not reported by the cluster's queue or accounting for " + en.missed + " polls"));
            }
        }
        ledger.force();
    }

    /**
     * After a restart or an uncertain submission: find announced submissions on the cluster, abandon the others.
     *
     * @return how many open submissions were found on the cluster, and how many were abandoned
     */
    private int[] reconcile(ClusterRuntime rt, Map<String, List<TaskReport>> unknown, Set<Long> reported, long now) {
        String cluster = rt.name();
        List<Submission> open = ledger.openIntents(cluster);
        int found = 0;
        int abandoned = 0;
        for (Map.Entry<String, List<TaskReport>> job : unknown.entrySet()) {
            Submission match = null;
            int matches = 0;
            for (Submission s : open) {
                boolean all = true;
                for (TaskReport r : job.getValue()) {
                    all &= Arrays.binarySearch(s.indices, s.base + r.taskId()) >= 0;
                }
                if (all) {
                    match = s;
                    matches++;
                }
            }
            if (matches == 1) {
                ledger.confirm(match, job.getKey());
                open.remove(match);
                found++;
                seen(match, now);
                log.info("cluster {}: found job {} for submission {} announced before the restart or failure", cluster, job.getKey(),
                        match.seq);
                for (TaskReport r : job.getValue()) {
                    reported.add(match.base + r.taskId());
                    observe(match, r, now);
                }
            } else if (rt.ignoredJobs.add(job.getKey())) {
                log.warn("cluster {}: job {} carries this campaign's tag but matches {} open submissions; leaving it alone",
                        cluster, job.getKey(), matches);
            }
        }
        for (Submission s : open) {
            ledger.abandon(s, "not found on the cluster: the submission did not happen");
            abandoned++;
            log.info("cluster {}: submission {} ({} tasks) is not on the cluster: its indices are pending again", cluster, s.seq,
                    s.indices.length);
        }
        rt.reconcile = false;
        return new int[] {found, abandoned};
    }

    /**
     * One task's report. A task whose take-back was written but not answered (the controller stopped in between) and
     * that the cluster shows cancelled was taken back: it is pending again, not failed.
     */
    private void observe(Submission s, TaskReport r, long now) {
        Entry en = ledger.state().get(s.base + r.taskId());
        if (r.state() == TaskState.CANCELLED && en != null && en.seq == s.seq && en.takeBackOpen) {
            ledger.takenBack(s, new long[] {en.index}, new long[0]);
            progress.ended();
            log.info("cluster {}: index {} was taken back (cancelled before it started): it runs elsewhere", s.cluster, en.index);
            return;
        }
        log(ledger.observe(s, r, retrying(), now));
    }

    /** Tasks of a submission reported outside a poll (e.g. by a take-back's answer). */
    void reported(Submission s, List<TaskReport> reports) {
        long now = clock.millis();
        for (TaskReport r : reports) {
            observe(s, r, now);
        }
    }

    /** The submission's tasks were seen now (the vanish clock starts again). */
    void seen(Submission s, long now) {
        for (long i : s.indices) {
            ledger.state().get(i).lastSeenMillis = now;
        }
    }

    private void log(Ledger.Change c) {
        if (c == null) {
            return;
        }
        if (c.to() == Phase.COMPLETED || c.to() == Phase.FAILED || c.to() == Phase.PENDING) {
            progress.ended();
        }
        int attempts = ledger.state().get(c.index()).counted();
        if (c.to() == Phase.FAILED) {
            log.warn("index {} failed for good on {}: {}{}{} after {} attempt(s)", c.index(), c.cluster(), c.outcome(),
                    exit(c), reason(c), attempts);
        } else if (c.to() == Phase.PENDING && c.outcome() != null) {
            log.info("index {} ended {}{} on {}{}: retrying{} (attempt {} of {})", c.index(), c.outcome(),
                    exit(c), c.cluster(), reason(c),
                    c.resized() == null ? "" : " with " + c.resized(), attempts + 1, policy.maxAttempts());
        }
    }

    /** " (exit N)" when the exit code says something: a FAILED task's, or one that is not 0 (Slurm gives a TIMEOUT exit 0). */
    private static String exit(Ledger.Change c) {
        if (RetryPolicy.cannotRun(c.outcome(), c.exitCode())) {
            return " (exit " + c.exitCode() + (c.exitCode() == 126 ? ": a command the job runs is not executable" : ": a command the job runs"
                    + " is not found") + "; not retried, it would fail the same way: fix it, then alphaex retry --outcome FAILED)";
        }
        return c.exitCode() == null || c.exitCode() == 0 && !"FAILED".equals(c.outcome()) ? "" : " (exit " + c.exitCode() + ")";
    }

    /** ", <reason>" (a local task's stderr), and where the task's output is when its kind says; "" when nothing is known. */
    private String reason(Ledger.Change c) {
        String out = c.reason().isEmpty() ? "" : ", " + c.reason();
        ClusterRuntime rt = clusters.apply(c.cluster());
        Entry en = ledger.state().get(c.index());
        Submission s = en == null ? null : ledger.submissionOf(en);
        if (rt != null && s != null && s.confirmed() && !"COMPLETED".equals(c.outcome())) {
            String where = rt.kind.outputOf(rt.def, s.jobId, en.taskId(s));
            out += where.isEmpty() ? "" : "; " + where;
        }
        return out;
    }
}
