package dev.alphaex.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alphaex.campaign.Campaign;
import dev.alphaex.ssh.Lab;
import dev.alphaex.ssh.SshSessions;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * A whole campaign on the Slurm lab through the project's real routes (routes/alphaex.yaml) and the
 * lab's two clusters as declared in src/test/resources/campaigns/slurm-lab.yaml (cluster-a capacity 12,
 * cluster-b capacity 6), either in this JVM (Camel Main, {@link #start}) or as the real main class in a
 * JVM of its own ({@link #startChild}, which the test can SIGKILL).
 *
 * <p>The lab is on this machine, so one folder serves both sides: {@link #shared} (mode 777, under
 * /tmp/alphaex-it) holds the job script, {@code runs.log} (mode 666: jobs of both lab users append to it),
 * the clusters' results folders and Slurm's output files; {@link #controller} holds the ledger, the inbox
 * and status.json. Nothing is mocked: the jobs reach the lab over SSH and run under Slurm.
 */
public final class LabCampaign implements AutoCloseable {
    public static final String CLUSTERS = "src/test/resources/campaigns/slurm-lab.yaml";
    public static final String TEST_JOB = "src/test/resources/jobs/test-job.sh";
    /** Capacities as slurm-lab.yaml declares them. */
    public static final Map<String, Integer> CAPACITY = Map.of(Lab.A, 12, Lab.B, 6);

    private static final ObjectMapper JSON = new ObjectMapper();

    public final Lab lab;
    public final Path shared;
    public final Path controller;
    public final Path runsLog;
    private final Map<String, String> props = new LinkedHashMap<>();
    private Main main;
    private SshTrace trace;
    private ControllerLog log;

    private LabCampaign(Lab lab, Path shared) {
        this.lab = lab;
        this.shared = shared;
        this.controller = shared.resolve("controller");
        this.runsLog = shared.resolve("runs.log");
    }

    /**
     * A fresh shared folder for one campaign with {@code script} (a file of src/test/resources/jobs) as
     * its job, and the properties of a campaign of {@code jobs} (e.g. {@code [[0,299]]}).
     */
    public static LabCampaign prepare(String name, String script, String jobs) throws IOException {
        Lab lab = Lab.require();
        Path root = Files.createDirectories(Path.of("/tmp/alphaex-it"));
        Path shared = Files.createTempDirectory(root, name + "-");
        LabCampaign c = new LabCampaign(lab, shared);
        openToAll(shared);
        openToAll(Files.createDirectories(shared.resolve("out")));
        Files.createDirectories(c.controller);
        Path job = shared.resolve(Path.of(script).getFileName());
        Files.copy(Path.of(script), job);
        Files.setPosixFilePermissions(job, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createFile(c.runsLog);
        Files.setPosixFilePermissions(c.runsLog, PosixFilePermissions.fromString("rw-rw-rw-"));

        Map<String, String> p = c.props;
        p.put("camel.main.routesIncludePattern", "file:routes/alphaex.yaml,file:" + CLUSTERS);
        p.put("camel.main.routesReloadEnabled", "false");
        p.put("camel.main.durationMaxSeconds", "0");
        p.put("alphaex.ssh.config", lab.sshConfig.toString());
        p.put("slurmit.dir", shared.toString());
        p.put("slurmit.period", "1000");
        p.put("campaign.routes", CLUSTERS);
        p.put("campaign.name", name);
        p.put("campaign.dir", c.controller.toString());
        p.put("campaign.inbox", c.controller.resolve("inbox").toString());
        p.put("campaign.sweep", "");
        p.put("campaign.jobs", jobs);
        p.put("campaign.script", job.getFileName().toString()); // relative to the clusters' workDir (shared)
        p.put("campaign.args", "");
        p.put("campaign.exports", exports(Map.of("RUNS_LOG", c.runsLog.toString(), "JOB_SLEEP", "0.5")));
        p.put("campaign.maxAttempts", "3");
        p.put("campaign.exitWhenDone", "false");
        p.put("campaign.drainInboxBeforeExit", "false"); // no results routes here: nobody drains the inbox
        return c;
    }

    private static void openToAll(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** campaign.exports as JSON. */
    public static String exports(Map<String, String> vars) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(vars));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The campaign's properties (overrides of config/application.properties); change them before starting. */
    public Map<String, String> props() {
        return props;
    }

    public LabCampaign set(String key, String value) {
        props.put(key, value);
        return this;
    }

    /** Starts Camel Main in this JVM on the real routes with these properties, its SSH exchanges traced. */
    public LabCampaign start() throws Exception {
        log = ControllerLog.to(controller.resolve("controller.log"));
        main = new Main();
        main.setPropertyPlaceholderLocations("file:config/application.properties");
        props.forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                trace = SshTrace.on(m.getCamelContext());
            }
        });
        main.start();
        return this;
    }

    /** The in-JVM controller's log (INFO), also in controller/controller.log. */
    public String log() throws IOException {
        return log == null ? "" : log.text();
    }

    /** The exchanges the routes sent to the clusters (in-JVM controller only). */
    public SshTrace trace() {
        return trace;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Campaign campaign() {
        return context().getRegistry().lookupByNameAndType("campaign", Campaign.class);
    }

    public SshSessions sessions() {
        return context().getRegistry().lookupByNameAndType("sshSessions", SshSessions.class);
    }

    /** Starts the real main class (dev.alphaex.AlphaExMain) in a JVM of its own, its log (INFO) in controller/. */
    public Process startChild(String logName) throws IOException {
        return new ProcessBuilder(childCommand()).redirectErrorStream(true).redirectOutput(controller.resolve(logName).toFile())
            .start();
    }

    /**
     * As {@link #startChild}, without a controlling terminal ({@code setsid}), as a service, cron or CI starts it:
     * a login that asks a question has nobody to ask, whatever terminal the test itself runs in.
     */
    public Process startWithoutTerminal(String logName) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        cmd.addAll(childCommand());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(controller.resolve(logName).toFile()).start();
    }

    /** The command line of the real main class with the campaign's properties (e.g. to start it on a pseudo-terminal). */
    public List<String> childCommand() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            "-Dlog4j2.configurationFile=src/main/resources/log4j2.properties"));
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("dev.alphaex.AlphaExMain");
        return cmd;
    }

    /** Runs the campaign on the clusters of {@code routesFile} (instead of {@link #CLUSTERS}). */
    public LabCampaign clusters(String routesFile) {
        props.put("camel.main.routesIncludePattern", "file:routes/alphaex.yaml,file:" + routesFile);
        props.put("campaign.routes", routesFile);
        return this;
    }

    /** The campaign's tag (the ledger's first event), null until the ledger is written. */
    public String tag() {
        try {
            Path ledger = controller.resolve("ledger.jsonl");
            String text = Files.exists(ledger) ? Files.readString(ledger) : "";
            int nl = text.indexOf('\n');
            return nl < 0 ? null : JSON.readTree(text.substring(0, nl)).path("tag").asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** status.json as the controller last wrote it (null before the first write). */
    public JsonNode status() {
        try {
            return JSON.readTree(controller.resolve("status.json").toFile());
        } catch (IOException e) {
            return null;
        }
    }

    /** The state status.json reports for a cluster ("" when not listed yet). */
    public String clusterState(String cluster) {
        return cluster(cluster).path("state").asText();
    }

    /** The cluster's entry in status.json (a missing node when not listed yet). */
    public JsonNode cluster(String cluster) {
        JsonNode s = status();
        if (s != null) {
            for (JsonNode c : s.path("clusters")) {
                if (c.path("name").asText().equals(cluster)) {
                    return c;
                }
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    public int completed() {
        JsonNode s = status();
        return s == null ? 0 : s.path("completed").asInt();
    }

    /** How many times each index started, from the jobs' own runs.log (index job task base campaign). */
    public Map<Long, Integer> starts() throws IOException {
        Map<Long, Integer> out = new TreeMap<>();
        for (String line : Files.readAllLines(runsLog)) {
            if (!line.isBlank()) {
                out.merge(Long.parseLong(line.split(" ")[0]), 1, Integer::sum);
            }
        }
        return out;
    }

    /**
     * Stops or starts one daemon of the lab ({@code .ci/slurm-lab/daemon.sh ACTION DAEMON a|b}; needs root, as
     * the lab does). Start waits until the cluster answers squeue again.
     */
    public static void daemon(String action, String daemon, String cluster) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(".ci/slurm-lab/daemon.sh", action, daemon, cluster).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(".ci/slurm-lab/daemon.sh " + action + " " + daemon + " " + cluster + " failed (it needs root,"
                + " as the lab does): " + out);
        }
    }

    public static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Stops the in-JVM controller (if started). */
    public void stop() throws Exception {
        if (main != null) {
            main.stop();
            main = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** Deletes the shared folder (call after a passing test; a failing one leaves it to look at). */
    public void delete() throws IOException {
        Files.walkFileTree(shared, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
