package dev.alphaex.ssh;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Checks a server's host key against one known_hosts file with MINA's OpenSSH-compatible matcher
 * (hashed names, {@code [host]:port}, {@code @revoked}, {@code @cert-authority}); the file is re-read
 * when it changes. An unknown key is refused unless the host's StrictHostKeyChecking allows new keys
 * (then it is appended, as OpenSSH does); a changed or revoked key is always refused. The reason,
 * with the fingerprint and how to trust the host, is left in the connection context for the error.
 */
final class HostKeyCheck extends KnownHostsServerKeyVerifier {
    /** The host being connected to (set by {@link SshSessions} in the connection context). */
    static final AttributeKey<SshHost> HOST = new AttributeKey<>();
    /** Why a key was refused, for the error message. */
    static final AttributeKey<AtomicReference<String>> PROBLEM = new AttributeKey<>();

    HostKeyCheck(Path knownHosts) {
        super(HostKeyCheck::acceptsNew, knownHosts);
    }

    /** The delegate MINA asks about an unknown key: yes when the host's StrictHostKeyChecking allows new keys. */
    private static boolean acceptsNew(ClientSession session, SocketAddress remote, PublicKey key) {
        SshHost host = host(session);
        return host != null && host.acceptsNewHostKeys();
    }

    @Override
    protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
        SshHost host = host(session);
        if (host != null && host.acceptsNewHostKeys()) {
            return super.acceptUnknownHostKey(session, remote, key); // OpenSSH's accept-new: trust and remember
        }
        String[] where = where(host, remote);
        report(session, "host key of " + where[0] + alias(host) + " is not in " + getPath() + "; the server offers "
            + describe(key) + ". If that is the host's fingerprint, trust it with: ssh-keyscan -p " + where[2] + " "
            + where[1] + " >> " + getPath() + (host == null ? "" : "  (or run `ssh " + host.alias()
            + "` once and answer yes)"));
        return false;
    }

    @Override
    protected KnownHostEntry updateKnownHostsFile(ClientSession session, SocketAddress remote, PublicKey key, Path file,
                                                  Collection<HostEntryPair> known) throws Exception {
        if (!Files.exists(file)) { // as OpenSSH does: create the file (and its folder) for the first entry
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file);
        }
        return super.updateKnownHostsFile(session, remote, key, file, known);
    }

    @Override
    public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
                                           PublicKey expected, PublicKey actual) {
        SshHost host = host(session);
        String[] where = where(host, remote);
        report(session, "host key of " + where[0] + alias(host) + " has CHANGED: " + getPath() + " has "
            + describe(expected) + ", the server offers " + describe(actual) + ". Someone may be intercepting the"
            + " connection, or the host was reinstalled; refusing. If the new key is right: ssh-keygen -R '" + where[0]
            + "' -f " + getPath() + ", then ssh-keyscan -p " + where[2] + " " + where[1] + " >> " + getPath());
        return false;
    }

    @Override
    protected void handleRevokedKey(ClientSession session, SocketAddress remote, PublicKey key) {
        SshHost host = host(session);
        report(session, "host key of " + where(host, remote)[0] + alias(host) + " (" + describe(key)
            + ") is marked @revoked in " + getPath() + "; refusing");
    }

    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " key " + KeyUtils.getFingerPrint(key);
    }

    private static String alias(SshHost host) {
        return host == null ? "" : " (ssh alias " + host.alias() + ")";
    }

    /** {known_hosts name, host, port} of the host being checked (a ProxyJump hop: its own address). */
    private static String[] where(SshHost host, SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && (host == null || inet.getPort() != host.port())) {
            String h = inet.getHostString();
            int p = inet.getPort();
            return new String[] {p == 22 ? h : "[" + h + "]:" + p, h, Integer.toString(p)};
        }
        return new String[] {host.knownHostsName(), host.hostName(), Integer.toString(host.port())};
    }

    private static SshHost host(ClientSession session) {
        AttributeRepository ctx = session.getConnectionContext();
        return ctx == null ? null : ctx.getAttribute(HOST);
    }

    private static void report(ClientSession session, String message) {
        AttributeRepository ctx = session.getConnectionContext();
        AtomicReference<String> problem = ctx == null ? null : ctx.getAttribute(PROBLEM);
        if (problem != null) {
            problem.compareAndSet(null, message);
        }
    }
}
