package dev.alphaex.campaign;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Campaign routes files for the reload tests: local clusters, and edits saved the way editors save them. */
final class RoutesFiles {
    private RoutesFiles() {
    }

    /** A local cluster polled every 100 ms, with route id {@code cluster-<name>}. */
    static String localCluster(String name, int capacity) {
        return "- templatedRoute:\n"
                + "    routeTemplateRef: cluster\n"
                + "    routeId: cluster-" + name + "\n"
                + "    parameters:\n"
                + "      - {name: name, value: " + name + "}\n"
                + "      - {name: kind, value: local}\n"
                + "      - {name: capacity, value: \"" + capacity + "\"}\n"
                + "      - {name: period, value: \"100\"}\n";
    }

    /** Saves {@code yaml} as an editor does: a new file (outside the watched folder) moved over the old one. */
    static void edit(Path file, String yaml) throws Exception {
        Path edited = file.toAbsolutePath().getParent().resolveSibling(file.getFileName() + ".new");
        Files.writeString(edited, yaml);
        Files.move(edited, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
