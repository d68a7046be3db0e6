package dev.alphaex.codesync;

import dev.alphaex.files.Sha256;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.Transport;
import dev.alphaex.ssh.Shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Code sync {@code upload}: a local folder copied to the cluster's workDir over the cluster's own transport, only the
 * files whose content differs there. The folder's files (not {@code .git}, not symbolic links) are hashed here
 * (SHA-256) into a manifest in {@code sha256sum} format; the manifest goes first, {@code sha256sum -c} there names
 * the files that are missing or differ, only those are copied (each through a temporary name), and a second
 * {@code sha256sum -c} proves every file is in place before the manifest is kept as {@value #MANIFEST}. The code
 * version is the manifest's own SHA-256 ("upload:&lt;sha256&gt;"). Files there that are not in the folder are left
 * alone.
 */
final class UploadSync {
    static final String MANIFEST = ".alphaex-upload.sha256";

    private final String workDir;
    private final Path source;
    /** Extra files: their path relative to workDir -> the local file (the slim jar). */
    private final Map<String, Path> extra;
    /** How many files the last {@link #run} copied. */
    int lastCopied;

    UploadSync(String workDir, Path source, Map<String, Path> extra) {
        this.workDir = workDir;
        this.source = source;
        this.extra = extra;
    }

    /** Relative path -> local file, sorted; the folder's files and the extra ones. */
    Map<String, Path> files() throws SyncRefused {
        if (!Files.isDirectory(source)) {
            throw new SyncRefused("sync upload: the source folder " + source.toAbsolutePath() + " does not exist");
        }
        Map<String, Path> out = new TreeMap<>();
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName() != null && dir.getFileName().toString().equals(".git") ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        out.put(source.relativize(file).toString().replace('\\', '/'), file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("sync upload: cannot read " + source + ": " + e.getMessage(), e);
        }
        extra.forEach((rel, file) -> {
            if (Files.isRegularFile(file)) {
                out.put(rel, file);
            }
        });
        for (String rel : out.keySet()) {
            if (rel.contains("\n") || rel.contains("\\")) {
                throw new SyncRefused("sync upload: " + rel + " has a line break or a backslash in its name, which sha256sum"
                        + " cannot list: rename it");
            }
        }
        return out;
    }

    /** The manifest text: "&lt;sha256&gt;  &lt;path&gt;" per file, sorted by path. */
    static String manifest(Map<String, Path> files) {
        StringBuilder sb = new StringBuilder();
        files.forEach((rel, file) -> sb.append(sha256(file)).append("  ").append(rel).append('\n'));
        return sb.toString();
    }

    /**
     * Copies what differs and returns the manifest's SHA-256.
     *
     * @throws SyncRefused a folder or file that cannot be copied, or files still different after the copy
     */
    String run(Transport transport, String address, Duration timeout) throws ClusterException, SyncRefused {
        Map<String, Path> files = files();
        String manifest = manifest(files);
        String w = Shell.quotePath(workDir);
        Path local;
        try {
            local = Files.createTempFile("alphaex-upload", ".sha256");
            Files.writeString(local, manifest, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            CommandResult mk = transport.exec(address, "mkdir -p " + w, timeout);
            if (mk.exitCode() != 0) {
                throw new SyncRefused("sync upload: cannot create " + workDir + " on " + address + ": " + mk.stderr().strip());
            }
            transport.upload(address, Map.of(local, remote(MANIFEST + ".new")));
            CommandResult check = transport.exec(address, "cd " + w + " && { command -v sha256sum >/dev/null || { echo 'no sha256sum';"
                    + " exit 2; }; sha256sum -c " + MANIFEST + ".new 2>/dev/null | grep -v ': OK$'; true; }", timeout);
            if (check.exitCode() != 0) {
                throw new SyncRefused("sync upload to " + workDir + " on " + address + ": " + (check.stdout() + check.stderr()).strip());
            }
            Map<Path, String> copy = new LinkedHashMap<>();
            for (String line : check.stdout().split("\\R")) {
                int cut = line.lastIndexOf(": FAILED");
                if (cut > 0 && files.containsKey(line.substring(0, cut))) {
                    copy.put(files.get(line.substring(0, cut)), remote(line.substring(0, cut)));
                }
            }
            if (!copy.isEmpty()) {
                transport.upload(address, copy);
            }
            CommandResult verify = transport.exec(address, "cd " + w + " && sha256sum -c --quiet " + MANIFEST + ".new && mv -f "
                    + MANIFEST + ".new " + MANIFEST, timeout);
            if (verify.exitCode() != 0) {
                throw new SyncRefused("sync upload to " + workDir + " on " + address + ": files still differ after the copy: "
                        + (verify.stdout() + verify.stderr()).strip());
            }
            lastCopied = copy.size();
            return Sha256.of(manifest);
        } finally {
            try {
                Files.deleteIfExists(local);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    private String remote(String rel) {
        return workDir.equals(".") || workDir.isEmpty() ? rel : workDir + "/" + rel;
    }

    private static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
