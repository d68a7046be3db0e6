package dev.alphaex.campaign;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.ClusterRegistry;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.ClusterSnapshot;
import dev.alphaex.cluster.JobDefaults;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
 * {@link #poll} gives the tick's {@link ClusterCall} (the poll when its {@link PollPacer} says it is due, else
 * nothing to ask), the route sends it over the cluster's transport and hands the paired {@link Answer} to
 * {@link #apply}, which records it in the {@link Ledger} and returns the {@link Plan} (how the cluster stands and the
 * calls planned for it by the pure {@link Planner}: take-backs, throttle changes, array submissions); for each
 * {@link #announce} writes what must precede it to the ledger and gives its call, and {@link #record} records the
 * answer ({@link Dispatch}); then {@link #collect} brings finished logs in ({@link Collector}). {@link #tick} is the
 * exit monitor's ({@link ExitMonitor}). Kinds and transports come from the {@link ClusterRegistry} by name. All public
 * methods are synchronized: clusters tick on their own timers.
 */
public final class Campaign implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Campaign.class);

    private String source = "config/application.properties";
    private Function<String, String> properties = System::getProperty;
    private ClusterRegistry registry;
    private BooleanSupplier inboxReaders = () -> true;
    private final Clock clock = Clock.systemUTC();

    private CampaignConfig config;
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
    private Operations ops;
    private Readiness readiness;
    private Planning planning;
    private Dispatch dispatch;
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
        config = CampaignConfig.load(source, properties);
        where = config.where;
        settings = config.settings;
        sweep = config.sweep;
        config.notes.forEach(LOG::warn);
        long[] indices = config.indices;
        args = config.args;
        exports = config.exports;
        policy = config.policy;
        Path dir = config.dir;
        inbox = config.inbox;
        defaults = config.defaults;
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
        monitor = new ExitMonitor(settings, inbox, clock, LOG, inboxReaders, this::commandLines);
        observations.resizing(config.resize);
        ops = new Operations(ledger, config, clusters::get, clock, LOG);
        readiness = new Readiness(Readiness.input(defaults.sweep(), config.slimJar), config.slimJar);
        planning = new Planning(ledger, clusters.values(), clock, 1000L * settings.takeBackAfterSeconds());
        dispatch = new Dispatch(ledger, this::cluster, observations, config, clock, LOG);
        LedgerState s = ledger.state();
        LOG.info("campaign {}: {} jobs ({}), ledger {} (tag {}): {} completed, {} failed, {} pending, {} on clusters; {}",
                settings.name(), s.size(), sweep != null ? sweep.total() + " combinations from " + settings.sweep() : "job list",
                ledger.file(), s.tag(), s.count(Phase.COMPLETED), s.count(Phase.FAILED), s.count(Phase.PENDING),
                s.count(Phase.SUBMITTING) + s.count(Phase.QUEUED) + s.count(Phase.RUNNING), policy
                + (config.resize.toString().isEmpty() ? "" : "; resources change on retries: " + config.resize));
        ops.startNote();
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
            // a reloaded route: the same cluster with a new definition (its facts, poll pacing and books go on)
            rt = new ClusterRuntime(def, kind, registry.transport(def.transport().isBlank() ? kind.defaultTransport() : def.transport()),
                    kind.paths(def, defaults), existing);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("unknown ") ? new IllegalArgumentException(def.where() + ": " + e.getMessage(), e) : e;
        }
        // its tasks in the ledger (after a restart, or put back) are looked up by the campaign's tag at its first poll
        rt.reconcile = ledger.state().occupying(def.name()) > 0;
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
     * The tick's call: the poll when it is due (the cluster's {@link PollPacer}: its period, or five times its last
     * poll's duration, and its back-off after failures), with the cluster's facts the first time; else
     * {@link ClusterCall.Nothing} (and for a cluster detached, or with nothing left to do, always).
     */
    public synchronized ClusterCall poll(String cluster) {
        if (!prepared) {
            prepared = true; // before the first poll: e.g. every login in one sitting (second-factor questions)
            ClusterRuntime.prepareTransports(clusters.values());
        }
        ClusterRuntime rt = cluster(cluster);
        LedgerState s = ledger.state();
        if (rt.detached() || clock.millis() < rt.nextPollAt || !rt.pacer.due(clock.instant())
                || (s.finished() && s.uncollected(cluster).isEmpty())) {
            return new ClusterCall.Nothing(cluster);
        }
        if (s.owesCancel(cluster)) { // the campaign was cancelled: its jobs there first
            return new ClusterCall.Cancel(cluster, rt.line, s.tag(), rt.protocol.cancelCommand(s.tag()));
        }
        PollRequest request = new PollRequest(s.tag(), ledger.jobsToAccount(cluster), s.created(),
                rt.reconcile || !ledger.openIntents(cluster).isEmpty(), rt.info == null);
        rt.pollStartedAt = clock.instant();
        return new ClusterCall.Poll(cluster, rt.line, request, rt.protocol.pollCommand(request));
    }

    /**
     * Applies the tick's answer and plans the cluster: after a poll, its tasks' states go into the ledger first;
     * between polls, the plan comes from the ledger alone (work another cluster's poll freed or took back).
     */
    public synchronized Plan apply(Answer answer) {
        ClusterRuntime rt = cluster(answer.cluster());
        if (answer.call() instanceof ClusterCall.Cancel) {
            ops.cancelled(rt, answer);
            writeStatus();
            return Plan.of(rt.name(), Plan.Outcome.NOTHING_TO_DO);
        }
        if (!(answer.call() instanceof ClusterCall.Poll poll)) {
            if (rt.detached() || !rt.known() || rt.info == null || !planning.worthPlanning(rt)) {
                return Plan.of(rt.name(), Plan.Outcome.NOTHING_TO_DO);
            }
            List<Plan.Action> actions = planning.plan(rt);
            return actions.isEmpty() ? Plan.of(rt.name(), Plan.Outcome.NOTHING_TO_DO) : new Plan(rt.name(), Plan.Outcome.ANSWERED, actions);
        }
        rt.pacer.polled(rt.pollStartedAt, clock.instant());
        rt.line.meter().polled(rt.pollStartedAt, Duration.ofMillis(rt.period()));
        ClusterSnapshot snapshot;
        try {
            if (answer.failure() != null) {
                throw answer.failure();
            }
            snapshot = rt.protocol.parsePoll(poll.request(), answer.result());
        } catch (ClusterException e) {
            rt.failed(e, "poll", clock.millis(), LOG);
            planning.unanswered(rt);
            writeStatus();
            return Plan.of(rt.name(), e.kind() == ClusterException.Kind.PAUSED ? Plan.Outcome.PAUSED : Plan.Outcome.UNREACHABLE);
        }
        if (snapshot.info() != null) {
            rt.info = snapshot.info();
            facts(rt);
        }
        observations.apply(rt, poll.request(), snapshot);
        rt.answered(LOG);
        rt.fetchDue = true;
        List<Plan.Action> actions = planning.plan(rt);
        int planned = actions.stream().mapToInt(a -> a instanceof Plan.Reservation r ? r.chunk().indices().length : 0).sum();
        progress.line(rt.name(), ledger.state(), planned, monitor.absent().stalled());
        writeStatus();
        return new Plan(rt.name(), Plan.Outcome.ANSWERED, actions);
    }

    /**
     * Before a cluster's first submission (the route calls it when the cluster answered): its code sync and preflight
     * ({@link Readiness}), run outside the campaign's lock; a cluster that passes is planned at once (this tick), one
     * that fails gets no work and is checked again after campaign.recheckSeconds. A ready cluster's plan passes through.
     */
    public Plan ready(Plan plan) {
        ClusterRuntime rt;
        synchronized (this) {
            rt = cluster(plan.cluster());
            LedgerState s = ledger.state();
            if (rt.ready || plan.outcome() != Plan.Outcome.ANSWERED || s.cancelled() != null || s.count(Phase.PENDING) == 0
                    || clock.millis() < rt.recheckAt || rt.detached()) {
                return plan;
            }
        }
        Readiness.Outcome o = readiness.check(rt); // remote work: the other clusters go on meanwhile
        synchronized (this) {
            ops.readied(rt, o, clock.millis() + 1000L * config.recheckSeconds);
            writeStatus();
            return rt.ready ? new Plan(rt.name(), Plan.Outcome.ANSWERED, planning.plan(rt)) : plan;
        }
    }

    /** The cluster's facts, read at its first poll; its capacity against the account's submit limit, said once. */
    private void facts(ClusterRuntime rt) {
        ClusterInfo info = rt.info;
        LOG.info("cluster {}: {}; largest array index {}{}", rt.name(), info.description(), info.maxArrayIndex(),
                info.limit().isEmpty() ? "" : "; " + info.limit());
        if (!info.limitKnown()) {
            LOG.warn("cluster {}: the account's submit limit is unknown ({}); planning with capacity {}", rt.name(), info.limit(),
                    rt.def.capacity());
        } else if (info.submitRoom() != null && rt.def.capacity() > info.submitRoom()) {
            LOG.warn("cluster {}: capacity {} is above what the account's submit limit leaves ({}: {}); planning with {}", rt.name(),
                    rt.def.capacity(), info.submitRoom(), info.limit(), rt.capacity());
        }
    }

    /** Writes to the ledger what must precede a planned call (an intent, a take-back, a raised throttle), and gives the call. */
    public synchronized ClusterCall announce(Plan.Action action) {
        return dispatch.announce(action);
    }

    /** Records the answer of a planned call (a job id, tasks taken back, a throttle applied). */
    public synchronized void record(Answer answer) {
        dispatch.record(answer);
        writeStatus();
    }

    /** After a poll: brings the logs of the cluster's completed tasks into the inbox, each once. */
    public synchronized void collect(String cluster) {
        ClusterRuntime rt = cluster(cluster);
        if (rt.fetchDue) {
            rt.fetchDue = false;
            collector.collect(rt);
        }
    }

    /** Per cluster, the commands it was sent (a Slurm cluster: its scheduler commands, at start-up and per poll period). */
    public synchronized List<String> commandLines() {
        List<String> out = new ArrayList<>();
        java.time.Instant now = clock.instant();
        for (ClusterRuntime rt : clusters.values()) {
            String line = rt.line.meter().summary(now);
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * An operator's request ({@code alphaex cancel}, {@code retry}, {@code resume}) as the command line wrote it into
     * {@code <campaign.dir>/requests}, and its answer, both JSON ({@link Operations}). Never throws: a request that
     * cannot be done is answered with why.
     */
    public synchronized String request(String json) {
        String answer = ops.request(json);
        writeStatus();
        return answer;
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

    /** The registered clusters that are not detached, by name. */
    public synchronized List<String> clusterNames() {
        List<String> out = new ArrayList<>();
        clusters.forEach((n, rt) -> {
            if (!rt.detached()) {
                out.add(n);
            }
        });
        return out;
    }

    /** Asks {@code question} about the ledger as it is now (for the command line's waits). */
    public synchronized boolean test(java.util.function.Predicate<LedgerState> question) {
        return question.test(ledger.state());
    }

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
        if (ledger != null && monitor.stoppedByCancel()) {
            return CampaignOutcome.CANCELLED;
        }
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
            if (ledger != null && !monitor.summarized()) {
                commandLines().forEach(LOG::info);
            }
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
