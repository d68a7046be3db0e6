package dev.alphaex.codesync;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterPaths;
import dev.alphaex.cluster.ClusterSettings;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.Transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cluster's code sync (its templatedRoute's {@code sync} parameter), run before its first submission: {@code git}
 * ({@link GitSync}: workDir checked out at exactly one commit) or {@code upload} ({@link UploadSync}: a local folder
 * copied to workDir, only what changed). The result is the code version the ledger records with every submission:
 * {@code git:<commit>} or {@code upload:<sha256 of the manifest>}. Over the cluster's own transport (its session).
 */
public final class CodeSync {
    private final String alias;
    private final String description;
    private final GitSync git;
    private final UploadSync upload;
    private final String note;

    private CodeSync(String alias, String description, GitSync git, UploadSync upload, String note) {
        this.alias = alias;
        this.description = description;
        this.git = git;
        this.upload = upload;
        this.note = note;
    }

    /**
     * The cluster's sync, or null when it has none (the code is put there by hand).
     *
     * @param slimJar the local slim jar (target/alphaex-sweep.jar), put at the cluster's {@code jar} by sync upload
     * @throws SyncRefused when the local side cannot say what to sync (no repository, no commit, no URL)
     */
    public static CodeSync of(ClusterSettings c, ClusterPaths paths, String alias, Path slimJar) throws SyncRefused {
        Path source = Path.of(c.source().isBlank() ? "." : c.source());
        if (c.sync().equals("git")) {
            LocalGit local = new LocalGit(source);
            String commit = c.commit().isBlank() ? local.commit("HEAD") : c.commit();
            if (commit == null) {
                throw new SyncRefused(c.where() + ": sync git without a commit, and " + source.toAbsolutePath()
                        + " is not a git repository with a HEAD: give the commit parameter");
            }
            String full = commit.matches("[0-9a-f]{40}") ? commit : local.commit(commit);
            String repo = c.repo().isBlank() ? local.origin() : c.repo();
            if (repo == null) {
                throw new SyncRefused(c.where() + ": sync git without a repo, and " + source.toAbsolutePath()
                        + " has no origin: give the repo parameter (the URL as the cluster reaches it)");
            }
            String note = c.commit().isBlank() && local.dirty() ? "the local repository " + source.toAbsolutePath()
                    + " has uncommitted changes; the cluster gets its HEAD " + commit + " without them" : null;
            String at = full != null ? full : commit;
            return new CodeSync(alias, "git " + repo + " at " + at, new GitSync(paths.workDir(), repo, at), null, note);
        }
        if (c.sync().equals("upload")) {
            Map<String, Path> extra = new LinkedHashMap<>();
            if (!c.jar().isBlank() && slimJar != null) {
                extra.put(c.jar(), slimJar);
            }
            return new CodeSync(alias, "upload of " + source.toAbsolutePath() + (extra.isEmpty() ? "" : " and the slim jar"), null,
                    new UploadSync(paths.workDir(), source, extra), null);
        }
        return null;
    }

    /** "git URL at COMMIT" or "upload of FOLDER". */
    public String description() {
        return description;
    }

    /** A warning for the log (a local tree with uncommitted changes), or null. */
    public String note() {
        return note;
    }

    /**
     * Runs the sync over {@code transport} and returns the code version: "git:&lt;commit&gt;" or "upload:&lt;sha256&gt;".
     *
     * @throws SyncRefused      the sync must not go on there (the message says what to do; nothing was changed)
     * @throws ClusterException the cluster did not answer
     */
    public String run(Transport transport, Duration timeout) throws ClusterException, SyncRefused {
        if (git != null) {
            CommandResult r = transport.exec(alias, git.command(), timeout);
            return "git:" + git.parse(alias, r);
        }
        return "upload:" + upload.run(transport, alias, timeout);
    }

    /** How many files the last upload copied (0 for git). */
    public int copied() {
        return upload == null ? 0 : upload.lastCopied;
    }
}
