package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterProtocol;
import dev.alphaex.cluster.ClusterSnapshot;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.cluster.TaskReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.local.LocalClusters;
import dev.alphaex.local.LocalProtocol;
import dev.alphaex.slurm.SlurmProtocol;
import dev.alphaex.ssh.RemoteFiles;
import dev.alphaex.ssh.SshSessions;
import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The campaign engine: the bean the cluster routes call. It owns the {@link Ledger}, decides what
 * each cluster gets (free slots x pending indices, split into array submissions), builds the
 * commands through each cluster's {@link ClusterProtocol} and applies the answers. The routes
 * only carry commands and answers; all decisions are here, in plain Java.
 *
 * <p>Per cluster and poll the route calls: {@link #pollCommand} → (the exchange) → {@link #onPoll},
 * which returns the planned submissions; for each, {@link #submitCommand} → (the exchange) →
 * {@link #onSubmitted}; then {@link #collect}; then {@link #pollAgain}, which asks for a second pass in
 * the same tick only right after the cluster's facts were read. Failures go to {@link #onPollFailed}
 * (which plans nothing) and {@link #onSubmitFailed}. All public methods are synchronized: clusters poll on
 * their own timers.
 */
public final class Campaign implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Campaign.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Back-off after failures: period * 2^n, at most this. */
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    // configuration (bean properties, from config/application.properties through the YAML bean definition)
    private String source = "config/application.properties";
    private String routes = "";
    private String name;
    private String sweepFile = "";
    private String runs = "1";
    private String jobs = "";
    private String maxJobs = Long.toString(JobList.DEFAULT_MAX);
    private String script = "";
    private String args = "";
    private String exports = "";
    private String maxAttempts = "3";
    private String retryOn = "FAILED,NODE_FAIL,PREEMPTED,BOOT_FAIL,VANISHED";
    private String dir = "";
    private String inbox = "";
    private boolean exitWhenDone;
    private String exitGraceSeconds = "3";
    private boolean drainInboxBeforeExit;
    private BooleanSupplier inboxReaders = () -> true;
    private boolean noReaderReported;
    private String vanishAfterPolls = "3";
    private String vanishAfterSeconds = "30";
    private LocalClusters local;
    private SshSessions sessions;
    private RemoteFiles remoteFiles;
    private Clock clock = Clock.systemUTC();

    // state
    private CampaignProperties properties;
    private Sweep sweep;
    private RetryPolicy policy;
    private List<String> argList = List.of();
    private Map<String, String> exportMap = Map.of();
    private Path dirPath;
    private Path inboxPath;
    private ControllerLock lock;
    private Ledger ledger;
    private int vanishPolls;
    private long vanishMillis;
    private final Map<String, ClusterRuntime> clusters = new LinkedHashMap<>();
    private final Deque<Long> endings = new ArrayDeque<>();
    private final AbsentClusters absent = new AbsentClusters();
    /** Per cluster, its last progress line's counts (while the campaign is stalled, an unchanged line is left out). */
    private final Map<String, String> lastProgress = new HashMap<>();
    private Instant startedAt;
    private boolean summarized;
    private long inboxEmptySince = -1;

    /** The runtime state of one registered cluster. */
    private static final class ClusterRuntime {
        final ClusterDefinition def;
        final ClusterProtocol protocol;
        ClusterInfo info;
        String state = "starting";
        String lastError = "";
        int failures;
        long nextPollAt;
        boolean reconcile = true;
        boolean awaitingInfo;
        /** The cluster's facts just came in: poll in the same tick instead of a period later. */
        boolean pollNow;
        boolean detached;
        PollRequest lastRequest;
        Ledger.Submission inflight;
        SubmitRequest inflightRequest;
        final Set<String> ignoredJobs = new HashSet<>();

        ClusterRuntime(ClusterDefinition def, ClusterProtocol protocol) {
            this.def = def;
            this.protocol = protocol;
        }
    }

    /** One planned submission: indices reserved for a cluster, in array form. */
    public record Reservation(String cluster, ArrayRanges.Chunk chunk) {
        @Override
        public String toString() {
            return cluster + ": array " + chunk.array() + (chunk.base() == 0 ? "" : " + base " + chunk.base())
                    + " (" + chunk.indices().length + " tasks)";
        }
    }

    // ------------------------------------------------------------------ configuration

    public void setSource(String source) {
        this.source = source;
    }

    /** The campaign routes file (campaign.routes): checked at start, before Camel reads it ({@link ClusterFile}). */
    public void setRoutes(String routes) {
        this.routes = routes;
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setSweep(String sweep) {
        this.sweepFile = sweep;
    }

    public void setRuns(String runs) {
        this.runs = runs;
    }

    public void setJobs(String jobs) {
        this.jobs = jobs;
    }

    /** The most jobs the campaign may have (campaign.maxJobs): checked before any memory is spent on them. */
    public void setMaxJobs(String maxJobs) {
        this.maxJobs = maxJobs;
    }

    public void setScript(String script) {
        this.script = script;
    }

    public void setArgs(String args) {
        this.args = args;
    }

    public void setExports(String exports) {
        this.exports = exports;
    }

    public void setMaxAttempts(String maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public void setRetryOn(String retryOn) {
        this.retryOn = retryOn;
    }

    public void setDir(String dir) {
        this.dir = dir;
    }

    public void setInbox(String inbox) {
        this.inbox = inbox;
    }

    public void setExitWhenDone(boolean exitWhenDone) {
        this.exitWhenDone = exitWhenDone;
    }

    /** With the merge route running: stop only once it has taken every log out of the inbox. */
    public void setDrainInboxBeforeExit(boolean drain) {
        this.drainInboxBeforeExit = drain;
    }

    /**
     * Says whether a route reads the inbox: only then is a drain waited for (without one, e.g. routes/results.yaml
     * not loaded, the process waited for ever). Without this bean every drain is waited for.
     */
    public void setInboxReaders(BooleanSupplier readers) {
        this.inboxReaders = readers;
    }

    public void setExitGraceSeconds(String s) {
        this.exitGraceSeconds = s;
    }

    public void setVanishAfterPolls(String s) {
        this.vanishAfterPolls = s;
    }

    public void setVanishAfterSeconds(String s) {
        this.vanishAfterSeconds = s;
    }

    public void setLocal(LocalClusters local) {
        this.local = local;
    }

    /** The SSH sessions the routes use (shared, so fetching results needs no second login). */
    public void setSessions(SshSessions sessions) {
        this.sessions = sessions;
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    /**
     * Checks the configuration and opens (or replays) the ledger. Every error names the
     * properties file and the property.
     */
    public synchronized void start() {
        CampaignProperties props = new CampaignProperties(source);
        properties = props;
        props.require(name != null && name.matches("[A-Za-z0-9_.-]+"), "campaign.name",
                "must be letters, digits, '_', '-' or '.', got '" + name + "'");
        if (!routes.isBlank()) {
            ClusterFile.check(Path.of(routes));
        }
        if (!sweepFile.isBlank()) {
            sweep = Sweep.load(Path.of(sweepFile)); // its errors name the file and the place
        }
        List<String> notes = new ArrayList<>();
        long[] indices = props.indices(jobs, sweep, runs, props.wholeNumber("campaign.maxJobs", maxJobs, Long.MAX_VALUE), notes);
        notes.forEach(LOG::warn);
        props.require(!script.isBlank(), "campaign.script", "give the job script");
        argList = props.args(args);
        exportMap = props.exports(exports);
        try {
            policy = RetryPolicy.parse(props.wholeNumber("campaign.maxAttempts", maxAttempts), retryOn);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage(); // "campaign.retryOn: ..." names the property
            throw new IllegalArgumentException(m.startsWith("campaign.retryOn") ? props.where("campaign.retryOn")
                    + m.substring("campaign.retryOn".length()) : source + ": " + m);
        }
        vanishPolls = props.wholeNumber("campaign.vanishAfterPolls", vanishAfterPolls);
        vanishMillis = 1000L * props.wholeNumber("campaign.vanishAfterSeconds", vanishAfterSeconds);
        dirPath = Path.of(dir.isBlank() ? "work/" + name : dir);
        inboxPath = inbox.isBlank() ? dirPath.resolve("inbox") : Path.of(inbox);
        if (local == null) {
            local = new LocalClusters(dirPath.resolve("local").toString());
        }
        startedAt = clock.instant();
        lock = ControllerLock.acquire(dirPath, name); // before anything is read or written: one controller per campaign
        try {
            LostLedger.refuseIfLost(dirPath.resolve(Ledger.FILE), dirPath, inboxPath, name);
            ledger = Ledger.open(dirPath, name, indices, startedAt, SweepFingerprint.of(sweep));
        } catch (RuntimeException e) {
            releaseLock(e);
            throw e;
        }
        Map<Ledger.Phase, Integer> c = ledger.counts();
        LOG.info("campaign {}: {} jobs ({}), ledger {} (tag {}): {} completed, {} failed, {} pending, {} on clusters; {}",
                name, ledger.size(), sweep != null ? sweep.total() + " combinations from " + sweepFile : "job list",
                ledger.file(), ledger.tag(), c.get(Ledger.Phase.COMPLETED), c.get(Ledger.Phase.FAILED),
                c.get(Ledger.Phase.PENDING), c.get(Ledger.Phase.SUBMITTING) + c.get(Ledger.Phase.QUEUED) + c.get(Ledger.Phase.RUNNING),
                policy);
        writeStatus();
    }

    // ------------------------------------------------------------------ clusters

    /** Registers a cluster (called by its route's template-local bean while the route is created). */
    synchronized void register(ClusterDefinition def) {
        if (ledger == null) {
            throw new IllegalStateException(def.where() + ": the campaign has not started");
        }
        ClusterRuntime existing = clusters.get(def.name());
        if (existing != null && !existing.detached) {
            throw new IllegalArgumentException(def.where() + ": two clusters are named '" + def.name() + "'; give each a unique name");
        }
        ClusterProtocol protocol;
        switch (def.kind()) {
            case "local":
                protocol = new LocalProtocol(def.capacityValue);
                checkLocalScript(def);
                break;
            case "slurm":
                protocol = new SlurmProtocol();
                if (def.results().startsWith("~")) {
                    throw new IllegalArgumentException(def.where() + ": results '" + def.results() + "': write it relative to"
                            + " workDir or absolute; '~' does not expand in the job's ALPHAEX_RESULTS");
                }
                if (sessions == null) {
                    throw new IllegalStateException(def.where() + ": no SSH sessions bean (sshSessions) for slurm clusters");
                }
                break;
            default:
                throw new IllegalArgumentException(def.where() + ": unknown kind '" + def.kind() + "'; use local or slurm");
        }
        ClusterRuntime rt = new ClusterRuntime(def, protocol);
        if (existing != null) {
            rt.info = existing.info; // a reloaded route: same cluster, new definition
        }
        clusters.put(def.name(), rt);
        LOG.info("cluster {} registered: {} from {}", def.name(), def, def.where());
        if (absent.back(def.name())) {
            LOG.info("cluster '{}' is declared again: its {} task(s) in the ledger are looked up by the campaign's tag and adopted,"
                    + " not run again", def.name(), ledger.occupying(def.name()));
        }
    }

    /** A local cluster's job script must be there and executable; blamed where it was named (campaign.script or the cluster). */
    private void checkLocalScript(ClusterDefinition def) {
        Path scriptPath = localWorkDir(def).resolve(script(def));
        String where = def.script().isBlank() ? properties.where("campaign.script") : def.where() + ": script";
        String from = def.script().isBlank() ? " (cluster '" + def.name() + "' of " + def.file() + " runs it from "
                + localWorkDir(def).toAbsolutePath().normalize() + ")" : "";
        if (!Files.isRegularFile(scriptPath)) {
            throw new IllegalArgumentException(where + ": job script " + scriptPath + ": no such file" + from);
        }
        if (!Files.isExecutable(scriptPath)) {
            throw new IllegalArgumentException(where + ": job script " + scriptPath + " is not executable (chmod +x " + scriptPath + ")"
                    + from);
        }
    }

    synchronized void unregister(ClusterDefinition def) {
        ClusterRuntime rt = clusters.get(def.name());
        if (rt != null && rt.def == def) {
            rt.detached = true;
            rt.state = "detached";
            ledger.release(def.name());
            LOG.info("cluster {} detached (its route was removed or stopped): no more polls or submissions; its {} task(s) stay in the ledger",
                    def.name(), ledger.occupying(def.name()));
        }
    }

    private ClusterRuntime cluster(String cluster) {
        ClusterRuntime rt = clusters.get(cluster);
        if (rt == null) {
            throw new IllegalArgumentException("unknown cluster '" + cluster + "'");
        }
        return rt;
    }

    private String script(ClusterDefinition def) {
        return def.script().isBlank() ? script : def.script();
    }

    private Path localWorkDir(ClusterDefinition def) {
        return Path.of(def.workDir().isBlank() ? "." : def.workDir());
    }

    private boolean isLocal(ClusterDefinition def) {
        return def.kind().equals("local");
    }

    /** The folder the jobs write their logs to, as the jobs see it (relative: to the job's workDir). */
    private String resultsDir(ClusterDefinition def) {
        if (!def.results().isBlank()) {
            return def.results();
        }
        return isLocal(def) ? dirPath.resolve("local").resolve(def.name()).resolve("results").toAbsolutePath().toString()
                : "alphaex-results/" + name;
    }

    /** The Slurm cluster's project folder ("." is the login's home folder). */
    private static String remoteWorkDir(ClusterDefinition def) {
        return def.workDir().isBlank() ? "." : def.workDir();
    }

    /** The results folder as SFTP sees it: relative paths start in the home folder, "~/" is the home folder. */
    private String remoteResultsForSftp(ClusterDefinition def) {
        String r = resultsDir(def);
        if (r.startsWith("/")) {
            return r;
        }
        String w = remoteWorkDir(def);
        w = w.equals("~") ? "" : w.startsWith("~/") ? w.substring(2) : w;
        return w.isEmpty() || w.equals(".") ? r : w + "/" + r;
    }

    // ------------------------------------------------------------------ poll

    /**
     * The command for this poll: the cluster's facts the first time, then its state. Null when the
     * cluster is backing off, detached, or there is nothing left to do (the route then skips).
     */
    public synchronized String pollCommand(String cluster) {
        ClusterRuntime rt = cluster(cluster);
        long now = clock.millis();
        if (rt.detached || now < rt.nextPollAt || (ledger.finished() && ledger.uncollected(cluster).isEmpty())) {
            return null;
        }
        if (rt.info == null) {
            rt.awaitingInfo = true;
            return rt.protocol.infoCommand();
        }
        rt.awaitingInfo = false;
        rt.lastRequest = new PollRequest(ledger.tag(), ledger.jobsToAccount(cluster), ledger.created(),
                rt.reconcile || !ledger.openIntents(cluster).isEmpty());
        return rt.protocol.pollCommand(rt.lastRequest);
    }

    /**
     * The next command of this tick, or null: right after the cluster's facts came in (its first exchange),
     * its first poll, so that the first submissions go out at once rather than a poll period later (at a
     * 2 s period that was 2 s of every slot idle at the start, ~5% of the benchmark's makespan).
     */
    public synchronized String pollAgain(String cluster) {
        ClusterRuntime rt = cluster(cluster);
        if (!rt.pollNow) {
            return null;
        }
        rt.pollNow = false;
        return pollCommand(cluster);
    }

    /**
     * Applies the cluster's answer to the poll and plans its submissions.
     *
     * @return the submissions to make now, possibly none
     */
    public synchronized List<Reservation> onPoll(String cluster, String stdout, Integer exitCode, String stderr)
            throws ClusterException {
        ClusterRuntime rt = cluster(cluster);
        CommandResult result = new CommandResult(exitCode == null ? 0 : exitCode, stdout, stderr);
        if (rt.awaitingInfo) {
            rt.info = rt.protocol.parseInfo(result);
            rt.awaitingInfo = false;
            ok(rt);
            rt.pollNow = true;
            LOG.info("cluster {}: {}; largest array index {}", cluster, rt.info.description(), rt.info.maxArrayIndex());
            return List.of();
        }
        ClusterSnapshot snapshot = rt.protocol.parsePoll(rt.lastRequest, result);
        apply(rt, snapshot);
        ok(rt);
        List<Reservation> plan = plan(rt);
        progress(rt, plan);
        writeStatus();
        return plan;
    }

    private void ok(ClusterRuntime rt) {
        if (!rt.state.equals("ok") && !rt.state.equals("rejected")) {
            if (rt.failures > 0) {
                LOG.info("cluster {} answers again after {} failed attempt(s)", rt.def.name(), rt.failures);
            }
            rt.state = "ok";
        }
        rt.failures = 0;
        rt.nextPollAt = 0;
        rt.lastError = "";
    }

    /**
     * The poll failed: the cluster's state is unknown (never "0 jobs"); back off.
     *
     * @return no submissions: the route's body, so that the tick submits nothing
     */
    public synchronized List<Reservation> onPollFailed(String cluster, Throwable error) {
        ClusterRuntime rt = cluster(cluster);
        rt.awaitingInfo = false;
        failed(rt, error, "poll");
        writeStatus();
        return List.of();
    }

    private void failed(ClusterRuntime rt, Throwable error, String what) {
        rt.failures++;
        String kind = error instanceof ClusterException ? ((ClusterException) error).kind().name() : "UNREACHABLE";
        rt.state = kind.equals("BUSY") ? "busy" : rt.state.equals("rejected") ? "rejected" : "unreachable";
        long backoff = Math.min(MAX_BACKOFF_MILLIS, rt.def.periodMillis << Math.min(rt.failures, 10));
        rt.nextPollAt = clock.millis() + backoff;
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        if (rt.failures <= 3 || !message.equals(rt.lastError) || rt.failures % 10 == 0) {
            LOG.warn("cluster {}: {} failed ({}): {}; its state is unknown, next try in {} s (failure {} in a row)",
                    rt.def.name(), what, kind.toLowerCase(), message.trim(), backoff / 1000, rt.failures);
        }
        rt.lastError = message;
    }

    private void apply(ClusterRuntime rt, ClusterSnapshot snapshot) {
        String cluster = rt.def.name();
        long now = clock.millis();
        Map<String, List<TaskReport>> unknown = new TreeMap<>();
        Set<Long> reported = new HashSet<>();
        for (TaskReport r : snapshot.tasks()) {
            Ledger.Submission s = ledger.submission(cluster, r.jobId());
            if (s == null) {
                unknown.computeIfAbsent(r.jobId(), j -> new ArrayList<>()).add(r);
                continue;
            }
            reported.add(s.base + r.taskId());
            log(ledger.observe(s, r, policy, now));
        }
        if (rt.lastRequest.byTag()) {
            int[] found = reconcile(rt, unknown, reported, now);
            Set<String> jobs = new HashSet<>();
            int active = 0;
            for (TaskReport r : snapshot.tasks()) {
                jobs.add(r.jobId());
                active += r.state().isActive() ? 1 : 0;
            }
            Map<Ledger.Phase, Integer> mine = ledger.counts(cluster);
            LOG.info("cluster {}: reconciled by the campaign's tag {}: {} job(s) of it there ({} task(s) active, {} ended);"
                    + " the ledger now has {} running and {} queued there; {} announced submission(s) found, {} abandoned",
                    cluster, ledger.tag(), jobs.size(), active, snapshot.tasks().size() - active, mine.get(Ledger.Phase.RUNNING),
                    mine.get(Ledger.Phase.QUEUED), found[0], found[1]);
        } else {
            for (String job : unknown.keySet()) {
                if (rt.ignoredJobs.add(job)) {
                    LOG.warn("cluster {}: job {} carries this campaign's tag {} but is not in the ledger; leaving it alone",
                            cluster, job, ledger.tag());
                }
            }
        }
        for (Ledger.Entry en : ledger.confirmedActive(cluster)) {
            if (!reported.contains(en.index) && ++en.missed >= vanishPolls && now - en.lastSeenMillis >= vanishMillis) {
                log(ledger.vanished(en, policy, "not reported by the cluster's queue or accounting for " + en.missed + " polls"));
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
        String cluster = rt.def.name();
        List<Ledger.Submission> open = ledger.openIntents(cluster);
        int found = 0;
        int abandoned = 0;
        for (Map.Entry<String, List<TaskReport>> job : unknown.entrySet()) {
            Ledger.Submission match = null;
            int matches = 0;
            for (Ledger.Submission s : open) {
                boolean all = true;
                for (TaskReport r : job.getValue()) {
                    all &= java.util.Arrays.binarySearch(s.indices, s.base + r.taskId()) >= 0;
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
                for (Ledger.Entry en : entriesOf(match)) {
                    en.lastSeenMillis = now;
                }
                LOG.info("cluster {}: found job {} for submission {} announced before the restart or failure", cluster, job.getKey(), match.seq);
                for (TaskReport r : job.getValue()) {
                    reported.add(match.base + r.taskId());
                    log(ledger.observe(match, r, policy, now));
                }
            } else if (rt.ignoredJobs.add(job.getKey())) {
                LOG.warn("cluster {}: job {} carries this campaign's tag but matches {} open submissions; leaving it alone",
                        cluster, job.getKey(), matches);
            }
        }
        for (Ledger.Submission s : open) {
            if (s != rt.inflight) {
                ledger.abandon(s, "not found on the cluster: the submission did not happen");
                abandoned++;
                LOG.info("cluster {}: submission {} ({} tasks) is not on the cluster: its indices are pending again", cluster,
                        s.seq, s.indices.length);
            }
        }
        rt.reconcile = false;
        return new int[] {found, abandoned};
    }

    private List<Ledger.Entry> entriesOf(Ledger.Submission s) {
        List<Ledger.Entry> out = new ArrayList<>();
        for (long i : s.indices) {
            out.add(ledger.get(i));
        }
        return out;
    }

    private void log(Ledger.Change c) {
        if (c == null) {
            return;
        }
        if (c.to() == Ledger.Phase.COMPLETED || c.to() == Ledger.Phase.FAILED || c.to() == Ledger.Phase.PENDING) {
            endings.add(clock.millis());
        }
        if (c.to() == Ledger.Phase.FAILED) {
            LOG.warn("index {} failed for good on {}: {}{}{} after {} attempt(s)", c.index(), c.cluster(), c.outcome(),
                    c.exitCode() == null ? "" : " (exit " + c.exitCode() + ")", reason(c), ledger.get(c.index()).attempts);
        } else if (c.to() == Ledger.Phase.PENDING && c.outcome() != null) {
            LOG.info("index {} ended {}{} on {}{}: retrying (attempt {} of {})", c.index(), c.outcome(),
                    c.exitCode() == null ? "" : " (exit " + c.exitCode() + ")", c.cluster(), reason(c),
                    ledger.get(c.index()).attempts + 1, policy.maxAttempts());
        }
    }

    /** ", <reason>" (a local task's stderr), and for a Slurm task where its output is; "" when nothing is known. */
    private String reason(Ledger.Change c) {
        String out = c.reason().isEmpty() ? "" : ", " + c.reason();
        ClusterRuntime rt = clusters.get(c.cluster());
        Ledger.Entry en = ledger.get(c.index());
        Ledger.Submission s = en == null ? null : ledger.submissionOf(en);
        if (rt != null && !isLocal(rt.def) && s != null && s.confirmed() && !"COMPLETED".equals(c.outcome())) {
            out += "; " + FailureReport.slurmOutput(c.cluster(), remoteWorkDir(rt.def), s.jobId, en.taskId(s));
        }
        return out;
    }

    private List<Reservation> plan(ClusterRuntime rt) {
        String cluster = rt.def.name();
        ledger.release(cluster); // reservations of an interrupted poll
        if (rt.detached || rt.state.equals("rejected") || !ledger.openIntents(cluster).isEmpty()) {
            return List.of();
        }
        int free = rt.def.capacityValue - ledger.occupying(cluster);
        if (free <= 0 || ledger.count(Ledger.Phase.PENDING) == 0) {
            return List.of();
        }
        long[] indices = ledger.reserve(cluster, free);
        List<Reservation> out = new ArrayList<>();
        for (ArrayRanges.Chunk c : ArrayRanges.chunk(indices, rt.info.maxArrayIndex(), rt.def.maxTasksValue)) {
            out.add(new Reservation(cluster, c));
        }
        return out;
    }

    // ------------------------------------------------------------------ submit

    /**
     * Announces the submission in the ledger (durably) and returns its command, or null when the
     * cluster cannot take it now (an earlier submission of this poll failed).
     */
    public synchronized String submitCommand(String cluster, Reservation reservation) {
        ClusterRuntime rt = cluster(cluster);
        if (rt.inflight != null || !rt.state.equals("ok") || rt.detached) {
            return null;
        }
        ArrayRanges.Chunk chunk = reservation.chunk();
        Ledger.Submission s = ledger.intent(cluster, chunk);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ALPHAEX_CAMPAIGN", name);
        env.put("ALPHAEX_BASE", Long.toString(chunk.base()));
        env.put("ALPHAEX_RESULTS", resultsDir(rt.def));
        if (sweep != null) {
            if (!rt.def.sweep().isBlank()) {
                env.put("ALPHAEX_SWEEP", rt.def.sweep());
            } else if (isLocal(rt.def)) {
                env.put("ALPHAEX_SWEEP", Path.of(sweepFile).toAbsolutePath().toString());
            }
            env.put("ALPHAEX_TOTAL", Long.toString(sweep.total()));
        }
        env.putAll(exportMap);
        List<Long> indices = new ArrayList<>();
        for (long i : chunk.indices()) {
            indices.add(i);
        }
        String workDir = isLocal(rt.def) ? localWorkDir(rt.def).toAbsolutePath().toString() : remoteWorkDir(rt.def);
        rt.inflight = s;
        rt.inflightRequest = new SubmitRequest(ledger.tag(), indices, chunk.base(), chunk.array(), script(rt.def), argList, env,
                workDir, rt.def.options());
        return rt.protocol.submitCommand(rt.inflightRequest);
    }

    /** Records the job id the cluster gave the submission in flight. */
    public synchronized void onSubmitted(String cluster, String stdout, Integer exitCode, String stderr) throws ClusterException {
        ClusterRuntime rt = cluster(cluster);
        Ledger.Submission s = rt.inflight;
        if (s == null) {
            return;
        }
        String jobId = rt.protocol.parseSubmit(rt.inflightRequest, new CommandResult(exitCode == null ? 0 : exitCode, stdout, stderr));
        ledger.confirm(s, jobId);
        long now = clock.millis();
        for (Ledger.Entry en : entriesOf(s)) {
            en.lastSeenMillis = now;
        }
        rt.inflight = null;
        LOG.info("cluster {}: submitted job {}: array {}{} ({} tasks)", cluster, jobId, s.indices.length == 0 ? "" : rt.inflightRequest.array(),
                s.base == 0 ? "" : " + base " + s.base, s.indices.length);
    }

    /**
     * The submission failed. A refusal for good (REJECTED) returns its indices to pending and stops
     * submissions to the cluster; any other failure leaves it uncertain (the cluster may have taken
     * it): the next poll reconciles by the campaign's tag before anything is submitted again.
     */
    public synchronized void onSubmitFailed(String cluster, Throwable error) {
        ClusterRuntime rt = cluster(cluster);
        Ledger.Submission s = rt.inflight;
        rt.inflight = null;
        if (s != null) {
            if (error instanceof ClusterException && ((ClusterException) error).kind() == ClusterException.Kind.REJECTED) {
                ledger.abandon(s, error.getMessage());
                rt.state = "rejected";
                LOG.error("cluster {} refused a submission: {}; no more submissions go there (fix the definition; a routes reload"
                        + " or a restart tries again)", cluster, error.getMessage());
            } else {
                rt.reconcile = true;
                failed(rt, error, "submission");
            }
        }
        ledger.release(cluster);
        writeStatus();
    }

    // ------------------------------------------------------------------ collect

    /**
     * Brings the logs of the cluster's completed tasks into the inbox, each once: local ones by
     * rename, Slurm ones over SFTP on the cluster's SSH session (temporary name, then rename). A
     * Slurm log not there yet is looked for again (shared file systems lag) and recorded missing
     * after {@code campaign.vanishAfterPolls} polls and {@code campaign.vanishAfterSeconds}.
     */
    public synchronized void collect(String cluster) throws IOException, ClusterException {
        ClusterRuntime rt = cluster(cluster);
        List<Long> todo = ledger.uncollected(cluster);
        if (todo.isEmpty()) {
            return;
        }
        if (isLocal(rt.def)) {
            Path results = Path.of(resultsDir(rt.def));
            for (long index : todo) {
                boolean found = local.collect(results, index + ".csv", inboxPath);
                ledger.collected(index, found);
                if (!found) {
                    LOG.warn("index {} completed on {} but left no log {}", index, cluster, results.resolve(index + ".csv"));
                }
            }
        } else {
            if (remoteFiles == null) {
                remoteFiles = new RemoteFiles(sessions);
            }
            List<String> names = new ArrayList<>();
            for (long index : todo) {
                names.add(index + ".csv");
            }
            String remoteDir = remoteResultsForSftp(rt.def);
            RemoteFiles.Fetch fetch;
            try {
                fetch = remoteFiles.fetch(rt.def.host(), remoteDir, names, inboxPath);
            } catch (ClusterException e) {
                LOG.warn("cluster {}: cannot fetch {} log(s) now: {}; trying again after the next poll", cluster, names.size(),
                        e.getMessage());
                return;
            }
            for (String f : fetch.fetched()) {
                ledger.collected(Long.parseLong(f.substring(0, f.length() - 4)), true);
            }
            for (String f : fetch.present()) {
                // fetched by a controller that died before it could record it: not fetched twice
                ledger.collected(Long.parseLong(f.substring(0, f.length() - 4)), true);
            }
            long now = clock.millis();
            for (String f : fetch.missing()) {
                Ledger.Entry en = ledger.get(Long.parseLong(f.substring(0, f.length() - 4)));
                if (++en.logLookups >= vanishPolls && now - en.lastSeenMillis >= vanishMillis) {
                    ledger.collected(en.index, false);
                    LOG.warn("index {} completed on {} but left no log {}/{}", en.index, cluster, remoteDir, f);
                }
            }
        }
        ledger.force();
    }

    // ------------------------------------------------------------------ progress

    private void progress(ClusterRuntime rt, List<Reservation> plan) {
        Map<Ledger.Phase, Integer> c = ledger.counts();
        Map<Ledger.Phase, Integer> mine = ledger.counts(rt.def.name());
        long now = clock.millis();
        while (!endings.isEmpty() && now - endings.peekFirst() > 60_000) {
            endings.pollFirst();
        }
        double windowSeconds = Math.max(1, Math.min(60, (now - startedAt.toEpochMilli()) / 1000.0));
        double rate = endings.size() / windowSeconds;
        int done = c.get(Ledger.Phase.COMPLETED) + c.get(Ledger.Phase.FAILED);
        int left = ledger.size() - done;
        String eta = left == 0 ? "done" : rate > 0 ? "ETA " + human(Duration.ofSeconds((long) Math.ceil(left / rate))) : "ETA unknown";
        int planned = plan.stream().mapToInt(p -> p.chunk().indices().length).sum();
        String counts = mine.get(Ledger.Phase.RUNNING) + "/" + (mine.get(Ledger.Phase.QUEUED) + mine.get(Ledger.Phase.SUBMITTING)) + "/"
                + planned + "/" + done;
        if (!counts.equals(lastProgress.put(rt.def.name(), counts)) || !absent.stalled()) {
            LOG.info("[{}] running {}, queued {}{} | {}: {}/{} completed, {} failed, {} pending | {}/s, {}", rt.def.name(),
                    mine.get(Ledger.Phase.RUNNING), mine.get(Ledger.Phase.QUEUED) + mine.get(Ledger.Phase.SUBMITTING),
                    planned > 0 ? ", submitting " + planned : "", name, c.get(Ledger.Phase.COMPLETED), ledger.size(),
                    c.get(Ledger.Phase.FAILED), c.get(Ledger.Phase.PENDING) + c.get(Ledger.Phase.RESERVED),
                    String.format("%.1f", rate), eta);
        }
    }

    private static String human(Duration d) {
        long s = d.getSeconds();
        return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /**
     * Called every second by the campaign's monitor route: prints the summary once the campaign is
     * finished and all logs are in the inbox, and, with {@code campaign.exitWhenDone}, says when to
     * stop: after the grace period, and with {@code campaign.drainInboxBeforeExit} only once the
     * inbox has stayed empty (the merge route took every log) for the grace period.
     */
    public synchronized boolean tick() {
        if (ledger == null) {
            return false;
        }
        Set<String> declared = new HashSet<>();
        clusters.forEach((n, rt) -> {
            if (!rt.detached) {
                declared.add(n);
            }
        });
        absent.check(name, declared, ledger, clock.millis(), routes.isBlank() ? "the campaign routes file" : routes).forEach(LOG::warn);
        if (!ledger.finished()) {
            return false;
        }
        for (Ledger.Held h : ledger.held().values()) {
            if (h.uncollected().length > 0) {
                return false; // also on a cluster that is not declared (any more): AbsentClusters says so
            }
        }
        if (!summarized) {
            summarized = true;
            writeStatus();
            int missing = 0;
            for (Ledger.Entry en : ledger.entries()) {
                missing += en.logMissing ? 1 : 0;
            }
            String failed = FailureReport.summary(ledger.entries());
            String summary = String.format("campaign %s finished %s after it began: %d jobs, %d completed, %d failed%s; %d log(s) missing;"
                    + " logs in %s", name, human(Duration.between(ledger.created(), clock.instant())), ledger.size(),
                    ledger.count(Ledger.Phase.COMPLETED), ledger.count(Ledger.Phase.FAILED), failed.isEmpty() ? "" : ": " + failed,
                    missing, inboxPath.toAbsolutePath());
            if (failed.isEmpty()) {
                LOG.info(summary);
            } else {
                LOG.warn(summary);
            }
        }
        if (!exitWhenDone) {
            return false;
        }
        long now = clock.millis();
        if (drainInboxBeforeExit && inboxHasLogs()) {
            if (inboxReaders.getAsBoolean()) {
                inboxEmptySince = -1;
                return false;
            }
            if (!noReaderReported) {
                noReaderReported = true;
                LOG.info("campaign.drainInboxBeforeExit=true, but no route reads the inbox {} (routes/results.yaml is not loaded):"
                        + " not waiting for it to drain; the logs stay there", inboxPath.toAbsolutePath());
            }
        }
        if (inboxEmptySince < 0) {
            inboxEmptySince = now;
        }
        return now - inboxEmptySince >= 1000L * Integer.parseInt(exitGraceSeconds.trim());
    }

    private boolean inboxHasLogs() {
        if (!Files.isDirectory(inboxPath)) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(inboxPath, "*.csv")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code <campaign.dir>/status.json} atomically (read by the report page). */
    private void writeStatus() {
        if (ledger == null) {
            return;
        }
        Map<Ledger.Phase, Integer> c = ledger.counts();
        ObjectNode n = JSON.createObjectNode().put("campaign", name).put("updated", clock.instant().toString())
                .put("total", ledger.size())
                .put("pending", c.get(Ledger.Phase.PENDING) + c.get(Ledger.Phase.RESERVED))
                .put("submitted", c.get(Ledger.Phase.SUBMITTING) + c.get(Ledger.Phase.QUEUED))
                .put("running", c.get(Ledger.Phase.RUNNING))
                .put("completed", c.get(Ledger.Phase.COMPLETED))
                .put("failed", c.get(Ledger.Phase.FAILED))
                .put("finished", ledger.finished());
        ArrayNode arr = n.putArray("clusters");
        for (ClusterRuntime rt : clusters.values()) {
            Map<Ledger.Phase, Integer> m = ledger.counts(rt.def.name());
            arr.addObject().put("name", rt.def.name()).put("kind", rt.def.kind()).put("state", rt.state)
                    .put("capacity", rt.def.capacityValue)
                    .put("running", m.get(Ledger.Phase.RUNNING))
                    .put("pending", m.get(Ledger.Phase.QUEUED) + m.get(Ledger.Phase.SUBMITTING) + m.get(Ledger.Phase.RESERVED))
                    .put("completed", m.get(Ledger.Phase.COMPLETED))
                    .put("failed", m.get(Ledger.Phase.FAILED))
                    .put("error", rt.lastError);
        }
        try {
            Files.createDirectories(dirPath);
            Path tmp = dirPath.resolve("status.json.tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
            Files.move(tmp, dirPath.resolve("status.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", dirPath.resolve("status.json"), e.toString());
        }
    }

    // ------------------------------------------------------------------ reading (tests, CLI)

    public synchronized String tag() {
        return ledger.tag();
    }

    public synchronized Path inbox() {
        return inboxPath;
    }

    public synchronized boolean finished() {
        return ledger.finished();
    }

    /** How this run of the campaign ended, for the process's exit code. */
    public synchronized CampaignOutcome outcome() {
        if (ledger == null || !summarized) {
            return CampaignOutcome.UNFINISHED;
        }
        return ledger.count(Ledger.Phase.FAILED) > 0 ? CampaignOutcome.FAILED : CampaignOutcome.COMPLETED;
    }

    /** Counts by phase name (PENDING, RESERVED, SUBMITTING, QUEUED, RUNNING, COMPLETED, FAILED). */
    public synchronized Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        ledger.counts().forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    /** Attempts made per index (for tests and reports). */
    public synchronized Map<Long, Integer> attempts() {
        Map<Long, Integer> out = new TreeMap<>();
        for (Ledger.Entry en : ledger.entries()) {
            out.put(en.index, en.attempts);
        }
        return out;
    }

    /** The phase of each index, by name. */
    public synchronized Map<Long, String> phases() {
        Map<Long, String> out = new TreeMap<>();
        for (Ledger.Entry en : ledger.entries()) {
            out.put(en.index, en.phase.name());
        }
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
