package dev.alphaex.openssh;

import dev.alphaex.ssh.LoginPausedException;
import dev.alphaex.ssh.PauseReason;
import dev.alphaex.ssh.RemoteFiles;
import dev.alphaex.ssh.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster's commands and log fetches through the system's OpenSSH ({@code ssh}, {@code sftp}) over the
 * user's own master connection: the user opens it once ({@code ssh -fNM narval}, answering the second factor
 * there) with {@code ControlMaster}/{@code ControlPath} in their ssh config, and every command and fetch
 * rides on it. Keys, agents, ProxyJump, host keys and the second factor are OpenSSH's job; this class never
 * logs in (see {@link OpenSshArgs}): without a live master it reports a {@link LoginPausedException}
 * ({@link PauseReason#NO_CONTROL_MASTER}) naming the command that starts one, and works again as soon as
 * one runs.
 *
 * <p>The guarantees of the built-in client hold: the caller quotes every remote value
 * ({@link dev.alphaex.ssh.Shell}); every command and fetch has a time limit (the local process and its
 * children are killed); logs arrive under a temporary name ({@code .<name>.part}) and are renamed when
 * complete, each once, with {@link RemoteFiles.Fetch}'s fetched / missing / present. Thread-safe.
 */
public final class OpenSshTransport {
    /**
     * ssh -O check when no master answers at the ControlPath: its socket is missing, or a master that died left it
     * behind (which ssh -M would not replace). One pause either way: the user fixing the second one passes through the
     * first.
     */
    private static final Pattern NO_MASTER = Pattern.compile(
        "Control socket connect\\((.+)\\): (?:Connection refused|No such file or directory)");
    /** Files per sftp batch (one process each). */
    static final int FETCH_BATCH = 200;

    /**
     * Programs and limits.
     *
     * @param sshConfig      the ssh config for {@code -F}, or null: OpenSSH's own ~/.ssh/config
     * @param commandTimeout default limit of one command
     * @param checkTimeout   limit of {@code ssh -O check}
     * @param fetchTimeout   limit of one sftp batch ({@value #FETCH_BATCH} files at most)
     */
    public record Settings(Path sshConfig, Duration commandTimeout, Duration checkTimeout, Duration fetchTimeout,
                           String ssh, String sftp) {
        /** 2 min per command (as the built-in client), 10 s per check, 5 min per batch of logs. */
        public static Settings defaults(Path sshConfig) {
            return new Settings(sshConfig, Duration.ofMinutes(2), Duration.ofSeconds(10), Duration.ofMinutes(5), "ssh", "sftp");
        }
    }

    /** A command's exit status (as the remote shell gave it), stdout and stderr (UTF-8). */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private final Settings settings;
    private final OpenSshArgs args;

    public OpenSshTransport(Settings settings) {
        this.settings = settings;
        this.args = new OpenSshArgs(settings.ssh(), settings.sftp(), settings.sshConfig());
    }

    /**
     * The transport for the ssh config that the built-in client uses too: {@code -Dalphaex.ssh.config=PATH}
     * (passed as {@code -F}), else OpenSSH's own ~/.ssh/config.
     */
    public static OpenSshTransport fromSystem() {
        String cfg = System.getProperty("alphaex.ssh.config", "");
        return new OpenSshTransport(Settings.defaults(cfg.isBlank() ? null : Path.of(cfg)));
    }

    public Settings settings() {
        return settings;
    }

    /** Runs command with the default time limit. */
    public Result exec(String alias, String command) throws OpenSshException, LoginPausedException {
        return exec(alias, command, settings.commandTimeout());
    }

    /**
     * Runs {@code command} through alias's login shell, over the master.
     *
     * @return exit status, stdout, stderr; 255 with the master alive is what ssh reported (the remote
     *         command's own 255, or a session the master refused)
     * @throws LoginPausedException no live master (the message says which command starts one)
     * @throws OpenSshException     ssh could not run, or the command ran past {@code timeout} (killed)
     */
    public Result exec(String alias, String command, Duration timeout) throws OpenSshException, LoginPausedException {
        ProcessRun.Outcome o;
        try {
            o = ProcessRun.run(args.exec(alias, command), new byte[0], timeout);
        } catch (OpenSshException e) {
            throw new OpenSshException(e.kind(), "command on " + alias + " (OpenSSH): " + e.getMessage() + ": "
                + shorten(command), e);
        }
        if (o.exitCode() == 255) {
            checkMaster(alias); // without a master: the pause; with one, 255 is the answer
        }
        return new Result(o.exitCode(), o.stdout(), o.stderr());
    }

    /**
     * Asks alias's master whether it runs ({@code ssh -O check}: its socket only, no login).
     *
     * @throws LoginPausedException none runs (or the config gives alias no ControlPath)
     * @throws OpenSshException     the check itself could not run or hung
     */
    public void checkMaster(String alias) throws LoginPausedException, OpenSshException {
        ProcessRun.Outcome o = ProcessRun.run(args.check(alias), new byte[0], settings.checkTimeout());
        if (o.exitCode() == 0) {
            return;
        }
        String why = o.stderr().strip().replace("\r", "").replace('\n', ' ');
        String start = args.startMaster(alias);
        String message;
        if (why.contains("No ControlPath")) {
            message = alias + " paused: its ssh config " + configName() + " gives it no ControlPath, so there is no master"
                + " connection to run commands over; add to its Host block: ControlMaster auto, ControlPath"
                + " ~/.ssh/cm-%r@%h:%p, ControlPersist 10m; then start one: " + start;
        } else {
            Matcher none = NO_MASTER.matcher(why);
            String detail = "ssh -O check: " + why;
            if (none.find()) { // rm -f: a socket a dead master left would stop ssh -M; harmless when there is none
                start = "rm -f " + Shell.quote(none.group(1)) + " && " + start;
                detail = "none answers at its ControlPath " + none.group(1);
            }
            message = alias + " paused: no OpenSSH master connection runs for it (" + detail
                + "); start one (it asks for the second factor there): " + start;
        }
        throw new LoginPausedException(alias, PauseReason.NO_CONTROL_MASTER, message, start, null);
    }

    /**
     * Fetches the named files of {@code remoteDir} (relative to the remote home, or absolute) into
     * {@code localDir} over the master, as {@link RemoteFiles#fetch} does on the built-in client: names already
     * in localDir are present (not fetched again), names the remote folder lacks are missing.
     *
     * @throws LoginPausedException no live master
     * @throws OpenSshException     sftp failed or ran past its limit: nothing of that batch was renamed into place
     */
    public RemoteFiles.Fetch fetch(String alias, String remoteDir, Collection<String> names, Path localDir)
        throws OpenSshException, LoginPausedException {
        for (String name : names) {
            if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("not a plain file name: '" + name + "'");
            }
        }
        try {
            Files.createDirectories(localDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create local folder " + localDir + ": " + e.getMessage(), e);
        }
        List<String> fetched = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> present = new ArrayList<>();
        List<String> todo = new ArrayList<>();
        for (String name : names) {
            (Files.exists(localDir.resolve(name)) ? present : todo).add(name);
        }
        String dir = remoteDir.startsWith("~/") ? remoteDir.substring(2) : remoteDir; // sftp starts in the home folder
        dir = dir.isEmpty() || dir.endsWith("/") ? dir : dir + "/";
        for (int from = 0; from < todo.size(); from += FETCH_BATCH) {
            List<String> batch = todo.subList(from, Math.min(todo.size(), from + FETCH_BATCH));
            fetchBatch(alias, dir, batch, localDir.toAbsolutePath(), fetched, missing);
        }
        return new RemoteFiles.Fetch(fetched, missing, present);
    }

    /**
     * Copies local files to the cluster over the master with one {@code sftp -b -} batch: folders made ({@code -mkdir},
     * an existing one is fine), each file put with its permissions ({@code put -p}) under a hidden temporary name in its
     * folder, then renamed into place (OpenSSH's sftp renames with posix-rename, replacing an existing file).
     *
     * @throws LoginPausedException no live master
     * @throws OpenSshException     sftp failed or ran past its limit
     */
    public void upload(String alias, Map<Path, String> files) throws OpenSshException, LoginPausedException {
        StringBuilder script = new StringBuilder();
        Set<String> folders = new LinkedHashSet<>();
        for (Map.Entry<Path, String> f : files.entrySet()) {
            String remote = f.getValue().startsWith("~/") ? f.getValue().substring(2) : f.getValue();
            int slash = remote.lastIndexOf('/');
            for (int i = remote.indexOf('/', 1); i > 0 && i <= slash; i = remote.indexOf('/', i + 1)) {
                if (folders.add(remote.substring(0, i))) {
                    script.append("-mkdir ").append(OpenSshArgs.sftpWord(remote.substring(0, i))).append('\n');
                }
            }
            String part = remote.substring(0, slash + 1) + "." + remote.substring(slash + 1) + ".part";
            script.append("put -p ").append(OpenSshArgs.sftpWord(f.getKey().toAbsolutePath().toString())).append(' ')
                .append(OpenSshArgs.sftpWord(part)).append('\n');
            script.append("rename ").append(OpenSshArgs.sftpWord(part)).append(' ').append(OpenSshArgs.sftpWord(remote)).append('\n');
        }
        ProcessRun.Outcome o = ProcessRun.run(args.sftpBatch(alias), script.toString().getBytes(StandardCharsets.UTF_8),
            settings.fetchTimeout());
        if (o.exitCode() != 0) {
            checkMaster(alias);
            throw new OpenSshException(OpenSshException.Kind.FAILED, "sftp on " + alias + " (OpenSSH): upload of " + files.size()
                + " file(s) failed (exit " + o.exitCode() + "): " + o.stderr().strip(), null);
        }
    }

    private void fetchBatch(String alias, String dir, List<String> batch, Path localDir, List<String> fetched,
                            List<String> missing) throws OpenSshException, LoginPausedException {
        StringBuilder script = new StringBuilder();
        for (String name : batch) {
            deleteQuietly(part(localDir, name)); // a leftover of a killed run
            script.append(OpenSshArgs.getLine(dir + name, part(localDir, name).toString())).append('\n');
        }
        ProcessRun.Outcome o;
        try {
            o = ProcessRun.run(args.sftpBatch(alias), script.toString().getBytes(StandardCharsets.UTF_8),
                settings.fetchTimeout());
        } catch (OpenSshException e) {
            batch.forEach(n -> deleteQuietly(part(localDir, n)));
            throw new OpenSshException(e.kind(), "sftp on " + alias + " (OpenSSH): fetch from " + dir + ": " + e.getMessage(), e);
        }
        if (o.exitCode() != 0) { // with "-get" a missing file does not fail the batch: this is the connection
            batch.forEach(n -> deleteQuietly(part(localDir, n)));
            checkMaster(alias);
            throw new OpenSshException(OpenSshException.Kind.FAILED, "sftp on " + alias + " (OpenSSH): fetch from " + dir
                + " failed (exit " + o.exitCode() + "): " + o.stderr().strip(), null);
        }
        for (String name : batch) {
            Path part = part(localDir, name);
            if (!Files.exists(part)) {
                missing.add(name);
                continue;
            }
            try {
                try {
                    Files.move(part, localDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, localDir.resolve(name));
                }
                fetched.add(name);
            } catch (IOException e) {
                deleteQuietly(part);
                throw new IllegalStateException("cannot move " + part + " into place: " + e.getMessage(), e);
            }
        }
    }

    private static Path part(Path localDir, String name) {
        return localDir.resolve("." + name + ".part");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left for the next fetch, which deletes it first
        }
    }

    private String configName() {
        return settings.sshConfig() == null ? "~/.ssh/config" : settings.sshConfig().toString();
    }

    private static String shorten(String command) {
        String c = command.replace('\n', ' ');
        return c.length() > 200 ? c.substring(0, 200) + "..." : c;
    }
}
