package dev.alphaex.openssh;

import dev.alphaex.ssh.Shell;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The command lines of the OpenSSH transport, pure. Every command rides on the user's master connection
 * (ControlMaster/ControlPath of their ssh config, {@code -F FILE} when one is given) and can never log in by
 * itself: {@code BatchMode=yes} (no question is ever asked), {@code ControlMaster=no} (never becomes a master)
 * and {@code ProxyCommand=false}, so that without a live master ssh's fallback to a direct connection ends at
 * once, before any packet reaches the cluster: no failed login on a site that counts them. (With a master,
 * ssh talks only to its socket and never runs the ProxyCommand; options on the command line win over the
 * config file, also over its ProxyJump.)
 */
final class OpenSshArgs {
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_.@%+:\\[\\]-]+");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@%+:=-]+");

    /** The options that keep every command on the master and away from any login. */
    static final List<String> ON_MASTER_ONLY = List.of(
        "-o", "BatchMode=yes", "-o", "ControlMaster=no", "-o", "ProxyCommand=false");

    private final String ssh;
    private final String sftp;
    private final Path config;

    /**
     * @param ssh    the ssh program (e.g. "ssh")
     * @param sftp   the sftp program
     * @param config the ssh config file for {@code -F}, or null for OpenSSH's own (~/.ssh/config)
     */
    OpenSshArgs(String ssh, String sftp, Path config) {
        this.ssh = ssh;
        this.sftp = sftp;
        this.config = config;
    }

    /** {@code ssh [-F cfg] <on master only> -n -T -- alias command}: command is one argument, run by the remote shell. */
    List<String> exec(String alias, String command) {
        List<String> argv = start(ssh);
        argv.addAll(ON_MASTER_ONLY);
        argv.addAll(List.of("-n", "-T", "--", checkAlias(alias), command));
        return argv;
    }

    /** {@code ssh [-F cfg] -O check -- alias}: asks the master over its socket whether it runs (no login). */
    List<String> check(String alias) {
        List<String> argv = start(ssh);
        argv.addAll(List.of("-O", "check", "--", checkAlias(alias)));
        return argv;
    }

    /** {@code sftp [-F cfg] <on master only> -b - alias}: the batch comes on stdin. */
    List<String> sftpBatch(String alias) {
        List<String> argv = start(sftp);
        argv.addAll(ON_MASTER_ONLY);
        argv.addAll(List.of("-b", "-", checkAlias(alias)));
        return argv;
    }

    /** The command that starts a master for alias, as the user types it (for pause messages). */
    String startMaster(String alias) {
        StringBuilder b = new StringBuilder(word(ssh));
        if (config != null) {
            b.append(" -F ").append(word(config.toString()));
        }
        return b.append(" -fNM ").append(word(checkAlias(alias))).toString();
    }

    /**
     * One sftp batch line that fetches {@code remote} into {@code local}, errors ignored ({@code -get}: a
     * missing file is reported by its absence, the batch goes on).
     */
    static String getLine(String remote, String local) {
        return "-get " + sftpWord(remote) + " " + sftpWord(local);
    }

    /**
     * A path as one word of an sftp batch line: in double quotes, {@code \} and {@code "} escaped. Inside
     * double quotes sftp also keeps glob characters ({@code * ? [}) literal, so a remote name is never a pattern.
     *
     * @throws IllegalArgumentException for a line break or another control character (a batch line cannot carry one)
     */
    static String sftpWord(String path) {
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("an sftp batch cannot carry a path with a control character: "
                + path.replace("\n", "\\n").replace("\r", "\\r"));
        }
        return "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String checkAlias(String alias) {
        if (alias == null || alias.isEmpty() || alias.startsWith("-") || !ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("not an ssh host alias: '" + alias + "'");
        }
        return alias;
    }

    private List<String> start(String program) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        if (config != null) {
            argv.add("-F");
            argv.add(config.toString());
        }
        return argv;
    }

    private static String word(String s) {
        return PLAIN.matcher(s).matches() ? s : Shell.quote(s);
    }
}
