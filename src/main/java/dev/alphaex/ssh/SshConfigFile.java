package dev.alphaex.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;

/**
 * An OpenSSH client config file (default {@code ~/.ssh/config}) read with MINA SSHD's own parser,
 * which follows OpenSSH: Host patterns, first value wins, {@code ~} and {@code %d %u %h %p %r} in paths.
 * A missing file is allowed (every alias then stands for itself on port 22).
 */
public final class SshConfigFile {
    private final Path file;
    private final HostConfigEntryResolver resolver;

    private SshConfigFile(Path file, HostConfigEntryResolver resolver) {
        this.file = file;
        this.resolver = resolver;
    }

    /** The user's {@code ~/.ssh/config}. */
    public static SshConfigFile userDefault() {
        return load(Paths.get(System.getProperty("user.home"), ".ssh", "config"));
    }

    /**
     * Reads {@code file} now (a missing file reads as empty).
     *
     * @throws UncheckedIOException naming the file when it cannot be read or parsed
     */
    public static SshConfigFile load(Path file) {
        try {
            List<HostConfigEntry> entries = Files.exists(file) ? HostConfigEntry.readHostConfigEntries(file) : List.of();
            return new SshConfigFile(file, HostConfigEntry.toHostConfigEntryResolver(entries));
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("cannot read ssh config " + file + ": " + e.getMessage(),
                e instanceof IOException io ? io : new IOException(e));
        }
    }

    public Path file() {
        return file;
    }

    /** MINA's resolver over this file (the client uses it for ProxyJump hops too). */
    HostConfigEntryResolver resolver() {
        return resolver;
    }

    /** The full MINA entry for alias (port 0 asked, so that the config's Port wins). */
    HostConfigEntry entry(String alias) {
        if (alias == null || alias.isBlank() || alias.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("not an ssh host alias: '" + alias + "'");
        }
        try {
            HostConfigEntry e = resolver.resolveEffectiveHost(alias, 0, null, null, null, null);
            if (e == null) { // alias not in the file: OpenSSH uses it as the host name
                e = new HostConfigEntry(alias, alias, 22, System.getProperty("user.name"));
            }
            return e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve ssh alias '" + alias + "' in " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when a Host pattern of the file matches alias. */
    public boolean hasHost(String alias) {
        try {
            return resolver.resolveEffectiveHost(alias, 0, null, null, null, null) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Resolves alias as {@code ssh -F file alias} would. */
    public SshHost resolve(String alias) {
        HostConfigEntry e = entry(alias);
        String known = e.getProperty("UserKnownHostsFile");
        Path knownHosts;
        if (known == null || known.isBlank()) {
            knownHosts = Paths.get(System.getProperty("user.home"), ".ssh", "known_hosts");
        } else {
            String first = known.strip().split("[\\s,]+")[0]; // MINA joins multiple values with commas
            try {
                knownHosts = Paths.get(HostConfigEntry.resolveIdentityFilePath(first, e.getHostName(), e.getPort(),
                    e.getUsername()));
            } catch (IOException ex) {
                throw new UncheckedIOException("bad UserKnownHostsFile for " + alias + " in " + file, ex);
            }
        }
        String strict = e.getProperty("StrictHostKeyChecking", "yes").strip().toLowerCase(Locale.ROOT);
        strict = switch (strict) {
            case "no", "off" -> "no";
            case "accept-new" -> "accept-new";
            default -> "yes"; // yes, ask (nobody to ask here), anything unknown
        };
        String jump = e.getProxyJump() == null || e.getProxyJump().equalsIgnoreCase("none") ? "" : e.getProxyJump();
        return new SshHost(alias, e.getHostName(), e.getPort() > 0 ? e.getPort() : 22, e.getUsername(),
            List.copyOf(e.getIdentities()), e.isIdentitiesOnly(), jump, knownHosts, strict);
    }
}
