package dev.alphaex.codesync;

import dev.alphaex.cluster.CommandResult;
import dev.alphaex.ssh.Shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Code sync {@code git}: the cluster's workDir checked out at exactly one commit, in ONE command (one round trip). A
 * missing or empty workDir is cloned from the repository and checked out at the commit (detached); a checkout this sync
 * made before (its commit is in {@code .git/alphaex-sync}) and that is clean is moved to the commit, fetched first if
 * needed. Refused, changing nothing: tracked files with changes (never a reset), a checkout at another commit that
 * this sync did not make (your own work: check it out yourself), a folder that is not a checkout, a commit the
 * repository does not have. Untracked files (results, logs) do not count. Pure: builds the command, reads the answer.
 */
final class GitSync {
    private final String workDir;
    private final String repo;
    private final String commit;

    GitSync(String workDir, String repo, String commit) {
        this.workDir = workDir;
        this.repo = repo;
        this.commit = commit;
    }

    String command() {
        String git = "git -c advice.detachedHead=false";
        return "w=" + Shell.quotePath(workDir) + "; c=" + Shell.quote(commit) + "; r=" + Shell.quote(repo) + "; "
                + "command -v git >/dev/null 2>&1 || { echo sync=no-git; exit 0; }; "
                + "if [ ! -e \"$w\" ] || [ -z \"$(ls -A \"$w\" 2>/dev/null)\" ]; then "
                + "o=$(" + git + " clone --quiet --no-checkout \"$r\" \"$w\" 2>&1) || { echo sync=clone-failed; printf '%s\\n' \"$o\" | sed 's/^/says=/'; exit 0; }; "
                + "cd \"$w\" && { " + git + " checkout --quiet --detach \"$c\" 2>/dev/null || { " + git + " fetch --quiet origin \"$c\" 2>/dev/null"
                + " && " + git + " checkout --quiet --detach \"$c\" 2>/dev/null; }; } "
                + "|| { echo sync=unknown-commit; exit 0; }; h=$(git rev-parse HEAD); printf '%s\\n' \"$h\" > .git/alphaex-sync; "
                + "echo \"sync=cloned $h\"; exit 0; fi; "
                + "cd \"$w\" 2>/dev/null || { echo sync=no-workdir; exit 0; }; "
                + "[ -d .git ] || { echo sync=not-a-checkout; exit 0; }; "
                + "d=$(git status --porcelain --untracked-files=no 2>&1); "
                + "if [ -n \"$d\" ]; then echo sync=dirty; printf '%s\\n' \"$d\" | head -n 10 | sed 's/^/dirty=/'; exit 0; fi; "
                + "h=$(git rev-parse HEAD); "
                + "want=$(git rev-parse --verify --quiet \"$c^{commit}\") || { git fetch --quiet origin >/dev/null 2>&1;"
                + " want=$(git rev-parse --verify --quiet \"$c^{commit}\") || { git fetch --quiet origin \"$c\" >/dev/null 2>&1;"
                + " want=$(git rev-parse --verify --quiet FETCH_HEAD^{commit}); }; }; "
                + "if [ -z \"$want\" ]; then echo sync=unknown-commit; "
                + "elif [ \"$h\" = \"$want\" ]; then echo \"sync=at $h\"; "
                + "elif [ \"$(cat .git/alphaex-sync 2>/dev/null)\" = \"$h\" ]; then "
                + git + " checkout --quiet --detach \"$want\" 2>&1 | sed 's/^/says=/'; h2=$(git rev-parse HEAD);"
                + " printf '%s\\n' \"$h2\" > .git/alphaex-sync; echo \"sync=moved $h $h2\"; "
                + "else echo \"sync=other $h $(git symbolic-ref --short -q HEAD)\"; fi";
    }

    /**
     * The commit the workDir is at now.
     *
     * @throws SyncRefused what was found and what to do
     */
    String parse(String alias, CommandResult r) throws SyncRefused {
        Map<String, List<String>> v = new LinkedHashMap<>();
        for (String line : r.stdout().split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                v.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        String where = workDir + " on " + alias;
        List<String> sync = v.get("sync");
        if (sync == null) {
            throw new SyncRefused("git sync of " + where + " gave no answer (exit " + r.exitCode() + "): " + abbreviate(r.stderr()
                    + " " + r.stdout()));
        }
        String[] f = sync.get(0).split(" ");
        String says = String.join(" | ", v.getOrDefault("says", List.of()));
        switch (f[0]) {
            case "cloned", "at" -> {
                return check(f[1], where);
            }
            case "moved" -> {
                return check(f[2], where);
            }
            case "dirty" -> throw new SyncRefused(where + " has changes to tracked files (" + String.join(", ",
                    v.getOrDefault("dirty", List.of())).strip() + "): commit, stash or discard them there yourself (AlphaEx never"
                    + " resets a tree), then start the campaign again");
            case "other" -> throw new SyncRefused(where + " is at commit " + f[1] + (f.length > 2 ? " (branch " + f[2] + ")" : "")
                    + ", not " + commit + ", and it is not a checkout this sync made: check " + commit + " out there yourself"
                    + " (ssh " + alias + " " + Shell.quote("cd " + Shell.quotePath(workDir) + " && git checkout " + commit) + ")"
                    + ", or give the cluster another workDir for the sync to clone into");
            case "not-a-checkout" -> throw new SyncRefused(where + " exists, is not empty and is not a git checkout: give the"
                    + " cluster an empty or new workDir for the sync to clone into");
            case "unknown-commit" -> throw new SyncRefused("commit " + commit + " is not in " + repo + " (as " + alias
                    + " fetches it): push it first (git push), or name a commit that is there");
            case "clone-failed" -> throw new SyncRefused("git clone " + repo + " into " + where + " failed: " + abbreviate(says)
                    + "; check the repo parameter (the URL as the cluster reaches it) and the cluster's access to it");
            case "no-git" -> throw new SyncRefused("git is not on the PATH of " + alias + "'s login (load it in ~/.bashrc, e.g."
                    + " module load git), or use sync upload");
            default -> throw new SyncRefused("git sync of " + where + ": " + sync.get(0) + " " + says);
        }
    }

    private String check(String head, String where) throws SyncRefused {
        if (commit.matches("[0-9a-f]{40}") && !head.equals(commit)) {
            throw new SyncRefused(where + " is at " + head + " after the checkout, not " + commit);
        }
        return head;
    }

    private static String abbreviate(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
