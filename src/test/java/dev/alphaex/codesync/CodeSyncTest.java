package dev.alphaex.codesync;

import dev.alphaex.cluster.ClusterPaths;
import dev.alphaex.cluster.ClusterSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Code sync with the real git and sh (the commands a login node runs, here without SSH): git to a bare repository at a
 * pinned commit, a dirty tree refused, a checkout of someone else's left alone; upload copying only what changed.
 */
class CodeSyncTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private Path home;
    private Path work;
    private Path bare;
    private LocalShell shell;

    @BeforeEach
    void repositories() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        work = Files.createDirectories(tmp.resolve("local"));
        bare = tmp.resolve("repo.git");
        git(tmp, "init", "-q", "--bare", bare.toString());
        git(work, "init", "-q");
        git(work, "remote", "add", "origin", bare.toString());
        Files.writeString(work.resolve("run.sh"), "#!/bin/sh\necho one\n");
        commit("one");
        git(work, "push", "-q", "origin", "HEAD:refs/heads/main");
        shell = new LocalShell(home);
    }

    private String commit(String message) throws Exception {
        git(work, "add", "-A");
        git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message);
        return git(work, "rev-parse", "HEAD").strip();
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("git " + String.join(" ", args) + ": " + out).isTrue();
        return out;
    }

    private CodeSync sync(Map<String, String> params) throws SyncRefused {
        Map<String, Object> all = new LinkedHashMap<>(Map.of("name", "a", "kind", "slurm", "capacity", "4", "workDir", "proj"));
        all.putAll(params);
        ClusterSettings c = ClusterSettings.bind(all, "routes/test.yaml");
        return CodeSync.of(c, new ClusterPaths("proj", "run.sh", "results", "proj/results", null), "a", null);
    }

    @Test
    void gitClonesThePinnedCommitThenStaysOrMovesItsOwnCleanCheckout() throws Exception {
        String first = git(work, "rev-parse", "HEAD").strip();
        Files.writeString(work.resolve("run.sh"), "#!/bin/sh\necho two\n");
        String second = commit("two");
        git(work, "push", "-q", "origin", "HEAD:refs/heads/main");

        CodeSync pinned = sync(Map.of("sync", "git", "repo", bare.toString(), "commit", first, "source", work.toString()));
        assertThat(pinned.description()).isEqualTo("git " + bare + " at " + first);
        assertThat(pinned.run(shell, LIMIT)).isEqualTo("git:" + first);
        assertThat(Files.readString(home.resolve("proj/run.sh"))).isEqualTo("#!/bin/sh\necho one\n");
        assertThat(pinned.run(shell, LIMIT)).as("already there: nothing changes").isEqualTo("git:" + first);
        Files.createDirectories(home.resolve("proj/results"));
        Files.writeString(home.resolve("proj/results/0.csv"), "step\n1\n"); // untracked results do not make it dirty

        CodeSync head = sync(Map.of("sync", "git", "source", work.toString())); // repo: the local origin; commit: the local HEAD
        assertThat(head.run(shell, LIMIT)).as("its own clean checkout moves to the new commit").isEqualTo("git:" + second);
        assertThat(Files.readString(home.resolve("proj/run.sh"))).isEqualTo("#!/bin/sh\necho two\n");
        assertThat(home.resolve("proj/results/0.csv")).exists();
    }

    @Test
    void aDirtyTreeOrSomeoneElsesCheckoutIsRefusedAndLeftAsItWas() throws Exception {
        String first = git(work, "rev-parse", "HEAD").strip();
        CodeSync pinned = sync(Map.of("sync", "git", "repo", bare.toString(), "commit", first, "source", work.toString()));
        pinned.run(shell, LIMIT);
        Files.writeString(home.resolve("proj/run.sh"), "#!/bin/sh\necho edited on the cluster\n");
        Files.writeString(work.resolve("run.sh"), "#!/bin/sh\necho two\n");
        String second = commit("two");
        git(work, "push", "-q", "origin", "HEAD:refs/heads/main");
        CodeSync next = sync(Map.of("sync", "git", "repo", bare.toString(), "commit", second, "source", work.toString()));
        assertThatThrownBy(() -> next.run(shell, LIMIT)).isInstanceOf(SyncRefused.class)
                .hasMessage("proj on a has changes to tracked files (M run.sh): commit, stash or discard them there yourself (AlphaEx"
                        + " never resets a tree), then start the campaign again");
        assertThat(Files.readString(home.resolve("proj/run.sh"))).as("untouched").contains("edited on the cluster");

        git(home.resolve("proj"), "checkout", "-q", "--", "run.sh");
        git(home.resolve("proj"), "checkout", "-q", "-b", "mine");
        Files.writeString(home.resolve("proj/.git/alphaex-sync"), "0000\n"); // not the checkout the sync made
        assertThatThrownBy(() -> next.run(shell, LIMIT)).isInstanceOf(SyncRefused.class)
                .hasMessageStartingWith("proj on a is at commit " + first + " (branch mine), not " + second + ", and it is not a"
                        + " checkout this sync made: check " + second + " out there yourself");
        assertThat(git(home.resolve("proj"), "rev-parse", "HEAD").strip()).isEqualTo(first);

        CodeSync unknown = sync(Map.of("sync", "git", "repo", bare.toString(), "commit", "1234567890123456789012345678901234567890",
                "source", work.toString()));
        Files.writeString(home.resolve("proj/.git/alphaex-sync"), first + "\n");
        assertThatThrownBy(() -> unknown.run(shell, LIMIT)).hasMessageStartingWith("commit 1234567890123456789012345678901234567890 is not"
                + " in " + bare);
    }

    @Test
    void uploadCopiesOnlyWhatDiffersThereAndNamesTheContentByItsHash() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("jobs"));
        Files.writeString(src.resolve("run.sh"), "#!/bin/sh\necho one\n");
        Files.createDirectories(src.resolve("lib"));
        Files.writeString(src.resolve("lib/a b.txt"), "a");
        Files.createDirectories(src.resolve(".git"));
        Files.writeString(src.resolve(".git/HEAD"), "not copied");
        CodeSync up = sync(Map.of("sync", "upload", "source", src.toString()));
        String v1 = up.run(shell, LIMIT);
        assertThat(v1).startsWith("upload:").hasSize("upload:".length() + 64);
        assertThat(shell.uploaded).containsExactly("proj/.alphaex-upload.sha256.new", "proj/lib/a b.txt", "proj/run.sh");
        assertThat(home.resolve("proj/.git")).doesNotExist();
        assertThat(Files.readString(home.resolve("proj/.alphaex-upload.sha256"))).contains("  lib/a b.txt\n").contains("  run.sh\n");

        shell.uploaded.clear();
        assertThat(up.run(shell, LIMIT)).as("the same content, the same version").isEqualTo(v1);
        assertThat(shell.uploaded).as("nothing but the manifest").containsExactly("proj/.alphaex-upload.sha256.new");

        shell.uploaded.clear();
        Files.writeString(home.resolve("proj/run.sh"), "changed there\n");
        assertThat(up.run(shell, LIMIT)).isEqualTo(v1);
        assertThat(shell.uploaded).as("the file changed there is put back").containsExactly("proj/.alphaex-upload.sha256.new", "proj/run.sh");

        shell.uploaded.clear();
        Files.writeString(src.resolve("run.sh"), "#!/bin/sh\necho two\n");
        assertThat(up.run(shell, LIMIT)).isNotEqualTo(v1);
        assertThat(shell.uploaded).containsExactly("proj/.alphaex-upload.sha256.new", "proj/run.sh");
    }

    @Test
    void aSyncWithoutWhatItNeedsIsAnError() throws IOException {
        Path notARepo = Files.createDirectories(tmp.resolve("plain"));
        assertThatThrownBy(() -> sync(Map.of("sync", "git", "source", notARepo.toString()))).isInstanceOf(SyncRefused.class)
                .hasMessage("routes/test.yaml, cluster 'a': sync git without a commit, and " + notARepo + " is not a git repository with"
                        + " a HEAD: give the commit parameter");
        assertThatThrownBy(() -> sync(Map.of("sync", "upload"))).hasMessage("routes/test.yaml, cluster 'a': sync upload needs source,"
                + " the local folder to copy to workDir (e.g. {name: source, value: jobs})");
        assertThatThrownBy(() -> sync(Map.of("sync", "rsync"))).hasMessage("routes/test.yaml, cluster 'a': sync must be git or upload"
                + " (or left out: the code is put there by hand), got 'rsync'");
    }
}
