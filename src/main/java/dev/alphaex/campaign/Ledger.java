package dev.alphaex.campaign;

import dev.alphaex.campaign.LedgerState.Entry;
import dev.alphaex.campaign.LedgerState.Submission;
import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The single source of truth for every index of a campaign: pending, submitted (cluster, job id,
 * task id, attempt), running, completed or failed (outcome, exit code, reason), and whether its
 * log was collected. Every change is a {@link LedgerEvent} appended to a journal (JSON lines) and applied by
 * the same code ({@link LedgerState#apply}) when the journal is replayed at start, so a restarted controller
 * has exactly the state the killed one had written. Intents are made durable before the submission they
 * announce; see {@link #intent}.
 *
 * <p>Not thread-safe: the campaign serialises access.
 */
final class Ledger implements AutoCloseable {
    /** What an observation changed, for the log and the progress line. */
    record Change(long index, String cluster, Phase from, Phase to, String outcome, Integer exitCode, String reason, String resized) {
        Change(long index, String cluster, Phase from, Phase to, String outcome, Integer exitCode, String reason) {
            this(index, cluster, from, to, outcome, exitCode, reason, null);
        }
    }

    /** The ledger's file name in the campaign folder. */
    static final String FILE = "ledger.jsonl";

    private final Journal journal;
    private final LedgerState state;

    private Ledger(Journal journal) {
        this.journal = journal;
        this.state = new LedgerState(journal.file().toString());
    }

    static Ledger open(Path dir, String campaign, long[] wanted, Instant now) {
        return open(dir, campaign, wanted, now, null);
    }

    /**
     * Opens the campaign's ledger in {@code dir} (file {@code ledger.jsonl}), replaying it when it exists. Indices
     * of {@code wanted} that the ledger does not have are added as pending; indices it has beyond {@code wanted}
     * are kept (nothing is ever dropped). A new ledger records the sweep; a replayed one must have recorded the
     * same sweep (else nothing is written and the refusal names the changes), or none (a ledger of an earlier
     * version: it records this one).
     *
     * @throws IllegalStateException when the ledger belongs to another campaign, or is damaged
     */
    static Ledger open(Path dir, String campaign, long[] wanted, Instant now, SweepFingerprint sweep) {
        Path file = dir.resolve(FILE);
        Ledger ledger;
        try {
            ledger = new Ledger(Journal.open(file)); // the caller holds the campaign's ControllerLock
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        try {
            Journal.read(file).forEach(ledger.state::apply);
            LedgerState s = ledger.state;
            if (s.campaign == null) {
                byte[] id = new byte[3];
                new SecureRandom().nextBytes(id);
                String tag = "ax-" + campaign.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_")
                        + "-" + String.format("%02x%02x%02x", id[0], id[1], id[2]);
                ledger.record(new LedgerEvent.Open(LedgerEvent.VERSION, campaign, tag, now.toString(), ArrayRanges.compress(wanted)));
            } else {
                if (!s.campaign.equals(campaign)) {
                    throw new IllegalStateException(file + " belongs to campaign '" + s.campaign + "', not '" + campaign
                            + "': use another campaign.dir or the campaign's own name");
                }
                SweepFingerprint.check(s.sweep, sweep, campaign, file); // before anything is written
                long[] added = Arrays.stream(wanted).filter(i -> s.get(i) == null).toArray();
                if (added.length > 0) {
                    ledger.record(new LedgerEvent.Add(ArrayRanges.compress(added)));
                }
            }
            if (s.sweep == null && sweep != null) {
                ledger.record(sweep.event());
            }
            ledger.journal.force();
            return ledger;
        } catch (IOException | RuntimeException e) {
            try {
                ledger.journal.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(e.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Applies an event and appends it to the journal. */
    private void record(LedgerEvent e) {
        state.apply(e);
        journal.append(e);
    }

    /** Makes every recorded event durable. */
    void force() {
        journal.force();
    }

    /** The state the events say (counts, entries, what each cluster holds). */
    LedgerState state() {
        return state;
    }

    Path file() {
        return journal.file();
    }

    // ------------------------------------------------------------------ questions the engine asks

    /** Submissions of the cluster announced but neither confirmed nor abandoned. */
    List<Submission> openIntents(String cluster) {
        List<Submission> out = new ArrayList<>();
        for (Submission s : state.submissions()) {
            if (s.cluster.equals(cluster) && s.open()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Job ids of the cluster with queued or running tasks that the last poll did not report (they
     * left the queue: the cluster's accounting knows how they ended), ascending by submission.
     */
    List<String> jobsToAccount(String cluster) {
        Map<Integer, String> jobs = new TreeMap<>();
        for (Entry en : confirmedActive(cluster)) {
            if (en.missed > 0) {
                Submission s = state.submission(en.seq);
                jobs.put(s.seq, s.jobId);
            }
        }
        return new ArrayList<>(jobs.values());
    }

    /** Queued and running entries of the cluster with a confirmed submission (for vanish checks). */
    List<Entry> confirmedActive(String cluster) {
        List<Entry> out = new ArrayList<>();
        for (long index : state.occupyingSet(cluster)) {
            Entry en = state.get(index);
            if ((en.phase == Phase.QUEUED || en.phase == Phase.RUNNING) && state.submission(en.seq).confirmed()) {
                out.add(en);
            }
        }
        return out;
    }

    /** The submission of the entry's current attempt, or null before its first. */
    Submission submissionOf(Entry en) {
        return en.seq < 0 ? null : state.submission(en.seq);
    }

    // ------------------------------------------------------------------ changes

    /** Takes up to {@code n} pending indices, lowest first, and reserves them for the cluster (memory only). */
    long[] reserve(String cluster, int n) {
        return reserve(cluster, state.pendingHead(n));
    }

    /** Reserves these pending indices for the cluster (memory only). */
    long[] reserve(String cluster, long[] indices) {
        for (long index : indices) {
            Entry en = state.get(index);
            if (en.phase != Phase.PENDING) {
                throw new IllegalStateException("index " + index + " is " + en.phase + ", not pending");
            }
            en.cluster = cluster;
            state.setPhase(en, Phase.RESERVED);
        }
        return indices;
    }

    /** Returns the cluster's reservations to pending. */
    void release(String cluster) {
        for (long index : new ArrayList<>(state.occupyingSet(cluster))) {
            Entry en = state.get(index);
            if (en.phase == Phase.RESERVED) {
                state.setPhase(en, Phase.PENDING);
            }
        }
    }

    /**
     * Announces a submission of reserved indices and makes the announcement durable: a crash after
     * this and before {@link #confirm} leaves an open intent that the next poll reconciles.
     */
    Submission intent(String cluster, ArrayRanges.Chunk chunk) {
        return intent(cluster, chunk, 0, null, Resources.NONE);
    }

    /**
     * As {@link #intent(String, ArrayRanges.Chunk)}, for an array of which at most {@code throttle} run at once (0: no
     * limit), with the code version it runs and the resources it asks (format 2).
     */
    Submission intent(String cluster, ArrayRanges.Chunk chunk, int throttle, String code, Resources with) {
        for (long index : chunk.indices()) {
            Entry en = state.get(index);
            if (en.phase != Phase.RESERVED || !cluster.equals(en.cluster)) {
                throw new IllegalStateException("index " + index + " is " + en.phase + " on " + en.cluster + ", not reserved for " + cluster);
            }
        }
        int seq = state.nextSeq;
        record(new LedgerEvent.Intent(seq, cluster, chunk.base(), chunk.array(), throttle > 0 ? throttle : null, code,
                with.isNone() ? null : with));
        journal.force();
        return state.submission(seq);
    }

    void confirm(Submission s, String jobId) {
        Submission other = state.submission(s.cluster, jobId);
        if (other != null && other != s) {
            throw new IllegalStateException("cluster " + s.cluster + " reported job " + jobId + " for two submissions ("
                    + other.seq + " and " + s.seq + ")");
        }
        record(new LedgerEvent.Confirm(s.seq, jobId));
        journal.force();
    }

    void abandon(Submission s, String why) {
        record(new LedgerEvent.Abandon(s.seq, why));
        journal.force();
    }

    /**
     * Applies what the cluster says about one task. Reports about tasks the ledger has moved on from
     * (an older attempt, or an attempt that ended, whose index may be reserved for its next one) are ignored. Returns the change, or null when nothing changed.
     */
    /** How an ended attempt is retried: the policy, the retries that change resources, and the cluster's own options. */
    record Retrying(RetryPolicy policy, ResourceRetry resize, java.util.function.Function<String, Map<String, String>> options) {
        static Retrying of(RetryPolicy policy) {
            return new Retrying(policy, ResourceRetry.OFF, c -> Map.of());
        }
    }

    Change observe(Submission s, TaskReport r, RetryPolicy policy, long nowMillis) {
        return observe(s, r, Retrying.of(policy), nowMillis);
    }

    Change observe(Submission s, TaskReport r, Retrying policy, long nowMillis) {
        long index = s.base + r.taskId();
        Entry en = state.get(index);
        if (en == null || en.seq != s.seq || !(en.phase == Phase.SUBMITTING || en.phase == Phase.QUEUED || en.phase == Phase.RUNNING)) {
            return null; // an older attempt, or one that has ended (a report of it can come after: squeue shows ended tasks)
        }
        en.missed = 0;
        en.lastSeenMillis = nowMillis;
        Phase from = en.phase;
        if (r.state().isActive()) {
            Phase to = r.state() == TaskState.PENDING || r.state() == TaskState.REQUEUED ? Phase.QUEUED : Phase.RUNNING;
            if (to == from) {
                return null;
            }
            record(new LedgerEvent.State(s.seq, r.taskId(), to));
            return new Change(index, s.cluster, from, to, null, null, "");
        }
        return end(en, s, r.state().name(), r.exitCode(), r.reason(), r.node(), policy);
    }

    /** A task the cluster no longer reports at all. */
    Change vanished(Entry en, RetryPolicy policy, String why) {
        return vanished(en, Retrying.of(policy), why);
    }

    Change vanished(Entry en, Retrying policy, String why) {
        return end(en, state.submission(en.seq), RetryPolicy.VANISHED, null, why, "", policy);
    }

    private Change end(Entry en, Submission s, String outcome, Integer exit, String reason, String node, Retrying policy) {
        Phase from = en.phase;
        ResourceRetry.Next next = policy.resize().next(policy.policy(), outcome, exit, en.resources, s.with,
                policy.options().apply(s.cluster), s.cluster, node, en.counted());
        record(new LedgerEvent.End(s.seq, en.taskId(s), outcome, exit, reason.isEmpty() ? null : reason, next.phase(), next.with(),
                next.free() ? Boolean.TRUE : null));
        return new Change(en.index, s.cluster, from, next.phase(), outcome, exit, reason, next.note());
    }

    /** Records an operator's event (cancel, cancelled, resume, retry) and makes it durable. */
    void operate(LedgerEvent e) {
        record(e);
        journal.force();
    }

    /** The array's throttle is now {@code n} (durable: see {@link LedgerEvent.Throttle} for when it is written). */
    void throttle(Submission s, int n) {
        record(new LedgerEvent.Throttle(s.seq, n));
        journal.force();
    }

    /** Announces (durably) the take-back of these indices of the submission, before the command goes out. */
    void takeBack(Submission s, long[] indices) {
        record(new LedgerEvent.TakeBack(s.seq, ArrayRanges.compress(tasks(s, indices))));
        journal.force();
    }

    /** Records a take-back's answer: {@code taken} are pending again, the take-back of {@code kept} is over. */
    void takenBack(Submission s, long[] taken, long[] kept) {
        String k = ArrayRanges.compress(tasks(s, kept));
        record(new LedgerEvent.TakenBack(s.seq, ArrayRanges.compress(tasks(s, taken)), k.isEmpty() ? null : k));
        journal.force();
    }

    private static long[] tasks(Submission s, long[] indices) {
        return Arrays.stream(indices).map(i -> i - s.base).sorted().distinct().toArray();
    }

    /** Records that an index's log was moved into the inbox ({@code found}) or was not there. */
    void collected(long index, boolean found) {
        record(new LedgerEvent.Collect(index, found));
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
