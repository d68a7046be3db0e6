package dev.alphaex.ssh;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.CommandResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated SSH session per cluster alias, reused for every command and re-established when
 * it drops (MINA SSHD client; hosts, users, ports, keys, ProxyJump and known_hosts from an OpenSSH
 * config file). Logins are counted per alias. Every step has a time limit: connect, login
 * (key exchange + authentication) and each remote command; a command that overruns has its channel
 * closed and raises {@link ClusterException} (UNREACHABLE). Thread-safe: commands to one alias run as
 * concurrent channels of its session.
 *
 * <p>A login that asks keyboard-interactive questions (a second factor) asks them through the
 * {@link Prompter} (the controller's terminal, if any); one that nobody answers, or whose answer the server
 * rejects, pauses its cluster ({@link LoginPauses}, {@link LoginPolicy}): the {@code ClusterException} then
 * has a {@link LoginPausedException} as its cause, and further logins wait for what the policy allows.
 * At start the engine calls {@link #loginOneByOne} so that all questions come in one sitting.
 */
public final class SshSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshSessions.class);

    /** Key exchanges tried first: curve25519 costs a few ms; MINA's default sntrup761 ~150 ms per login. */
    public static final List<String> FAST_KEX = List.of("curve25519-sha256", "curve25519-sha256@libssh.org");

    /**
     * Time limits and key exchange preference.
     *
     * @param connectTimeout TCP connect (and ProxyJump hops)
     * @param loginTimeout   key exchange + authentication
     * @param commandTimeout default limit of one remote command
     * @param kexFirst       key exchange names moved to the front of MINA's list (empty: MINA's order)
     */
    public record Settings(Duration connectTimeout, Duration loginTimeout, Duration commandTimeout, List<String> kexFirst) {
        public Settings {
            positive(connectTimeout, "connectTimeout");
            positive(loginTimeout, "loginTimeout");
            positive(commandTimeout, "commandTimeout");
            kexFirst = List.copyOf(kexFirst);
        }

        /** 10 s connect, 20 s login, 2 min per command, curve25519 first. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMinutes(2), FAST_KEX);
        }

        public Settings withCommandTimeout(Duration d) {
            return new Settings(connectTimeout, loginTimeout, d, kexFirst);
        }

        public Settings withConnectTimeout(Duration d) {
            return new Settings(d, loginTimeout, commandTimeout, kexFirst);
        }

        public Settings withLogin(Duration d) {
            return new Settings(connectTimeout, d, commandTimeout, kexFirst);
        }

        public Settings withKexFirst(List<String> names) {
            return new Settings(connectTimeout, loginTimeout, commandTimeout, names);
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
            }
        }
    }

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        final AtomicInteger logins = new AtomicInteger();
        volatile ClientSession session;
    }

    private final SshConfigFile config;
    private final Settings settings;
    private final SshClient client;
    private final Prompter prompter;
    private final LoginPauses pauses;
    private final SshLogin logins;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<Path, HostKeyCheck> hostKeyChecks = new ConcurrentHashMap<>();

    /**
     * Sessions for the aliases of {@code config}, with {@code settings}; questions at login go to the
     * controller's terminal if it has one ({@link Terminal#detect()}), pause files to
     * {@link LoginPauses#fromSystem()}. Starts MINA's client.
     */
    public SshSessions(SshConfigFile config, Settings settings) {
        this(config, settings, Terminal.detect(), LoginPauses.fromSystem());
    }

    /**
     * Sessions whose login questions (keyboard-interactive: a second factor) go to {@code prompter}, and
     * whose paused clusters are kept by {@code pauses}. Starts MINA's client.
     */
    public SshSessions(SshConfigFile config, Settings settings, Prompter prompter, LoginPauses pauses) {
        this.config = config;
        this.settings = settings;
        this.prompter = prompter;
        this.pauses = pauses;
        this.client = SshClient.setUpDefaultClient();
        client.setHostConfigEntryResolver(config.resolver());
        client.setServerKeyVerifier((session, remote, key) -> hostKeyCheck(session).verifyServerKey(session, remote, key));
        if (!settings.kexFirst().isEmpty()) {
            client.setKeyExchangeFactories(preferKex(client.getKeyExchangeFactories(), settings.kexFirst()));
        }
        // keys in an ssh-agent (IdentityAgent / SSH_AUTH_SOCK); passphrase-protected files only through one
        client.setAgentFactory(new SshAgents(System::getenv));
        client.setFilePasswordProvider(SshAgents.passwords());
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, settings.connectTimeout());
        // a login that asks a question may wait for its answer (SshLogin enforces the limits)
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.loginTimeout().plus(prompter.answerTime()));
        // keyboard-interactive: questions to the prompter; one try per login, so a rejected answer is not retried
        client.setUserInteraction(new KeyboardInteractive(prompter));
        CoreModuleProperties.PASSWORD_PROMPTS.set(client, 1);
        // find a dead connection within ~1 min even while idle, so the next command logs in afresh
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(15));
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 4);
        client.start();
        this.logins = new SshLogin(client, config, settings, prompter, pauses);
    }

    /** Sessions for the aliases of the config file at {@code sshConfig}, default settings. */
    public static SshSessions open(Path sshConfig) {
        return new SshSessions(SshConfigFile.load(sshConfig), Settings.defaults());
    }

    /**
     * For bean definitions: sessions for the aliases of the OpenSSH config file at {@code sshConfig}
     * (blank: ~/.ssh/config; a missing file declares no alias), default settings.
     */
    public static SshSessions fromConfig(String sshConfig) {
        return open(configPath(sshConfig));
    }

    /**
     * For the campaign's bean (routes/alphaex.yaml): as {@link #fromConfig(String)}, with the pause files (the file a
     * user removes to bring a paused cluster back) in the campaign's folder: {@code pauseDir} when given
     * ({@code alphaex.ssh.pauseDir}), else {@code <campaignDir>/paused}, where a blank campaignDir is the campaign's
     * default folder {@code work/<campaignName>}.
     */
    public static SshSessions fromConfig(String sshConfig, String pauseDir, String campaignDir, String campaignName) {
        Path dir = pauseDir != null && !pauseDir.isBlank() ? Path.of(pauseDir)
                : (campaignDir == null || campaignDir.isBlank() ? Path.of("work", campaignName == null ? "" : campaignName) : Path.of(campaignDir)).resolve("paused");
        return new SshSessions(SshConfigFile.load(configPath(sshConfig)), Settings.defaults(), Terminal.detect(),
                new LoginPauses(dir, java.time.Clock.systemDefaultZone()));
    }

    private static Path configPath(String sshConfig) {
        return sshConfig == null || sshConfig.isBlank()
                ? Path.of(System.getProperty("user.home"), ".ssh", "config") : Path.of(sshConfig);
    }

    public Settings settings() {
        return settings;
    }

    public SshConfigFile config() {
        return config;
    }

    /** The alias as the config file resolves it. */
    public SshHost host(String alias) {
        return config.resolve(alias);
    }

    /** Successful logins to alias so far (1 while nothing dropped). */
    public int logins(String alias) {
        Slot slot = slots.get(alias);
        return slot == null ? 0 : slot.logins.get();
    }

    /** Logins per alias, by alias. */
    public Map<String, Integer> logins() {
        Map<String, Integer> out = new TreeMap<>();
        slots.forEach((alias, slot) -> out.put(alias, slot.logins.get()));
        return out;
    }

    /** Runs command with the default command timeout. */
    public CommandResult exec(String alias, String command) throws ClusterException {
        return exec(alias, command, settings.commandTimeout());
    }

    /**
     * Runs {@code command} through alias's login shell on the reused session.
     *
     * @return exit status (128 + n when killed by signal n, -1 when the server gave none), stdout, stderr (UTF-8)
     * @throws ClusterException UNREACHABLE when no session can be had, the connection drops, or the command
     *                          does not finish within {@code timeout} (its channel is then closed)
     */
    public CommandResult exec(String alias, String command, Duration timeout) throws ClusterException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ChannelExec channel = openChannel(alias, command, timeout);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            channel.setOut(out);
            channel.setErr(err);
            if (!channel.open().await(remaining(deadline))) {
                throw timedOut(alias, command, timeout, "opening the channel");
            }
            channel.getInvertedIn().close(); // no stdin: EOF at once, so nothing waits for input
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remaining(deadline));
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw timedOut(alias, command, timeout, "running");
            }
            Integer status = channel.getExitStatus();
            if (status == null && channel.getExitSignal() == null && !channel.getSession().isOpen()) {
                throw new ClusterException(Kind.UNREACHABLE, "the connection to " + alias
                    + " dropped while running: " + shorten(command));
            }
            int rc = status != null ? status : signalStatus(channel.getExitSignal());
            return new CommandResult(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ClusterException(Kind.UNREACHABLE, "command on " + alias + " failed: " + e.getMessage()
                + ": " + shorten(command), e);
        } finally {
            channel.close(true);
        }
    }

    private ChannelExec openChannel(String alias, String command, Duration timeout) throws ClusterException {
        ClientSession session = session(alias);
        try {
            return session.createExecChannel(command);
        } catch (IOException first) {
            // the session died since we last used it: the command was not sent, so one fresh login is safe
            drop(alias);
            try {
                return session(alias).createExecChannel(command);
            } catch (IOException e) {
                throw new ClusterException(Kind.UNREACHABLE, "cannot open a channel to " + alias + ": " + e.getMessage(), e);
            }
        }
    }

    private ClusterException timedOut(String alias, String command, Duration timeout, String phase) {
        return new ClusterException(Kind.UNREACHABLE, "command on " + alias + " did not finish within "
            + timeout.toMillis() + " ms (" + phase + "); its channel was closed: " + shorten(command));
    }

    /**
     * The authenticated session of alias: the open one, else a new login.
     *
     * @throws ClusterException UNREACHABLE when connect or login fails or times out; the message says why
     *                          (for a host key: which host, which fingerprint, how to trust it)
     */
    public ClientSession session(String alias) throws ClusterException {
        Slot slot = slots.computeIfAbsent(alias, a -> new Slot());
        ClientSession s = slot.session;
        if (usable(s)) {
            return s;
        }
        slot.lock.lock();
        try {
            s = slot.session;
            if (usable(s)) {
                return s;
            }
            if (s != null) {
                LOG.info("ssh session to {} was closed; logging in again", alias);
                s.close(true);
            }
            s = logins.login(alias);
            slot.session = s;
            int n = slot.logins.incrementAndGet();
            LOG.info("ssh login to {} ({}), login #{}", alias, config.resolve(alias), n);
            return s;
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * The engine's first step: logs in to each alias, one after another, before any polling starts, so that
     * the clusters whose login asks a question (a second factor) ask it in one sitting on the terminal, each
     * with its full answer time, and each is answered once: the sessions are then kept (heartbeats) and
     * reused for the whole campaign. Never throws for a cluster: each gets its outcome.
     */
    public List<StartLogin> loginOneByOne(Collection<String> aliases) {
        List<StartLogin> out = new ArrayList<>();
        for (String alias : aliases) {
            try {
                session(alias);
                out.add(new StartLogin(alias, StartLogin.Outcome.LOGGED_IN, "logged in to " + host(alias), null));
            } catch (ClusterException e) {
                LoginPausedException pause = LoginPausedException.in(e).orElse(null);
                out.add(new StartLogin(alias, pause != null ? StartLogin.Outcome.PAUSED : StartLogin.Outcome.FAILED,
                    e.getMessage(), pause));
            }
        }
        return out;
    }

    /** The first question the login of alias's current session asked (a second factor), if it asked one. */
    public java.util.Optional<String> askedAtLogin(String alias) {
        Slot slot = slots.get(alias);
        ClientSession s = slot == null ? null : slot.session;
        AttributeRepository ctx = s == null ? null : s.getConnectionContext();
        KeyboardInteractive.Attempt attempt = ctx == null ? null : ctx.getAttribute(KeyboardInteractive.ATTEMPT);
        return attempt != null && attempt.asked() ? java.util.Optional.of(attempt.firstPrompt()) : java.util.Optional.empty();
    }

    /** The paused clusters' pauses (and the pause files the user removes to act). */
    public LoginPauses pauses() {
        return pauses;
    }

    /** Who answers login questions here (the terminal, or nobody). */
    public Prompter prompter() {
        return prompter;
    }

    /** Closes alias's session (if any); the next command logs in again. */
    public void drop(String alias) {
        Slot slot = slots.get(alias);
        if (slot != null) {
            ClientSession s = slot.session;
            slot.session = null;
            if (s != null) {
                s.close(true);
            }
        }
    }

    private static boolean usable(ClientSession s) {
        return s != null && s.isOpen() && !s.isClosing() && s.isAuthenticated();
    }

    private HostKeyCheck hostKeyCheck(ClientSession session) {
        AttributeRepository ctx = session.getConnectionContext();
        SshHost host = ctx == null ? null : ctx.getAttribute(HostKeyCheck.HOST);
        if (host == null) {
            throw new IllegalStateException("session without a host: " + session);
        }
        return hostKeyChecks.computeIfAbsent(host.knownHosts(), HostKeyCheck::new);
    }

    static List<KeyExchangeFactory> preferKex(List<KeyExchangeFactory> available, List<String> first) {
        List<KeyExchangeFactory> out = new ArrayList<>();
        for (String name : first) {
            available.stream().filter(f -> f.getName().equals(name)).findFirst().ifPresent(out::add);
        }
        for (KeyExchangeFactory f : available) {
            if (!out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    private static long remaining(long deadline) {
        return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    }

    private static int signalStatus(String signal) {
        if (signal == null) {
            return -1;
        }
        return switch (signal) {
            case "HUP" -> 129;
            case "INT" -> 130;
            case "KILL" -> 137;
            case "SEGV" -> 139;
            case "PIPE" -> 141;
            case "TERM" -> 143;
            default -> 128;
        };
    }

    static String shorten(String command) {
        String c = command.replace('\n', ' ');
        return c.length() > 200 ? c.substring(0, 200) + "..." : c;
    }

    @Override
    public void close() {
        for (String alias : slots.keySet()) {
            drop(alias);
        }
        try {
            client.stop();
        } catch (RuntimeException e) {
            LOG.debug("stopping the ssh client", e);
        }
    }
}
