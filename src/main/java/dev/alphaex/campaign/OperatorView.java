package dev.alphaex.campaign;

import dev.alphaex.cluster.Check;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.ClusterRegistry;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.DoctorInput;
import dev.alphaex.cluster.Preflight;
import dev.alphaex.codesync.CodeSync;
import dev.alphaex.codesync.SyncRefused;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A campaign as the command line's operator commands see it, with the controller's own configuration (the same
 * properties, routes file, kinds and transports): its ledger read without writing or locking anything, its declared
 * clusters, each cluster's preflight (doctor), and a campaign engine of the command's own for the changes a command
 * makes itself when no controller runs ({@link #headless()}).
 */
public final class OperatorView {
    private final CampaignConfig config;
    private final Function<String, String> properties;
    private final ClusterRegistry registry;
    private final Map<String, ClusterRuntime> clusters = new LinkedHashMap<>();

    private OperatorView(CampaignConfig config, Function<String, String> properties, ClusterRegistry registry) {
        this.config = config;
        this.properties = properties;
        this.registry = registry;
    }

    /**
     * Binds the configuration and the routes file's clusters, as a controller would.
     *
     * @param source       the properties file (named in errors)
     * @param properties   a property by its full name, or null (placeholders resolved)
     * @param placeholders resolves {@code {{...}}} in the routes file's values
     * @param given        the properties the command line gave, with how (named in errors: -Dcampaign.script, --campaign)
     * @throws IllegalArgumentException naming the file, property or cluster that is wrong
     */
    public static OperatorView open(String source, Function<String, String> properties, UnaryOperator<String> placeholders,
                                    ClusterRegistry registry, Map<String, String> given) {
        OperatorView v = new OperatorView(CampaignConfig.load(source, properties, given), properties, registry);
        String routes = v.config.settings.routes();
        for (Map<String, String> params : ClusterFile.clusters(Path.of(routes), placeholders)) {
            ClusterSettings def = ClusterSettings.bind(params, routes);
            ClusterKind kind;
            try {
                kind = registry.kind(def.kind());
                kind.check(def, v.config.defaults);
                ClusterRuntime rt = new ClusterRuntime(def, kind, registry.transport(def.transport().isBlank() ? kind.defaultTransport()
                        : def.transport()), kind.paths(def, v.config.defaults), null);
                if (v.clusters.put(def.name(), rt) != null) {
                    throw new IllegalArgumentException(def.where() + ": two clusters are named '" + def.name() + "'");
                }
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith("unknown ") ? new IllegalArgumentException(def.where() + ": " + e.getMessage(), e) : e;
            }
        }
        return v;
    }

    public String name() {
        return config.settings.name();
    }

    public Path dir() {
        return config.dir;
    }

    public Path ledgerFile() {
        return config.ledgerFile();
    }

    /** The routes file with the campaign's clusters. */
    public String routes() {
        return config.settings.routes();
    }

    /** The declared clusters' names, in the file's order. */
    public List<String> clusterNames() {
        return new ArrayList<>(clusters.keySet());
    }

    /**
     * The declared clusters, or only {@code name}.
     *
     * @throws IllegalArgumentException for a name the routes file does not declare
     */
    public List<String> select(String name) {
        if (name == null || name.isBlank()) {
            return clusterNames();
        }
        if (!clusters.containsKey(name)) {
            throw new IllegalArgumentException("cluster '" + name + "' is not in " + routes() + " (its clusters: "
                    + (clusters.isEmpty() ? "none" : String.join(", ", clusters.keySet())) + ")");
        }
        return List.of(name);
    }

    /** True when the campaign has a ledger (it started at least once). */
    public boolean started() {
        return Files.isRegularFile(ledgerFile());
    }

    /**
     * The campaign's ledger as it is now, read without writing or locking.
     *
     * @throws IllegalArgumentException when the campaign has no ledger there (an unknown campaign), or the ledger is
     *                                  another campaign's
     */
    public LedgerState ledger() {
        if (!started()) {
            throw new IllegalArgumentException("no campaign '" + name() + "' in " + dir() + " (no " + Ledger.FILE + " there): it has"
                    + " not started, or it is another folder: name it with --campaign NAME or --dir DIR" + others());
        }
        LedgerState s = LedgerState.replay(ledgerFile());
        if (s.campaign() != null && !s.campaign().equals(name())) {
            throw new IllegalArgumentException(ledgerFile() + " is campaign '" + s.campaign() + "', not '" + name() + "': use"
                    + " --campaign " + s.campaign());
        }
        return s;
    }

    /** "; campaigns in work/: a, b" (folders beside this one that hold a ledger). */
    private String others() {
        Path parent = dir().toAbsolutePath().getParent();
        List<String> found = new ArrayList<>();
        if (parent != null && Files.isDirectory(parent)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
                for (Path p : ds) {
                    if (Files.isRegularFile(p.resolve(Ledger.FILE))) {
                        found.add(p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                return "";
            }
        }
        java.util.Collections.sort(found);
        return found.isEmpty() ? "" : "; campaigns in " + parent + ": " + String.join(", ", found);
    }

    /** The controller that runs the campaign now ("pid 123 on host, started ..."), if one does. */
    public Optional<String> controller() {
        return ControllerLock.liveHolder(dir());
    }

    /** The status report ({@link StatusReport}), for {@code alphaex status}. */
    public StatusReport status() {
        LedgerState s = ledger();
        return new StatusReport(this, s, config, clusters);
    }

    // ------------------------------------------------------------------ doctor

    /** One cluster's preflight: the way there (transport), its code sync (with {@code sync}: it runs), its own checks. */
    public record Doctor(String cluster, String kind, String transport, List<Check> checks, Preflight preflight) {
        public boolean ok() {
            return checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL);
        }
    }

    /**
     * The preflight of a declared cluster: the transport's checks (alias, host key, login, second factor), then the
     * code sync's (with {@code sync} true it runs, as the controller would before the first submission; else only
     * what it would sync is named), then the kind's checks there (one command, changing nothing).
     */
    public Doctor doctor(String cluster, boolean sync) {
        ClusterRuntime rt = clusters.get(select(cluster).get(0));
        List<Check> checks = new ArrayList<>(rt.line.transport().doctor(rt.line.address()));
        boolean reached = checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL);
        Preflight p = null;
        if (reached) {
            checks.add(code(rt, sync));
            DoctorInput input = Readiness.input(config.defaults.sweep(), config.slimJar);
            try {
                String command = rt.kind.doctorCommand(rt.def, rt.paths, input);
                CommandResult answer = command == null ? null : rt.line.transport().exec(rt.line.address(), command, rt.line.timeout());
                p = rt.kind.doctor(rt.def, rt.paths, input, answer);
                checks.addAll(p.checks());
            } catch (ClusterException e) {
                checks.add(Check.fail("cluster", e.getMessage(), e.kind() == ClusterException.Kind.PAUSED
                        ? "answer its login (a terminal) or start its master connection" : "try again later"));
            }
        }
        return new Doctor(rt.name(), rt.def.kind(), rt.line.transport().name(), checks, p);
    }

    private Check code(ClusterRuntime rt, boolean run) {
        try {
            CodeSync sync = CodeSync.of(rt.def, rt.paths, rt.line.address(), Files.isRegularFile(config.slimJar) ? config.slimJar : null);
            if (sync == null) {
                return Check.skipped("code", "no sync: the code in " + rt.paths.workDir() + " is put there by hand");
            }
            if (!run) {
                return Check.ok("code", sync.description() + " (runs before the first submission; doctor --sync runs it now)"
                        + (sync.note() == null ? "" : "; " + sync.note()));
            }
            String code = sync.run(rt.line.transport(), rt.line.timeout());
            return Check.ok("code", sync.description() + ": " + code + (sync.copied() > 0 ? " (" + sync.copied() + " file(s) copied)" : ""));
        } catch (SyncRefused e) {
            return Check.fail("code", e.getMessage(), "see the message; nothing was changed there");
        } catch (ClusterException e) {
            return Check.fail("code", e.getMessage(), "try again when the cluster answers");
        }
    }

    // ------------------------------------------------------------------ plan

    /** The dry run ({@link DryRun}) over the given doctors' facts. */
    public DryRun plan(Map<String, Doctor> doctors) {
        return DryRun.of(config, started() ? ledger() : null, clusters, doctors);
    }

    // ------------------------------------------------------------------ changes

    /**
     * A campaign engine of this command's own, for a change it makes itself because no controller runs: started as a
     * controller starts (it takes the controller lock: {@link CampaignHeldException} when a controller holds it), with
     * every declared cluster registered. Never submits: nothing calls its readiness step. Close it when done.
     */
    public Campaign headless() {
        Campaign c = new Campaign();
        c.setSource(config.source);
        c.setProperties(properties);
        c.setClusters(registry);
        c.start();
        try {
            for (ClusterRuntime rt : clusters.values()) {
                c.register(rt.def);
            }
        } catch (RuntimeException e) {
            try {
                c.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return c;
    }

    /**
     * Drives a headless campaign's clusters as their routes would, without submitting: each tick a cluster's call (a
     * cancel it owes, a poll) goes out over its transport and its answer is applied, and logs of completed tasks come in;
     * until {@code done} says so or {@code wait} has passed.
     *
     * @return true when {@code done} said so in time
     */
    public static boolean drive(Campaign c, Duration wait, java.util.function.Predicate<LedgerState> done) throws InterruptedException {
        Transmit transmit = new Transmit();
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            for (String cluster : c.clusterNames()) {
                ClusterCall call = c.poll(cluster);
                if (call instanceof ClusterCall.Nothing) {
                    continue;
                }
                Answer answer;
                try {
                    answer = transmit.send(call);
                } catch (ClusterException e) {
                    answer = transmit.unanswered(call, e);
                }
                if (c.apply(answer).outcome() == Plan.Outcome.ANSWERED) {
                    c.collect(cluster);
                }
            }
            if (c.test(done)) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(500);
        }
    }
}
