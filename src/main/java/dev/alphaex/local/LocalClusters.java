package dev.alphaex.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.Transport;
import dev.alphaex.files.AtomicFile;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local clusters of this controller, by name, each under {@code root/<name>}, and their
 * {@link Transport} named {@code local}: {@link #exec} answers a {@link LocalProtocol} command as a remote
 * shell would answer a Slurm command (exit status, standard output, standard error), and {@link #fetch}
 * moves finished tasks' logs into the inbox. The address is the cluster's name.
 */
public final class LocalClusters implements Transport {
    /** The transport's name, the default of local clusters. */
    public static final String NAME = "local";

    private final Path root;
    private final Map<String, LocalCluster> clusters = new HashMap<>();

    /** @param root the folder under which each local cluster keeps its jobs ({@code <root>/<name>}) */
    public LocalClusters(String root) {
        this.root = Path.of(root);
    }

    private synchronized LocalCluster cluster(String name) {
        return clusters.computeIfAbsent(name, n -> new LocalCluster(n, root.resolve(n)));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Runs one command of {@link LocalProtocol} on the named cluster (at once: the time limit does not apply). */
    @Override
    public CommandResult exec(String cluster, String command, Duration timeout) {
        return exec(cluster, command);
    }

    /** Runs one command of {@link LocalProtocol} on the named cluster. */
    public CommandResult exec(String cluster, String command) {
        try {
            JsonNode c = LocalProtocol.JSON.readTree(command);
            LocalCluster lc = cluster(cluster);
            ObjectNode out = LocalProtocol.JSON.createObjectNode();
            switch (c.path("op").asText()) {
                case "info":
                    facts(lc, c, out);
                    break;
                case "poll": {
                    if (c.path("facts").asBoolean()) {
                        facts(lc, c, out.putObject("facts"));
                    }
                    List<String> jobs = new ArrayList<>();
                    c.path("jobs").forEach(j -> jobs.add(j.asText()));
                    out.set("tasks", lc.poll(c.get("tag").asText(), jobs, c.path("byTag").asBoolean()));
                    break;
                }
                case "submit": {
                    String script = c.get("script").asText();
                    Path scriptPath = Path.of(c.path("workDir").asText(".")).resolve(script);
                    if (!Files.isRegularFile(scriptPath)) {
                        return new CommandResult(1, "", "sbatch: error: Unable to open file " + script);
                    }
                    lc.slots(c.path("slots").asInt(1));
                    out.put("job", Long.toString(lc.submit((ObjectNode) c)));
                    break;
                }
                case "cancel":
                    out.put("cancelled", lc.cancel(c.get("tag").asText()));
                    break;
                case "takeback": {
                    List<Long> tasks = new ArrayList<>();
                    c.path("tasks").forEach(t -> tasks.add(t.asLong()));
                    lc.takeBack(c.path("job").asLong(), tasks, out);
                    break;
                }
                default:
                    return new CommandResult(2, "", "unknown local command: " + command);
            }
            return new CommandResult(0, out.toString(), "");
        } catch (IOException | RuntimeException e) {
            return new CommandResult(1, "", e.toString());
        }
    }

    /** The cluster's facts (and its number of slots, from the command). */
    private static void facts(LocalCluster lc, JsonNode command, ObjectNode out) throws IOException {
        lc.slots(command.path("slots").asInt(1));
        out.put("maxArrayIndex", LocalProtocol.MAX_ARRAY_INDEX).put("description", "local processes on "
                + InetAddress.getLocalHost().getHostName() + ", " + command.path("slots").asInt(1) + " at a time");
    }

    /** Moves each named log from {@code folder} into the inbox ({@link #collect}); one not there is missing. */
    @Override
    public LogFetch fetch(String cluster, String folder, List<String> names, Path inbox) {
        List<String> fetched = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try {
                (collect(Path.of(folder), name, inbox) ? fetched : missing).add(name);
            } catch (IOException e) {
                missing.add(name);
            }
        }
        return new LogFetch(fetched, missing, List.of());
    }

    /**
     * Moves a finished task's log into the inbox atomically.
     *
     * @return false when the log is not there
     */
    public boolean collect(Path results, String name, Path inbox) throws IOException {
        Path source = results.resolve(name);
        try {
            AtomicFile.moveInto(source, inbox, name);
            return true;
        } catch (NoSuchFileException e) {
            // moved by an earlier controller that died before it could record it, and maybe merged since
            return !Files.exists(source) && delivered(inbox, name);
        }
    }

    /** The log is in the inbox, or was taken from it by the results route (into done/ or error/). */
    private static boolean delivered(Path inbox, String name) {
        return Files.exists(inbox.resolve(name)) || Files.exists(inbox.resolve("done").resolve(name))
                || Files.exists(inbox.resolve("error").resolve(name));
    }
}
