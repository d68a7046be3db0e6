package dev.alphaex.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Keys held by an ssh-agent, as OpenSSH uses them: the agent's socket is the host's {@code IdentityAgent}
 * ({@code none} turns it off; {@code SSH_AUTH_SOCK} or {@code $VAR} name an environment variable; {@code ~}
 * is the home folder), else {@code $SSH_AUTH_SOCK}. The agent's keys are offered before the IdentityFile
 * keys; with {@code IdentitiesOnly yes} only those whose public key is an IdentityFile's {@code .pub}.
 *
 * <p>The agent is spoken to over its Unix socket with the JDK's own Unix domain sockets (MINA's
 * {@code UnixAgentFactory} needs the tomcat-native library). Agent forwarding is not offered.
 *
 * <p>A passphrase-protected IdentityFile is never decrypted here (nobody can type a passphrase into a
 * campaign): {@link #passwords()} skips it, and the login error then says to load it into an agent.
 */
final class SshAgents implements SshAgentFactory {
    private final Function<String, String> env;

    /** @param env the environment (System::getenv; tests give their own) */
    SshAgents(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
        return List.of();
    }

    @Override
    public SshAgentServer createServer(ConnectionService service) {
        return null; // no agent forwarding to the clusters
    }

    @Override
    public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
        Path socket = socket(session.getAttribute(UserAuthPublicKey.IDENTITY_AGENT), session);
        if (socket == null) {
            return null;
        }
        if (!Files.exists(socket)) {
            note(session, "no ssh-agent listens on " + socket + " (the socket does not exist)");
            return null;
        }
        Set<PublicKey> only = session instanceof ClientSession cs ? onlyKeys(cs) : null;
        try {
            return new UnixAgent(socket, only, UnixAgent.ANSWER_MILLIS);
        } catch (IOException e) {
            note(session, "cannot reach the ssh-agent at " + socket + ": " + e.getMessage());
            return null;
        }
    }

    /** The agent socket for an IdentityAgent value ("" when the config has none), or null for none. */
    Path socket(String identityAgent, Session session) throws IOException {
        String v = identityAgent == null ? "" : identityAgent.strip();
        if (v.equalsIgnoreCase("none")) {
            return null;
        }
        if (v.isEmpty() || v.equals("SSH_AUTH_SOCK")) {
            v = env.apply("SSH_AUTH_SOCK");
        } else if (v.startsWith("$")) {
            v = env.apply(v.substring(1).replaceAll("^\\{(.*)}$", "$1"));
        } else if (session instanceof ClientSession cs) {
            v = HostConfigEntry.resolveIdentityFilePath(v, host(cs), port(cs), cs.getUsername()); // ~, %d, %u, %h...
        }
        return v == null || v.isBlank() ? null : Paths.get(v);
    }

    private static String host(ClientSession cs) {
        return cs.getConnectAddress() instanceof InetSocketAddress a ? a.getHostString() : "";
    }

    private static int port(ClientSession cs) {
        return cs.getConnectAddress() instanceof InetSocketAddress a ? a.getPort() : 22;
    }

    /**
     * With IdentitiesOnly: the public keys of the host's IdentityFiles ({@code <file>.pub}), so that the
     * agent offers only those; null (all of the agent's keys) otherwise, when no such .pub file exists
     * (a passphrase-protected key's public half cannot be read without it), and for a ProxyJump hop.
     */
    private static Set<PublicKey> onlyKeys(ClientSession cs) {
        if (!Boolean.FALSE.equals(cs.getAttribute(UserAuthPublicKey.USE_DEFAULT_IDENTITIES))) {
            return null; // IdentitiesOnly no: every agent key, as OpenSSH
        }
        SshHost host = cs.getConnectionContext() == null ? null : cs.getConnectionContext().getAttribute(HostKeyCheck.HOST);
        if (host == null || !host.user().equals(cs.getUsername()) || port(cs) != host.port()) {
            return null; // a hop: its IdentityFiles are not known here
        }
        Set<PublicKey> keys = new HashSet<>();
        for (String file : host.identityFiles()) {
            Path pub = Paths.get(file + ".pub");
            try {
                if (Files.isRegularFile(pub)) {
                    keys.add(PublicKeyEntry.parsePublicKeyEntry(
                        Files.readString(pub).strip()).resolvePublicKey(null, Map.of(), null));
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                note(cs, "cannot read " + pub + " (" + e.getMessage() + "): the agent's keys are not limited to it");
                return null;
            }
        }
        return keys.isEmpty() ? null : keys;
    }

    /**
     * For the client: a passphrase-protected key file is skipped, not decrypted, and noted for the
     * login error; its key can still be used through an agent that holds it.
     */
    static FilePasswordProvider passwords() {
        return new FilePasswordProvider() {
            @Override
            public String getPassword(SessionContext session, NamedResource resourceKey, int retryIndex) {
                return null;
            }

            @Override
            public <T> T decode(SessionContext session, NamedResource resourceKey, Decoder<? extends T> decoder) {
                note(session, "key " + resourceKey.getName() + " is passphrase-protected, so it is only used through"
                    + " an ssh-agent that holds it: load it with `ssh-add " + resourceKey.getName() + "` and run with"
                    + " SSH_AUTH_SOCK set, or name the agent's socket with IdentityAgent in the ssh config");
                return null;
            }
        };
    }

    /** Adds a line to the login's notes (shown if the login fails). */
    static void note(Object session, String line) {
        if (session instanceof ClientSession s && s.getConnectionContext() != null) {
            List<String> notes = s.getConnectionContext().getAttribute(NOTES);
            if (notes != null && !notes.contains(line)) {
                notes.add(line);
            }
        }
    }

    /** The notes of one login attempt (a synchronized list, set by SshSessions in the connection context). */
    static final AttributeKey<List<String>> NOTES =
        new AttributeKey<>();

    /**
     * The agent protocol (MINA's) over a Unix socket: one request, one answer, at a time. An answer
     * must come within {@link #ANSWER_MILLIS} (an agent that waits for a confirmation nobody gives
     * must not hold one of MINA's threads forever).
     */
    static final class UnixAgent extends AbstractAgentProxy {
        private static final int MAX_MESSAGE = 256 * 1024;
        static final long ANSWER_MILLIS = 10_000;
        private final SocketChannel channel;
        private final Selector selector;
        private final Set<PublicKey> only;

        private final long answerMillis;

        UnixAgent(Path socket, Set<PublicKey> only, long answerMillis) throws IOException {
            super(null);
            this.answerMillis = answerMillis;
            this.channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            try {
                channel.configureBlocking(false);
                this.selector = Selector.open();
                channel.register(selector, 0);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            this.only = only;
        }

        @Override
        public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
            Iterable<? extends Map.Entry<PublicKey, String>> all = super.getIdentities();
            if (only == null) {
                return all;
            }
            List<Map.Entry<PublicKey, String>> kept = new ArrayList<>();
            for (Map.Entry<PublicKey, String> e : all) {
                if (only.stream().anyMatch(k -> KeyUtils.compareKeys(k, e.getKey()))) {
                    kept.add(e);
                }
            }
            return kept;
        }

        @Override
        protected synchronized Buffer request(Buffer buffer) throws IOException {
            long deadline = System.nanoTime() + answerMillis * 1_000_000;
            ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(SelectionKey.OP_WRITE, deadline);
                }
            }
            ByteBuffer length = readFully(ByteBuffer.allocate(4), deadline);
            int n = length.getInt(0);
            if (n < 1 || n > MAX_MESSAGE) {
                throw new SshException("the ssh-agent answered with a message of " + n + " bytes");
            }
            return new ByteArrayBuffer(readFully(ByteBuffer.allocate(n), deadline).array());
        }

        private ByteBuffer readFully(ByteBuffer b, long deadline) throws IOException {
            while (b.hasRemaining()) {
                int r = channel.read(b);
                if (r < 0) {
                    throw new EOFException("the ssh-agent closed its socket mid-answer");
                }
                if (r == 0) {
                    await(SelectionKey.OP_READ, deadline);
                }
            }
            return b;
        }

        private void await(int op, long deadline) throws IOException {
            long ms = (deadline - System.nanoTime()) / 1_000_000;
            SelectionKey key = channel.keyFor(selector);
            key.interestOps(op);
            if (ms <= 0 || selector.select(ms) == 0) {
                throw new SshException("the ssh-agent did not answer within " + answerMillis + " ms");
            }
            selector.selectedKeys().clear();
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            try {
                selector.close();
                channel.close();
            } finally {
                super.close();
            }
        }
    }
}
