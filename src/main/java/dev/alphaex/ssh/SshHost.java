package dev.alphaex.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * A cluster's SSH alias as the OpenSSH config file resolves it.
 *
 * @param alias          the name the user gave (a {@code Host} pattern in the config)
 * @param hostName       the host to connect to (HostName, else the alias)
 * @param port           Port (22 when the config has none)
 * @param user           User (the local user name when the config has none)
 * @param identityFiles  IdentityFile entries, resolved to paths
 * @param identitiesOnly IdentitiesOnly: only those keys, not the default ones in ~/.ssh
 * @param proxyJump      ProxyJump, or "" when none
 * @param knownHosts     UserKnownHostsFile (its first file), else ~/.ssh/known_hosts
 * @param strictHostKeyChecking StrictHostKeyChecking: "yes" (the default here, also for "ask"),
 *                       "accept-new" or "no" (both add an unknown key to knownHosts); a changed key
 *                       is always refused
 */
public record SshHost(String alias, String hostName, int port, String user, List<String> identityFiles,
                      boolean identitiesOnly, String proxyJump, Path knownHosts, String strictHostKeyChecking) {
    public SshHost {
        identityFiles = List.copyOf(identityFiles);
    }

    /** True when an unknown host key may be accepted (and added to knownHosts). */
    public boolean acceptsNewHostKeys() {
        return strictHostKeyChecking.equals("accept-new") || strictHostKeyChecking.equals("no");
    }

    /** How OpenSSH writes this host in known_hosts: {@code host} on port 22, else {@code [host]:port}. */
    public String knownHostsName() {
        return port == 22 ? hostName : "[" + hostName + "]:" + port;
    }

    @Override
    public String toString() {
        return alias + " (" + user + "@" + hostName + ":" + port + (proxyJump.isEmpty() ? "" : " via " + proxyJump) + ")";
    }
}
