package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The single source of truth for every index of a campaign: pending, submitted (cluster, job id,
 * task id, attempt), running, completed or failed (outcome, exit code, reason), and whether its
 * log was collected. Every change is an event appended to a journal (JSON lines) and applied by
 * the same code when the journal is replayed at start, so a restarted controller has exactly the
 * state the killed one had written. Intents are made durable before the submission they
 * announce; see {@link #intent}.
 *
 * <p>Not thread-safe: the campaign serialises access.
 */
final class Ledger implements AutoCloseable {
    /** Where an index stands. RESERVED lives in memory only (chosen for a submission not yet announced). */
    enum Phase {
        PENDING, RESERVED, SUBMITTING, QUEUED, RUNNING, COMPLETED, FAILED;

        /** Counts against a cluster's capacity. */
        boolean occupies() {
            return this == RESERVED || this == SUBMITTING || this == QUEUED || this == RUNNING;
        }
    }

    /** One index. */
    static final class Entry {
        final long index;
        Phase phase = Phase.PENDING;
        int attempts;
        int seq = -1;
        String cluster;
        String outcome;
        Integer exitCode;
        String reason = "";
        boolean collected;
        boolean logMissing;
        /** Polls in a row that did not report this task, and when it was last reported (memory only). */
        int missed;
        long lastSeenMillis;
        /** Fetches in a row that did not find this completed task's log (memory only). */
        int logLookups;

        Entry(long index) {
            this.index = index;
        }

        long taskId(Submission s) {
            return index - s.base;
        }
    }

    /** One array submission. */
    static final class Submission {
        final int seq;
        final String cluster;
        final long base;
        final long[] indices;
        String jobId;
        boolean abandoned;

        Submission(int seq, String cluster, long base, long[] indices) {
            this.seq = seq;
            this.cluster = cluster;
            this.base = base;
            this.indices = indices;
        }

        boolean confirmed() {
            return jobId != null;
        }

        boolean open() {
            return jobId == null && !abandoned;
        }
    }

    /** What an observation changed, for the log and the progress line. */
    record Change(long index, String cluster, Phase from, Phase to, String outcome, Integer exitCode, String reason) {
    }

    /** The ledger's file name in the campaign folder. */
    static final String FILE = "ledger.jsonl";

    private final Journal journal;
    private String campaign;
    private String tag;
    private Instant created;
    /** The sweep the campaign began with (its "sweep" event), or null. */
    private JsonNode sweepRecord;
    private final Map<Long, Entry> entries = new HashMap<>();
    private final TreeSet<Long> pending = new TreeSet<>();
    private final Map<Integer, Submission> submissions = new HashMap<>();
    private final Map<String, Submission> byJob = new HashMap<>();
    private final Map<String, Set<Long>> occupying = new HashMap<>();
    private final EnumMap<Phase, Integer> counts = new EnumMap<>(Phase.class);
    /** Per cluster, how many of its entries are in each phase but PENDING (kept as phases change). */
    private final Map<String, EnumMap<Phase, Integer>> clusterCounts = new HashMap<>();
    /** Per cluster, completed indices whose log is not collected yet. */
    private final Map<String, TreeSet<Long>> uncollected = new HashMap<>();
    private int nextSeq;

    private Ledger(Journal journal) {
        this.journal = journal;
        for (Phase p : Phase.values()) {
            counts.put(p, 0);
        }
    }

    /**
     * Opens the campaign's ledger in {@code dir} (file {@code ledger.jsonl}), replaying it when it
     * exists. Indices of {@code wanted} that the ledger does not have are added as pending; indices
     * it has beyond {@code wanted} are kept (nothing is ever dropped).
     *
     * @throws IllegalStateException when the ledger belongs to another campaign, or is damaged
     */
    static Ledger open(Path dir, String campaign, long[] wanted, Instant now) {
        return open(dir, campaign, wanted, now, null);
    }

    /**
     * As {@link #open(Path, String, long[], Instant)}, for a campaign with a sweep: a new ledger records the
     * sweep; a replayed one must have recorded the same sweep (else nothing is written and the refusal names
     * the changes), or none (a ledger of an earlier version: it records this one).
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
            for (ObjectNode e : Journal.read(file)) {
                ledger.apply(e);
            }
            if (ledger.campaign == null) {
                byte[] id = new byte[3];
                new SecureRandom().nextBytes(id);
                String tag = "ax-" + campaign.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_")
                        + "-" + String.format("%02x%02x%02x", id[0], id[1], id[2]);
                ledger.record(event("open").put("v", 1).put("campaign", campaign).put("tag", tag)
                        .put("created", now.toString()).put("indices", ArrayRanges.compress(wanted)));
            } else {
                if (!ledger.campaign.equals(campaign)) {
                    throw new IllegalStateException(file + " belongs to campaign '" + ledger.campaign + "', not '" + campaign
                            + "': use another campaign.dir or the campaign's own name");
                }
                SweepFingerprint.check(ledger.sweepRecord, sweep, campaign, file); // before anything is written
                long[] added = Arrays.stream(wanted).filter(i -> !ledger.entries.containsKey(i)).toArray();
                if (added.length > 0) {
                    ledger.record(event("add").put("indices", ArrayRanges.compress(added)));
                }
            }
            if (ledger.sweepRecord == null && sweep != null) {
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
            if (e instanceof IOException) {
                throw new UncheckedIOException(e.getMessage(), (IOException) e);
            }
            throw (RuntimeException) e;
        }
    }

    private static ObjectNode event(String type) {
        return JsonNodeFactory.instance.objectNode().put("t", type);
    }

    /** Applies an event and appends it to the journal. */
    private void record(ObjectNode e) {
        apply(e);
        journal.append(e);
    }

    /** Makes every recorded event durable. */
    void force() {
        journal.force();
    }

    // ------------------------------------------------------------------ the one place where state changes

    private void apply(ObjectNode e) {
        String t = e.path("t").asText();
        switch (t) {
            case "open":
                campaign = e.get("campaign").asText();
                tag = e.get("tag").asText();
                created = Instant.parse(e.get("created").asText());
                addIndices(e.get("indices").asText());
                break;
            case "add":
                addIndices(e.get("indices").asText());
                break;
            case "sweep":
                sweepRecord = e;
                break;
            case "intent": {
                int seq = e.get("seq").asInt();
                long base = e.get("base").asLong();
                long[] tasks = ArrayRanges.expand(e.get("array").asText());
                long[] indices = new long[tasks.length];
                for (int i = 0; i < tasks.length; i++) {
                    indices[i] = base + tasks[i];
                }
                Submission s = new Submission(seq, e.get("cluster").asText(), base, indices);
                submissions.put(seq, s);
                nextSeq = Math.max(nextSeq, seq + 1);
                for (long index : indices) {
                    Entry en = entry(index);
                    en.attempts++;
                    en.seq = seq;
                    en.cluster = s.cluster;
                    en.missed = 0;
                    setPhase(en, Phase.SUBMITTING);
                }
                break;
            }
            case "confirm": {
                Submission s = submission(e);
                s.jobId = e.get("job").asText();
                byJob.put(key(s.cluster, s.jobId), s);
                for (long index : s.indices) {
                    Entry en = entry(index);
                    if (en.seq == s.seq && en.phase == Phase.SUBMITTING) {
                        setPhase(en, Phase.QUEUED);
                    }
                }
                break;
            }
            case "abandon": {
                Submission s = submission(e);
                s.abandoned = true;
                for (long index : s.indices) {
                    Entry en = entry(index);
                    if (en.seq == s.seq && en.phase == Phase.SUBMITTING) {
                        en.attempts--; // it never ran
                        setPhase(en, Phase.PENDING);
                    }
                }
                break;
            }
            case "state": {
                Submission s = submission(e);
                Entry en = entry(s.base + e.get("task").asLong());
                setPhase(en, Phase.valueOf(e.get("s").asText()));
                break;
            }
            case "end": {
                Submission s = submission(e);
                Entry en = entry(s.base + e.get("task").asLong());
                en.outcome = e.get("s").asText();
                en.exitCode = e.hasNonNull("exit") ? e.get("exit").asInt() : null;
                en.reason = e.path("why").asText("");
                setPhase(en, Phase.valueOf(e.get("next").asText()));
                break;
            }
            case "collect": {
                Entry en = entry(e.get("i").asLong());
                en.collected = true;
                en.logMissing = !e.path("ok").asBoolean(true);
                TreeSet<Long> set = uncollected.get(en.cluster);
                if (set != null) {
                    set.remove(en.index);
                }
                break;
            }
            default:
                throw new IllegalStateException(journal == null ? "" : journal.file() + ": unknown event type '" + t + "' in " + e);
        }
    }

    private void addIndices(String ranges) {
        for (long index : ArrayRanges.expand(ranges)) {
            if (!entries.containsKey(index)) {
                Entry en = new Entry(index);
                entries.put(index, en);
                counts.merge(Phase.PENDING, 1, Integer::sum);
                pending.add(index);
            }
        }
    }

    private Submission submission(JsonNode e) {
        Submission s = submissions.get(e.get("seq").asInt());
        if (s == null) {
            throw new IllegalStateException(journal.file() + ": event refers to unknown submission " + e.get("seq") + ": " + e);
        }
        return s;
    }

    private Entry entry(long index) {
        Entry en = entries.get(index);
        if (en == null) {
            throw new IllegalStateException(journal.file() + ": event refers to index " + index + " which the campaign does not have");
        }
        return en;
    }

    private void setPhase(Entry en, Phase to) {
        Phase from = en.phase;
        if (from == to) {
            return;
        }
        counts.merge(from, -1, Integer::sum);
        counts.merge(to, 1, Integer::sum);
        if (from == Phase.PENDING) {
            pending.remove(en.index);
        }
        if (to == Phase.PENDING) {
            pending.add(en.index);
        }
        if (from.occupies() && en.cluster != null) {
            Set<Long> set = occupying.get(en.cluster);
            if (set != null) {
                set.remove(en.index);
            }
        }
        if (to.occupies()) {
            occupying.computeIfAbsent(en.cluster, c -> new HashSet<>()).add(en.index);
        }
        if (en.cluster != null) {
            EnumMap<Phase, Integer> mine = clusterCounts.computeIfAbsent(en.cluster, c -> zeroCounts());
            if (from != Phase.PENDING) {
                mine.merge(from, -1, Integer::sum);
            }
            if (to != Phase.PENDING) {
                mine.merge(to, 1, Integer::sum);
            }
            if (to == Phase.COMPLETED && !en.collected) {
                uncollected.computeIfAbsent(en.cluster, c -> new TreeSet<>()).add(en.index);
            }
        }
        en.phase = to;
    }

    private static EnumMap<Phase, Integer> zeroCounts() {
        EnumMap<Phase, Integer> out = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            out.put(p, 0);
        }
        return out;
    }

    private static String key(String cluster, String jobId) {
        return cluster + '\u0000' + jobId;
    }

    // ------------------------------------------------------------------ reading

    String campaign() {
        return campaign;
    }

    String tag() {
        return tag;
    }

    Instant created() {
        return created;
    }

    Path file() {
        return journal.file();
    }

    int size() {
        return entries.size();
    }

    int count(Phase p) {
        return counts.get(p);
    }

    Entry get(long index) {
        return entries.get(index);
    }

    Collection<Entry> entries() {
        return entries.values();
    }

    /** Indices that count against the cluster's capacity (reserved, submitting, queued, running). */
    int occupying(String cluster) {
        Set<Long> set = occupying.get(cluster);
        return set == null ? 0 : set.size();
    }

    /** True when every index has completed or failed. */
    boolean finished() {
        return count(Phase.COMPLETED) + count(Phase.FAILED) == entries.size();
    }

    /** Submissions of the cluster announced but neither confirmed nor abandoned. */
    List<Submission> openIntents(String cluster) {
        List<Submission> out = new ArrayList<>();
        for (Submission s : submissions.values()) {
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
        Map<Integer, String> jobs = new java.util.TreeMap<>();
        for (Entry en : confirmedActive(cluster)) {
            if (en.missed > 0) {
                Submission s = submissions.get(en.seq);
                jobs.put(s.seq, s.jobId);
            }
        }
        return new ArrayList<>(jobs.values());
    }

    /** What a cluster holds of the campaign: indices submitted, queued or running there, and completed ones not collected. */
    record Held(long[] active, long[] uncollected) {
    }

    /** Per cluster that holds anything of the campaign (reservations, which live in memory only, do not count). */
    Map<String, Held> held() {
        Map<String, Held> out = new HashMap<>();
        Set<String> names = new HashSet<>(occupying.keySet());
        names.addAll(uncollected.keySet());
        for (String cluster : names) {
            Set<Long> occ = occupying.getOrDefault(cluster, Set.of());
            long[] active = occ.stream().filter(i -> entries.get(i).phase != Phase.RESERVED).mapToLong(Long::longValue).sorted().toArray();
            long[] waiting = uncollected.getOrDefault(cluster, new TreeSet<>()).stream().mapToLong(Long::longValue).toArray();
            if (active.length > 0 || waiting.length > 0) {
                out.put(cluster, new Held(active, waiting));
            }
        }
        return out;
    }

    /** Completed indices of the cluster whose logs have not been collected, ascending. */
    List<Long> uncollected(String cluster) {
        TreeSet<Long> set = uncollected.get(cluster);
        return set == null ? List.of() : new ArrayList<>(set);
    }

    // ------------------------------------------------------------------ changes

    /** Takes up to {@code n} pending indices, lowest first, and reserves them for the cluster (memory only). */
    long[] reserve(String cluster, int n) {
        long[] out = new long[Math.min(n, pending.size())];
        for (int i = 0; i < out.length; i++) {
            Entry en = entries.get(pending.first());
            en.cluster = cluster;
            setPhase(en, Phase.RESERVED);
            out[i] = en.index;
        }
        return out;
    }

    /** Returns the cluster's reservations to pending. */
    void release(String cluster) {
        Set<Long> set = occupying.get(cluster);
        if (set == null) {
            return;
        }
        for (long index : new ArrayList<>(set)) {
            Entry en = entries.get(index);
            if (en.phase == Phase.RESERVED) {
                setPhase(en, Phase.PENDING);
            }
        }
    }

    /**
     * Announces a submission of reserved indices and makes the announcement durable: a crash after
     * this and before {@link #confirm} leaves an open intent that the next poll reconciles.
     */
    Submission intent(String cluster, ArrayRanges.Chunk chunk) {
        for (long index : chunk.indices()) {
            Entry en = entries.get(index);
            if (en.phase != Phase.RESERVED || !cluster.equals(en.cluster)) {
                throw new IllegalStateException("index " + index + " is " + en.phase + " on " + en.cluster + ", not reserved for " + cluster);
            }
        }
        int seq = nextSeq;
        record(event("intent").put("seq", seq).put("cluster", cluster).put("base", chunk.base()).put("array", chunk.array()));
        journal.force();
        return submissions.get(seq);
    }

    void confirm(Submission s, String jobId) {
        Submission other = byJob.get(key(s.cluster, jobId));
        if (other != null && other != s) {
            throw new IllegalStateException("cluster " + s.cluster + " reported job " + jobId + " for two submissions ("
                    + other.seq + " and " + s.seq + ")");
        }
        record(event("confirm").put("seq", s.seq).put("job", jobId));
        journal.force();
    }

    void abandon(Submission s, String why) {
        record(event("abandon").put("seq", s.seq).put("why", why));
        journal.force();
    }

    /** The submission of the entry's current attempt, or null before its first. */
    Submission submissionOf(Entry en) {
        return en.seq < 0 ? null : submissions.get(en.seq);
    }

    Submission submission(String cluster, String jobId) {
        return byJob.get(key(cluster, jobId));
    }

    /**
     * Applies what the cluster says about one task. Reports about tasks the ledger has moved on from
     * (an older attempt) are ignored. Returns the change, or null when nothing changed.
     */
    Change observe(Submission s, TaskReport r, RetryPolicy policy, long nowMillis) {
        long index = s.base + r.taskId();
        Entry en = entries.get(index);
        if (en == null || en.seq != s.seq || !en.phase.occupies()) {
            return null;
        }
        en.missed = 0;
        en.lastSeenMillis = nowMillis;
        Phase from = en.phase;
        if (r.state().isActive()) {
            Phase to = r.state() == TaskState.PENDING || r.state() == TaskState.REQUEUED ? Phase.QUEUED : Phase.RUNNING;
            if (to == from) {
                return null;
            }
            record(event("state").put("seq", s.seq).put("task", r.taskId()).put("s", to.name()));
            return new Change(index, s.cluster, from, to, null, null, "");
        }
        return end(en, s, r.state().name(), r.exitCode(), r.reason(), policy);
    }

    /** A task the cluster no longer reports at all. */
    Change vanished(Entry en, RetryPolicy policy, String why) {
        return end(en, submissions.get(en.seq), RetryPolicy.VANISHED, null, why, policy);
    }

    private Change end(Entry en, Submission s, String outcome, Integer exit, String reason, RetryPolicy policy) {
        Phase from = en.phase;
        RetryPolicy.Decision d = policy.decide(outcome, exit, en.attempts);
        Phase next = d == RetryPolicy.Decision.COMPLETE ? Phase.COMPLETED : d == RetryPolicy.Decision.RETRY ? Phase.PENDING : Phase.FAILED;
        ObjectNode e = event("end").put("seq", s.seq).put("task", en.taskId(s)).put("s", outcome);
        if (exit != null) {
            e.put("exit", exit);
        }
        if (!reason.isEmpty()) {
            e.put("why", reason);
        }
        record(e.put("next", next.name()));
        return new Change(en.index, s.cluster, from, next, outcome, exit, reason);
    }

    /** Records that an index's log was moved into the inbox ({@code found}) or was not there. */
    void collected(long index, boolean found) {
        record(event("collect").put("i", index).put("ok", found));
    }

    /** Queued and running entries of the cluster with a confirmed submission (for vanish checks). */
    List<Entry> confirmedActive(String cluster) {
        List<Entry> out = new ArrayList<>();
        Set<Long> set = occupying.get(cluster);
        if (set != null) {
            for (long index : set) {
                Entry en = entries.get(index);
                if ((en.phase == Phase.QUEUED || en.phase == Phase.RUNNING) && submissions.get(en.seq).confirmed()) {
                    out.add(en);
                }
            }
        }
        return out;
    }

    /** Counts per phase, for status lines. */
    Map<Phase, Integer> counts() {
        return new LinkedHashMap<>(counts);
    }

    /** Per cluster, counts of its reserved, submitting, queued, running, completed and failed entries (PENDING: 0). */
    Map<Phase, Integer> counts(String cluster) {
        EnumMap<Phase, Integer> mine = clusterCounts.get(cluster);
        return mine == null ? zeroCounts() : new EnumMap<>(mine);
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
