package dev.alphaex.codesync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Questions to the local repository (the {@code git} program): its HEAD, a commit's full id, its origin, its changes. */
final class LocalGit {
    private final Path dir;

    LocalGit(Path dir) {
        this.dir = dir;
    }

    /** git's output (trimmed), or null when git failed or is not there. */
    String ask(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out.strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The full id of {@code rev} (a commit, tag or branch) in the local repository, or null. */
    String commit(String rev) {
        return ask("rev-parse", "--verify", "--quiet", rev + "^{commit}");
    }

    /** The local repository's origin URL, or null. */
    String origin() {
        String url = ask("config", "--get", "remote.origin.url");
        return url == null || url.isEmpty() ? null : url;
    }

    /** True when tracked files have changes not committed. */
    boolean dirty() {
        String s = ask("status", "--porcelain", "--untracked-files=no");
        return s != null && !s.isEmpty();
    }
}
