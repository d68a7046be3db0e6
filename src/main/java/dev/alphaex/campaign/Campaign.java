package dev.alphaex.campaign;

import dev.alphaex.campaign.LedgerState.Submission;
import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.ClusterRegistry;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.ClusterSnapshot;
import dev.alphaex.cluster.JobDefaults;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The campaign engine: the bean the cluster routes call. Each call takes what the route carries and returns what
 * it carries next, so the order of the steps is visible in the route and no bean remembers what was asked:
 * {@link #poll} gives the tick's {@link ClusterCall} (the poll), the route sends it over the cluster's transport
 * and hands the paired {@link Answer} to {@link #apply}, which records it in the {@link Ledger} and returns the
 * {@link Plan} (how the cluster answered and its planned submissions, from the pure {@link Planner}); for each
 * submission {@link #submit} announces it durably and gives its call, and {@link #submitted} records the answer;
 * then {@link #collect} brings finished logs in ({@link Collector}). {@link #tick} is the exit monitor's
 * ({@link ExitMonitor}). Kinds and transports come from the {@link ClusterRegistry} by name. All public methods
 * are synchronized: clusters poll on their own timers.
 */
public final class Campaign implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Campaign.class);

    private String source = "config/application.properties";
    private Function<String, String> properties = System::getProperty;
    private ClusterRegistry registry;
    private BooleanSupplier inboxReaders = () -> true;
    private final Clock clock = Clock.systemUTC();

    private CampaignSettings settings;
    private CampaignProperties where;
    private Sweep sweep;
    private RetryPolicy policy;
    private List<String> args = List.of();
    private Map<String, String> exports = Map.of();
    private JobDefaults defaults;
    private Path inbox;
    private ControllerLock lock;
    private Ledger ledger;
    private Progress progress;
    private Observations observations;
    private Collector collector;
    private ExitMonitor monitor;
    private final Map<String, ClusterRuntime> clusters = new LinkedHashMap<>();
    private boolean prepared;

    /** The properties file (alphaex.config), named in errors about values that came from it. */
    public void setSource(String source) {
        this.source = source;
    }

    /** The campaign's properties by full name ({@code campaign.runs}), null when not set: Camel's, in the routes. */
    public void setProperties(Function<String, String> properties) {
        this.properties = properties;
    }

    /** The kinds of cluster and the transports, by name. */
    public void setClusters(ClusterRegistry registry) {
        this.registry = registry;
    }

    /** Says whether a route reads the inbox: only then is a drain waited for. Without this bean every drain is waited for. */
    public void setInboxReaders(BooleanSupplier readers) {
        this.inboxReaders = readers;
    }

    /** Binds and checks the configuration and opens (or replays) the ledger. Every error names the file or property. */
    public synchronized void start() {
        where = new CampaignProperties(source);
        settings = CampaignSettings.bind(properties, where);
        if (!settings.routes().isBlank()) {
            ClusterFile.check(Path.of(settings.routes()));
        }
        if (!settings.sweep().isBlank()) {
            sweep = Sweep.load(Path.of(settings.sweep())); // its errors name the file and the place
        }
        List<String> notes = new ArrayList<>();
        long[] indices = where.indices(settings.jobs(), sweep, settings.runs(), settings.maxJobs(), notes);
        notes.forEach(LOG::warn);
        args = where.args(settings.args());
        exports = where.exports(settings.exports());
        try {
            policy = RetryPolicy.parse(settings.maxAttempts(), settings.retryOn());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage(); // "campaign.retryOn: ..." names the property
            throw new IllegalArgumentException(m.startsWith("campaign.retryOn") ? where.where("campaign.retryOn")
                    + m.substring("campaign.retryOn".length()) : source + ": " + m);
        }
        Path dir = Path.of(settings.dir().isBlank() ? "work/" + settings.name() : settings.dir());
        inbox = settings.inbox().isBlank() ? dir.resolve("inbox") : Path.of(settings.inbox());
        defaults = new JobDefaults(settings.name(), dir, settings.script(), where.where("campaign.script"),
                settings.sweep().isBlank() ? null : Path.of(settings.sweep()));
        lock = ControllerLock.acquire(dir, settings.name()); // before anything is read or written: one controller per campaign
        try {
            LostLedger.refuseIfLost(dir.resolve(Ledger.FILE), dir, inbox, settings.name());
            ledger = Ledger.open(dir, settings.name(), indices, clock.instant(), SweepFingerprint.of(sweep));
        } catch (RuntimeException e) {
            releaseLock(e);
            throw e;
        }
        progress = new Progress(settings.name(), dir, clock, LOG);
        observations = new Observations(ledger, policy, progress, clock, LOG, settings.vanishAfterPolls(),
                1000L * settings.vanishAfterSeconds(), clusters::get);
        collector = new Collector(ledger, inbox, clock, LOG, settings.vanishAfterPolls(), 1000L * settings.vanishAfterSeconds());
        monitor = new ExitMonitor(settings, inbox, clock, LOG, inboxReaders);
        LedgerState s = ledger.state();
        LOG.info("campaign {}: {} jobs ({}), ledger {} (tag {}): {} completed, {} failed, {} pending, {} on clusters; {}",
                settings.name(), s.size(), sweep != null ? sweep.total() + " combinations from " + settings.sweep() : "job list",
                ledger.file(), s.tag(), s.count(Phase.COMPLETED), s.count(Phase.FAILED), s.count(Phase.PENDING),
                s.count(Phase.SUBMITTING) + s.count(Phase.QUEUED) + s.count(Phase.RUNNING), policy);
        writeStatus();
    }

    // ------------------------------------------------------------------ clusters

    /** Registers a cluster (its route is being created); its kind and transport are looked up by name. */
    public synchronized void register(ClusterSettings def) {
        if (ledger == null) {
            throw new IllegalStateException(def.where() + ": the campaign has not started");
        }
        ClusterRuntime existing = clusters.get(def.name());
        if (existing != null && !existing.detached()) {
            throw new IllegalArgumentException(def.where() + ": two clusters are named '" + def.name() + "'; give each a unique name");
        }
        ClusterKind kind;
        ClusterRuntime rt;
        try {
            kind = registry.kind(def.kind());
            kind.check(def, defaults);
            rt = new ClusterRuntime(def, kind, registry.transport(def.transport().isBlank() ? kind.defaultTransport() : def.transport()),
                    kind.paths(def, defaults));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("unknown ") ? new IllegalArgumentException(def.where() + ": " + e.getMessage(), e) : e;
        }
        if (existing != null) {
            rt.info = existing.info; // a reloaded route: same cluster, new definition
        }
        clusters.put(def.name(), rt);
        LOG.info("cluster {} registered: {} from {}", def.name(), def, def.where());
        if (monitor.absent().back(def.name())) {
            LOG.info("cluster '{}' is declared again: its {} task(s) in the ledger are looked up by the campaign's tag and adopted,"
                    + " not run again", def.name(), ledger.state().occupying(def.name()));
        }
    }

    /** The cluster's route was removed or stopped: no more polls or submissions; its tasks stay in the ledger. */
    public synchronized void unregister(ClusterSettings def) {
        ClusterRuntime rt = clusters.get(def.name());
        if (rt != null && rt.def == def) {
            rt.state = ClusterState.DETACHED;
            ledger.release(def.name());
            LOG.info("cluster {} detached (its route was removed or stopped): no more polls or submissions; its {} task(s) stay in the"
                    + " ledger", def.name(), ledger.state().occupying(def.name()));
        }
    }

    private ClusterRuntime cluster(String cluster) {
        ClusterRuntime rt = clusters.get(cluster);
        if (rt == null) {
            throw new IllegalArgumentException("unknown cluster '" + cluster + "'");
        }
        return rt;
    }

    // ------------------------------------------------------------------ the route's steps

    /**
     * The tick's call: the poll (with the cluster's facts the first time), or {@link ClusterCall.Nothing} when the
     * cluster is backing off, detached, or has nothing left to do.
     */
    public synchronized ClusterCall poll(String cluster) {
        if (!prepared) {
            prepared = true; // before the first poll: e.g. every login in one sitting (second-factor questions)
            ClusterRuntime.prepareTransports(clusters.values());
        }
        ClusterRuntime rt = cluster(cluster);
        LedgerState s = ledger.state();
        if (rt.detached() || clock.millis() < rt.nextPollAt || (s.finished() && s.uncollected(cluster).isEmpty())) {
            return new ClusterCall.Nothing(cluster);
        }
        PollRequest request = new PollRequest(s.tag(), ledger.jobsToAccount(cluster), s.created(),
                rt.reconcile || !ledger.openIntents(cluster).isEmpty(), rt.info == null);
        return new ClusterCall.Poll(cluster, rt.line, request, rt.protocol.pollCommand(request));
    }

    /** Applies the answer to a poll and plans the cluster's submissions. */
    public synchronized Plan apply(Answer answer) {
        ClusterRuntime rt = cluster(answer.cluster());
        if (!(answer.call() instanceof ClusterCall.Poll poll)) {
            return Plan.of(rt.name(), Plan.Outcome.NOTHING_TO_DO);
        }
        ClusterSnapshot snapshot;
        try {
            if (answer.failure() != null) {
                throw answer.failure();
            }
            snapshot = rt.protocol.parsePoll(poll.request(), answer.result());
        } catch (ClusterException e) {
            rt.failed(e, "poll", clock.millis(), LOG);
            writeStatus();
            return Plan.of(rt.name(), e.kind() == ClusterException.Kind.PAUSED ? Plan.Outcome.PAUSED : Plan.Outcome.UNREACHABLE);
        }
        if (snapshot.info() != null) {
            rt.info = snapshot.info();
            LOG.info("cluster {}: {}; largest array index {}", rt.name(), rt.info.description(), rt.info.maxArrayIndex());
        }
        observations.apply(rt, poll.request(), snapshot);
        rt.answered(LOG);
        ledger.release(rt.name()); // reservations of an interrupted poll
        LedgerState s = ledger.state();
        Planner.Snapshot view = new Planner.Snapshot(rt.accepting() && rt.info != null, !ledger.openIntents(rt.name()).isEmpty(),
                rt.def.capacity(), s.occupying(rt.name()), s.pendingHead(rt.def.capacity()),
                rt.info == null ? 0 : rt.info.maxArrayIndex(), rt.def.maxTasks());
        List<Plan.Reservation> planned = new ArrayList<>();
        for (ArrayRanges.Chunk c : Planner.plan(view)) {
            ledger.reserve(rt.name(), c.indices());
            planned.add(new Plan.Reservation(rt.name(), c));
        }
        progress.line(rt.name(), s, planned.stream().mapToInt(p -> p.chunk().indices().length).sum(), monitor.absent().stalled());
        writeStatus();
        return new Plan(rt.name(), Plan.Outcome.ANSWERED, planned);
    }

    /** Announces a planned submission in the ledger (durably) and gives its call; Nothing when the cluster cannot take it now. */
    public synchronized ClusterCall submit(Plan.Reservation reservation) {
        ClusterRuntime rt = cluster(reservation.cluster());
        if (!rt.accepting()) {
            ledger.release(rt.name());
            return new ClusterCall.Nothing(rt.name());
        }
        ArrayRanges.Chunk chunk = reservation.chunk();
        Submission s = ledger.intent(rt.name(), chunk);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ALPHAEX_CAMPAIGN", settings.name());
        env.put("ALPHAEX_BASE", Long.toString(chunk.base()));
        env.put("ALPHAEX_RESULTS", rt.paths.results());
        if (sweep != null) {
            if (rt.paths.sweep() != null) {
                env.put("ALPHAEX_SWEEP", rt.paths.sweep());
            }
            env.put("ALPHAEX_TOTAL", Long.toString(sweep.total()));
        }
        env.putAll(exports);
        List<Long> indices = new ArrayList<>();
        for (long i : chunk.indices()) {
            indices.add(i);
        }
        SubmitRequest request = new SubmitRequest(ledger.state().tag(), indices, chunk.base(), chunk.array(), rt.paths.script(), args,
                env, rt.paths.workDir(), rt.def.options());
        return new ClusterCall.Submit(rt.name(), rt.line, s.seq, request, rt.protocol.submitCommand(request));
    }

    /**
     * Records a submission's answer: the job id the cluster gave it. A refusal for good (REJECTED) returns its
     * indices to pending and stops submissions to the cluster; any other failure leaves it uncertain (the cluster
     * may have taken it): the next poll reconciles by the campaign's tag before anything is submitted again.
     */
    public synchronized void submitted(Answer answer) {
        if (!(answer.call() instanceof ClusterCall.Submit call)) {
            return;
        }
        ClusterRuntime rt = cluster(call.cluster());
        Submission s = ledger.state().submission(call.seq());
        try {
            if (answer.failure() != null) {
                throw answer.failure();
            }
            String jobId = rt.protocol.parseSubmit(call.request(), answer.result());
            ledger.confirm(s, jobId);
            observations.seen(s, clock.millis());
            LOG.info("cluster {}: submitted job {}: array {}{} ({} tasks)", rt.name(), jobId, call.request().array(),
                    s.base == 0 ? "" : " + base " + s.base, s.indices.length);
        } catch (ClusterException e) {
            if (e.kind() == ClusterException.Kind.REJECTED) {
                ledger.abandon(s, e.getMessage());
                rt.state = ClusterState.REJECTED;
                LOG.error("cluster {} refused a submission: {}; no more submissions go there (fix the definition; a routes reload"
                        + " or a restart tries again)", rt.name(), e.getMessage());
            } else {
                rt.reconcile = true;
                rt.failed(e, "submission", clock.millis(), LOG);
            }
            ledger.release(rt.name());
            writeStatus();
        }
    }

    /** Brings the logs of the cluster's completed tasks into the inbox, each once. */
    public synchronized void collect(String cluster) {
        collector.collect(cluster(cluster));
    }

    /** Called every second by the campaign's monitor route: true when the process should stop now. */
    public synchronized boolean tick() {
        if (ledger == null) {
            return false;
        }
        Set<String> declared = new HashSet<>();
        clusters.forEach((n, rt) -> {
            if (!rt.detached()) {
                declared.add(n);
            }
        });
        return monitor.tick(ledger.state(), declared, this::writeStatus);
    }

    private void writeStatus() {
        if (ledger != null) {
            progress.writeStatus(ledger.state(), clusters.values());
        }
    }

    // ------------------------------------------------------------------ reading (tests, CLI)

    public synchronized String tag() {
        return ledger.state().tag();
    }

    public synchronized Path inbox() {
        return inbox;
    }

    public synchronized boolean finished() {
        return ledger.state().finished();
    }

    /** How this run of the campaign ended, for the process's exit code. */
    public synchronized CampaignOutcome outcome() {
        if (ledger == null || !monitor.summarized()) {
            return CampaignOutcome.UNFINISHED;
        }
        return ledger.state().count(Phase.FAILED) > 0 ? CampaignOutcome.FAILED : CampaignOutcome.COMPLETED;
    }

    /** Counts by phase name (PENDING, RESERVED, SUBMITTING, QUEUED, RUNNING, COMPLETED, FAILED). */
    public synchronized Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        ledger.state().counts().forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    /** Attempts made per index (for tests and reports). */
    public synchronized Map<Long, Integer> attempts() {
        return ledger.state().attempts();
    }

    /** The phase of each index, by name. */
    public synchronized Map<Long, String> phases() {
        Map<Long, String> out = new TreeMap<>();
        ledger.state().phases().forEach((i, p) -> out.put(i, p.name()));
        return out;
    }

    private void releaseLock(Exception failure) {
        try {
            lock.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        lock = null;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (ledger != null) {
                ledger.force();
                ledger.close();
            }
        } finally {
            if (lock != null) {
                lock.close();
                lock = null;
            }
        }
    }
}
