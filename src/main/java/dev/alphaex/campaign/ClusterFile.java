package dev.alphaex.campaign;

import dev.alphaex.cluster.ClusterSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the campaign routes file (campaign.routes) before Camel reads it, with the YAML parser Camel uses,
 * for what Camel would take without a word: a top level that is not a list (Camel then loads no route at
 * all, so the campaign waited for ever with no cluster), a cluster parameter the template does not have
 * ({@code capacityy}: Camel ignores it) and a parameter given twice (Camel takes one). Each error names the
 * file, the line, the cluster and what to write instead.
 */
public final class ClusterFile {
    /** The parameters of the {@code cluster} route template in routes/alphaex.yaml (a test holds the two together). */
    public static final List<String> PARAMETERS = ClusterSettings.PARAMETERS;

    private final Path file;

    private ClusterFile(Path file) {
        this.file = file;
    }

    /**
     * Checks the routes file {@code file}, if it exists (Camel reports a missing one).
     *
     * @throws IllegalArgumentException naming the file, the line and what is wrong
     */
    public static void check(Path file) {
        if (Files.isRegularFile(file)) {
            try {
                check(file, Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Checks the text of the routes file {@code file}.
     *
     * @throws IllegalArgumentException naming the file, the line and what is wrong
     */
    public static void check(Path file, String text) {
        new ClusterFile(file).check(text);
    }

    private void check(String text) {
        Optional<Node> root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            root = composer.getSingleNode();
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(file + ": malformed YAML: " + e.getMessage().trim());
        }
        if (root.isEmpty()) {
            return;
        }
        if (!(root.get() instanceof SequenceNode)) {
            throw error(root.get(), "the top level must be a list of routes ('- templatedRoute: ...'), found a "
                    + kind(root.get()) + "; without the '- ' Camel loads no route from the file");
        }
        int n = 0;
        for (Node item : ((SequenceNode) root.get()).getValue()) {
            n++;
            Node templated = value(item, "templatedRoute");
            if (templated instanceof MappingNode && "cluster".equals(scalar(value(templated, "routeTemplateRef")))) {
                checkCluster(templated, n);
            }
        }
    }

    private void checkCluster(Node templated, int n) {
        Node parameters = value(templated, "parameters");
        if (!(parameters instanceof SequenceNode)) {
            return; // Camel names the file and line of a parameters value of the wrong kind
        }
        String cluster = null;
        for (Node p : ((SequenceNode) parameters).getValue()) {
            if ("name".equals(scalar(value(p, "name")))) {
                cluster = scalar(value(p, "value"));
            }
        }
        String label = cluster != null ? "cluster '" + cluster + "'" : "cluster " + n + " (no name parameter)";
        Map<String, Integer> lines = new HashMap<>();
        for (Node p : ((SequenceNode) parameters).getValue()) {
            String name = scalar(value(p, "name"));
            if (name == null) {
                continue;
            }
            if (!PARAMETERS.contains(name)) {
                String like = similar(name);
                throw error(p, label + ": unknown parameter '" + name + "'" + (like == null ? "" : " (did you mean " + like + "?)")
                        + "; the cluster template's parameters are " + String.join(", ", PARAMETERS));
            }
            Integer first = lines.putIfAbsent(name, line(p));
            if (first != null) {
                throw error(p, label + ": parameter '" + name + "' is given twice (first on line " + first + "); keep one");
            }
        }
    }

    /** A known parameter within two edits of {@code name}, or one that differs only in case. */
    private static String similar(String name) {
        for (String known : PARAMETERS) {
            if (known.equalsIgnoreCase(name) || distance(known.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)) <= 2) {
                return known;
            }
        }
        return null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Node value(Node mapping, String key) {
        if (mapping instanceof MappingNode) {
            for (NodeTuple t : ((MappingNode) mapping).getValue()) {
                if (key.equals(scalar(t.getKeyNode()))) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode ? ((ScalarNode) node).getValue() : null;
    }

    private static String kind(Node node) {
        return node instanceof MappingNode ? "mapping" : node instanceof ScalarNode ? "text" : "list";
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private IllegalArgumentException error(Node at, String problem) {
        return new IllegalArgumentException(file + ":" + line(at) + ": " + problem);
    }
}
