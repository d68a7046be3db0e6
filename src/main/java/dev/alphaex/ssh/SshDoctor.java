package dev.alphaex.ssh;

import dev.alphaex.cluster.Check;
import dev.alphaex.cluster.ClusterException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.KnownHostEntry;

/**
 * The SSH side of {@code alphaex doctor} for one alias, in the order a login goes: the alias resolves (the ssh config
 * names it, its host name resolves), its host key is known (an entry for it in its known_hosts), the login works,
 * and whether it asked a question (a second factor). Each failure says what to do. One login at most: a refused one
 * is never tried again here.
 */
final class SshDoctor {
    private SshDoctor() {
    }

    static List<Check> check(SshSessions sessions, String alias) {
        List<Check> out = new ArrayList<>();
        SshHost host;
        try {
            host = sessions.host(alias);
        } catch (RuntimeException e) {
            out.add(Check.fail("alias", e.getMessage(), "add a Host " + alias + " block to " + sessions.config().file()));
            return skipRest(out, "hostkey", "login");
        }
        String declared = sessions.config().hasHost(alias) ? "Host " + alias + " in " + sessions.config().file()
                : "no Host " + alias + " in " + sessions.config().file() + ": the alias is the host name";
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host.hostName());
            out.add(Check.ok("alias", declared + ": " + host + " (" + addresses[0].getHostAddress() + ")"));
        } catch (UnknownHostException e) {
            out.add(Check.fail("alias", declared + ": host name " + host.hostName() + " does not resolve",
                    "check HostName in the Host " + alias + " block of " + sessions.config().file()));
            return skipRest(out, "hostkey", "login");
        }
        out.add(hostKey(host));
        try {
            sessions.session(alias);
            Optional<String> asked = sessions.askedAtLogin(alias);
            out.add(asked.isPresent()
                    ? Check.warn("login", "logged in as " + host.user() + " after a second factor (\"" + asked.get() + "\")",
                            "a controller must answer it at start (a terminal) or ride on an OpenSSH master (transport openssh):"
                            + " README, Clusters that ask for a second factor")
                    : Check.ok("login", "logged in as " + host.user() + " with a key (no second factor asked)"));
        } catch (ClusterException e) {
            Optional<LoginPausedException> pause = LoginPausedException.in(e);
            out.add(pause.isPresent()
                    ? Check.fail("login", "the login asks for a second factor and it was not answered: " + pause.get().getMessage(),
                            "run the doctor in a terminal to answer it, or open an OpenSSH master and use transport openssh")
                    : Check.fail("login", e.getMessage(), "try it by hand: ssh " + configOption(sessions) + alias + " true"));
        }
        return out;
    }

    /** An entry for the host in its known_hosts file; the login then tells whether the key matches. */
    private static Check hostKey(SshHost host) {
        String trust = "check the fingerprint, then: ssh-keyscan -p " + host.port() + " " + host.hostName() + " >> " + host.knownHosts();
        if (!Files.isRegularFile(host.knownHosts())) {
            return host.acceptsNewHostKeys() ? Check.warn("hostkey", host.knownHosts() + " does not exist; StrictHostKeyChecking "
                    + host.strictHostKeyChecking() + " adds the key at the first login", trust)
                    : Check.fail("hostkey", host.knownHosts() + " does not exist: the host key of " + host.knownHostsName()
                    + " is unknown", trust);
        }
        try {
            for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(host.knownHosts())) {
                if (e.getMarker() == null && e.isHostMatch(host.hostName(), host.port())) {
                    return Check.ok("hostkey", host.knownHostsName() + " is in " + host.knownHosts());
                }
            }
        } catch (IOException | RuntimeException e) {
            return Check.fail("hostkey", "cannot read " + host.knownHosts() + ": " + e.getMessage(), "fix or remove that file");
        }
        return host.acceptsNewHostKeys() ? Check.warn("hostkey", host.knownHostsName() + " is not in " + host.knownHosts()
                + "; StrictHostKeyChecking " + host.strictHostKeyChecking() + " adds it at the first login", trust)
                : Check.fail("hostkey", "the host key of " + host.knownHostsName() + " is unknown: not in " + host.knownHosts(), trust);
    }

    private static String configOption(SshSessions sessions) {
        String home = System.getProperty("user.home");
        return sessions.config().file().equals(java.nio.file.Path.of(home, ".ssh", "config")) ? ""
                : "-F " + Shell.quote(sessions.config().file().toString()) + " ";
    }

    private static List<Check> skipRest(List<Check> out, String... names) {
        for (String n : names) {
            out.add(Check.skipped(n, "not checked: the alias does not resolve"));
        }
        return out;
    }
}
