package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the ledger's events say, kept in memory with the indexes the engine asks about (pending indices, each
 * cluster's occupied places, counts by phase, uncollected logs). {@link #apply} is the one place where state
 * changes, for a replay at start and for each new event alike. {@link #replay} reads a ledger without writing
 * or locking anything, for a reader beside a running controller (tests, status).
 *
 * <p>Not thread-safe: the campaign serialises access.
 */
public final class LedgerState {
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
        /** Attempts that do not count against campaign.maxAttempts: those before a retry or resume, and preemptions. */
        int uncounted;
        /** What its next attempts ask instead of the cluster's parameters (a retry that changes resources), or NONE. */
        Resources resources = Resources.NONE;
        /** The code version its current attempt runs ("git:..."/"upload:..."), or null. */
        String code;
        /** It ended CANCELLED while the campaign was cancelled: resume puts it back. */
        boolean stoppedByCancel;
        /** A take-back of this task (of its current submission) is written but not answered for it. */
        boolean takeBackOpen;
        /** The cluster this task was last taken back from (not given to it again while another takes work), or null. */
        String takenBackFrom;
        /** Memory only: when the engine first knew this attempt queued (0: long ago, e.g. its cluster did not answer). */
        long sinceMillis = -1;
        /** Memory only: this controller has sent the open take-back of this task. */
        boolean takeBackAsked;

        Entry(long index) {
            this.index = index;
        }

        long taskId(Submission s) {
            return index - s.base;
        }

        /** The attempts that count against campaign.maxAttempts. */
        int counted() {
            return attempts - uncounted;
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
        /** The code version it ran, or null; the resources it asked other than the cluster's. */
        String code;
        Resources with = Resources.NONE;
        /** At most this many of its tasks run at once; 0: no throttle of its own. */
        int throttle;
        /** Memory only: the cluster is known to have {@link #throttle} (the sbatch or the last update answered). */
        boolean throttleSure;

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

    /** What a cluster holds of the campaign: indices submitted, queued or running there, and completed ones not collected. */
    record Held(long[] active, long[] uncollected) {
    }

    private final String file;
    String campaign;
    String tag;
    Instant created;
    /** The sweep the campaign began with, or null. */
    LedgerEvent.SweepRecord sweep;
    private final Map<Long, Entry> entries = new HashMap<>();
    private final TreeSet<Long> pending = new TreeSet<>();
    private final Map<Integer, Submission> submissions = new HashMap<>();
    private final Map<String, Submission> byJob = new HashMap<>();
    private final Map<String, Set<Long>> occupying = new HashMap<>();
    private final EnumMap<Phase, Integer> counts = zeroCounts();
    /** Per cluster, how many of its entries are in each phase but PENDING (kept as phases change). */
    private final Map<String, EnumMap<Phase, Integer>> clusterCounts = new HashMap<>();
    /** Per cluster, completed indices whose log is not collected yet. */
    private final Map<String, TreeSet<Long>> uncollected = new HashMap<>();
    int nextSeq;
    /** The last cancel, while the campaign stands cancelled (null otherwise), and the clusters that cancelled since. */
    LedgerEvent.Cancel cancel;
    private final Set<String> cancelledOn = new HashSet<>();
    /** Entries whose next attempts ask other resources (planning groups them apart only when there are any). */
    private int withResources;
    /** Events applied so far (a state that has not changed since a look has the same count). */
    long events;

    LedgerState(String file) {
        this.file = file;
    }

    /**
     * Reads the ledger at {@code file} into memory without changing anything (a torn last line is left out, not
     * cut off): for a reader beside a running controller.
     */
    public static LedgerState replay(Path file) {
        LedgerState state = new LedgerState(file.toString());
        try {
            Journal.read(file, false).forEach(state::apply);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return state;
    }

    // ------------------------------------------------------------------ the one place where state changes

    void apply(LedgerEvent e) {
        events++;
        if (e instanceof LedgerEvent.Open o) {
            campaign = o.campaign();
            tag = o.tag();
            created = Instant.parse(o.created());
            addIndices(o.indices());
        } else if (e instanceof LedgerEvent.Add a) {
            addIndices(a.indices());
        } else if (e instanceof LedgerEvent.SweepRecord s) {
            sweep = s;
        } else if (e instanceof LedgerEvent.Intent i) {
            intent(i);
        } else if (e instanceof LedgerEvent.Confirm c) {
            Submission s = submission(c);
            s.jobId = c.job();
            byJob.put(key(s.cluster, s.jobId), s);
            moveCurrent(s, Phase.SUBMITTING, Phase.QUEUED);
        } else if (e instanceof LedgerEvent.Abandon a) {
            Submission s = submission(a);
            s.abandoned = true;
            for (long index : s.indices) {
                Entry en = entry(index);
                if (en.seq == s.seq && en.phase == Phase.SUBMITTING) {
                    en.attempts--; // it never ran
                    setPhase(en, Phase.PENDING);
                }
            }
        } else if (e instanceof LedgerEvent.State st) {
            setPhase(entry(submission(st).base + st.task()), st.phase());
        } else if (e instanceof LedgerEvent.End end) {
            Entry en = entry(submission(end).base + end.task());
            en.takeBackOpen = false;
            en.outcome = end.outcome();
            en.exitCode = end.exit();
            en.reason = end.reason();
            if (end.uncounted()) {
                en.uncounted++;
            }
            if (end.with() != null) {
                resources(en, end.with());
            }
            en.stoppedByCancel = cancel != null && "CANCELLED".equals(end.outcome()) && end.next() == Phase.FAILED;
            setPhase(en, end.next());
        } else if (e instanceof LedgerEvent.Cancel c) {
            cancel = c;
            cancelledOn.clear();
        } else if (e instanceof LedgerEvent.Cancelled c) {
            cancelledOn.add(c.cluster());
        } else if (e instanceof LedgerEvent.Resume) {
            cancel = null;
            for (Entry en : entries.values()) {
                if (en.stoppedByCancel && en.phase == Phase.FAILED) {
                    again(en);
                }
                en.stoppedByCancel = false;
            }
        } else if (e instanceof LedgerEvent.Retry r) {
            for (long index : ArrayRanges.expand(r.indices())) {
                Entry en = entry(index);
                if (r.with() != null) {
                    resources(en, r.with());
                }
                again(en);
            }
        } else if (e instanceof LedgerEvent.Throttle t) {
            submission(t).throttle = t.n();
        } else if (e instanceof LedgerEvent.TakeBack tb) {
            Submission s = submission(tb);
            for (Entry en : current(s, tb.tasks())) {
                en.takeBackOpen = true;
                en.takeBackAsked = false;
            }
        } else if (e instanceof LedgerEvent.TakenBack tb) {
            Submission s = submission(tb);
            for (Entry en : current(s, tb.tasks())) {
                en.takeBackOpen = false;
                en.takenBackFrom = s.cluster;
                en.attempts--; // it never started
                setPhase(en, Phase.PENDING);
            }
            for (Entry en : current(s, tb.kept() == null ? "" : tb.kept())) {
                en.takeBackOpen = false;
            }
        } else if (e instanceof LedgerEvent.Collect c) {
            Entry en = entry(c.i());
            en.collected = true;
            en.logMissing = !c.ok();
            TreeSet<Long> set = uncollected.get(en.cluster);
            if (set != null) {
                set.remove(en.index);
            }
        }
    }

    /** Pending again, with fresh attempts (those made so far no longer count). */
    private void again(Entry en) {
        en.uncounted = en.attempts;
        en.stoppedByCancel = false;
        setPhase(en, Phase.PENDING);
    }

    private void resources(Entry en, Resources r) {
        withResources += (r.isNone() ? 0 : 1) - (en.resources.isNone() ? 0 : 1);
        en.resources = r;
    }

    /** The entries of these task ids of the submission that are still its tasks (queued or running there). */
    private List<Entry> current(Submission s, String tasks) {
        List<Entry> out = new ArrayList<>();
        for (long task : ArrayRanges.expand(tasks)) {
            Entry en = entry(s.base + task);
            if (en.seq == s.seq && (en.phase == Phase.QUEUED || en.phase == Phase.RUNNING)) {
                out.add(en);
            }
        }
        return out;
    }

    private void intent(LedgerEvent.Intent e) {
        long[] tasks = ArrayRanges.expand(e.array());
        long[] indices = new long[tasks.length];
        for (int i = 0; i < tasks.length; i++) {
            indices[i] = e.base() + tasks[i];
        }
        Submission s = new Submission(e.seq(), e.cluster(), e.base(), indices);
        s.code = e.code();
        s.with = e.with() == null ? Resources.NONE : e.with();
        s.throttle = e.throttle() == null ? 0 : e.throttle();
        submissions.put(e.seq(), s);
        nextSeq = Math.max(nextSeq, e.seq() + 1);
        for (long index : indices) {
            Entry en = entry(index);
            en.attempts++;
            en.seq = e.seq();
            en.cluster = s.cluster;
            en.code = s.code;
            en.missed = 0;
            en.takeBackOpen = false;
            en.sinceMillis = -1;
            setPhase(en, Phase.SUBMITTING);
        }
    }

    private void moveCurrent(Submission s, Phase from, Phase to) {
        for (long index : s.indices) {
            Entry en = entry(index);
            if (en.seq == s.seq && en.phase == from) {
                setPhase(en, to);
            }
        }
    }

    private void addIndices(String ranges) {
        for (long index : ArrayRanges.expand(ranges)) {
            if (!entries.containsKey(index)) {
                entries.put(index, new Entry(index));
                counts.merge(Phase.PENDING, 1, Integer::sum);
                pending.add(index);
            }
        }
    }

    private Submission submission(LedgerEvent.OfSubmission e) {
        Submission s = submissions.get(e.seq());
        if (s == null) {
            throw new IllegalStateException(file + ": event refers to unknown submission " + e.seq() + ": " + e);
        }
        return s;
    }

    private Entry entry(long index) {
        Entry en = entries.get(index);
        if (en == null) {
            throw new IllegalStateException(file + ": event refers to index " + index + " which the campaign does not have");
        }
        return en;
    }

    /** Moves an entry to another phase, keeping every index in step. */
    void setPhase(Entry en, Phase to) {
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

    /** The campaign's name, or null before its open event. */
    public String campaign() {
        return campaign;
    }

    public String tag() {
        return tag;
    }

    public Instant created() {
        return created;
    }

    public int size() {
        return entries.size();
    }

    public int count(Phase p) {
        return counts.get(p);
    }

    /** The cancel the campaign stands under, or null when it is not cancelled. */
    public LedgerEvent.Cancel cancelled() {
        return cancel;
    }

    /** True while the campaign is cancelled and {@code cluster} has not yet cancelled the campaign's jobs. */
    public boolean owesCancel(String cluster) {
        return cancel != null && !cancelledOn.contains(cluster);
    }

    /** True when some entry's next attempts ask resources other than the cluster's. */
    boolean anyResources() {
        return withResources > 0;
    }

    /** True when every index has completed or failed. */
    public boolean finished() {
        return count(Phase.COMPLETED) + count(Phase.FAILED) == entries.size();
    }

    /** Counts per phase. */
    public Map<Phase, Integer> counts() {
        return new LinkedHashMap<>(counts);
    }

    /** Per cluster, counts of its reserved, submitting, queued, running, completed and failed entries (PENDING: 0). */
    public Map<Phase, Integer> counts(String cluster) {
        EnumMap<Phase, Integer> mine = clusterCounts.get(cluster);
        return mine == null ? zeroCounts() : new EnumMap<>(mine);
    }

    /** The phase of each index. */
    public Map<Long, Phase> phases() {
        Map<Long, Phase> out = new TreeMap<>();
        entries.values().forEach(en -> out.put(en.index, en.phase));
        return out;
    }

    /** The cluster of each index's last attempt (null before its first). */
    public Map<Long, String> clusters() {
        Map<Long, String> out = new TreeMap<>();
        entries.values().forEach(en -> out.put(en.index, en.cluster));
        return out;
    }

    /** The attempts made of each index (an abandoned submission is none). */
    public Map<Long, Integer> attempts() {
        Map<Long, Integer> out = new TreeMap<>();
        entries.values().forEach(en -> out.put(en.index, en.attempts));
        return out;
    }

    Entry get(long index) {
        return entries.get(index);
    }

    Collection<Entry> entries() {
        return entries.values();
    }

    /** The lowest {@code n} pending indices, ascending. */
    long[] pendingHead(int n) {
        return pendingHead(n, null);
    }

    /** The lowest {@code n} pending indices, ascending, leaving out those last taken back from {@code avoid} (when not null). */
    long[] pendingHead(int n, String avoid) {
        long[] out = new long[Math.min(n, pending.size())];
        int i = 0;
        for (long index : pending) {
            if (i == out.length) {
                break;
            }
            if (avoid == null || !avoid.equals(entries.get(index).takenBackFrom)) {
                out[i++] = index;
            }
        }
        return i == out.length ? out : java.util.Arrays.copyOf(out, i);
    }

    /** Indices that count against the cluster's capacity (reserved, submitting, queued, running). */
    int occupying(String cluster) {
        Set<Long> set = occupying.get(cluster);
        return set == null ? 0 : set.size();
    }

    Set<Long> occupyingSet(String cluster) {
        return occupying.getOrDefault(cluster, Set.of());
    }

    Submission submission(int seq) {
        return submissions.get(seq);
    }

    Submission submission(String cluster, String jobId) {
        return byJob.get(key(cluster, jobId));
    }

    Collection<Submission> submissions() {
        return submissions.values();
    }

    /** Per cluster that holds anything of the campaign (reservations, which live in memory only, do not count). */
    Map<String, Held> held() {
        Map<String, Held> out = new HashMap<>();
        Set<String> names = new HashSet<>(occupying.keySet());
        names.addAll(uncollected.keySet());
        for (String cluster : names) {
            long[] active = occupyingSet(cluster).stream().filter(i -> entries.get(i).phase != Phase.RESERVED)
                    .mapToLong(Long::longValue).sorted().toArray();
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
}
