package dev.alphaex.ssh;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running Slurm lab (.ci/slurm-lab/start.sh) as the integration tests see it: its key dir comes
 * from -Dalphaex.lab.keys (the slurm-it profile passes it), default /tmp/alphaex-slurm-lab/keys.
 * When the lab is not up, {@link #require()} fails the test with what to run; it never skips.
 */
public final class Lab {
    public static final String A = "cluster-a";
    public static final String B = "cluster-b";
    /** clustera behind a second factor: the key, then a TOTP code (sshd-mfa, user axm). */
    public static final String MFA = "cluster-a-mfa";
    /** The same with OpenSSH connection sharing (ControlMaster auto, ControlPath in the key dir). */
    public static final String MFA_CM = "cluster-a-mfa-cm";

    public final Path keys;
    public final Path sshConfig;
    public final Map<String, String> env;

    private Lab(Path keys, Map<String, String> env) {
        this.keys = keys;
        this.sshConfig = keys.resolve("ssh_config");
        this.env = env;
    }

    public static Lab require() {
        Path keys = Paths.get(System.getProperty("alphaex.lab.keys", "/tmp/alphaex-slurm-lab/keys"));
        String start = "the Slurm lab is not running: start it first with `sudo .ci/slurm-lab/start.sh`"
            + " (as root; key dir " + keys + ", or pass -Dalphaex.lab.keys=DIR)";
        Path envFile = keys.resolve("lab.env");
        if (!Files.isRegularFile(envFile) || !Files.isRegularFile(keys.resolve("ssh_config"))) {
            fail(start + ": " + envFile + " is missing");
        }
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(envFile)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            fail(start + ": cannot read " + envFile + ": " + e);
        }
        int port = Integer.parseInt(env.getOrDefault("AX_LAB_SSH_PORT", "2322"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        } catch (IOException e) {
            fail(start + ": nothing listens on 127.0.0.1:" + port + " (" + e.getMessage() + ")");
        }
        return new Lab(keys, env);
    }

    public int sshPort() {
        return Integer.parseInt(env.get("AX_LAB_SSH_PORT"));
    }

    public int mfaPort() {
        return Integer.parseInt(env.get("AX_LAB_MFA_PORT"));
    }

    /** sshd-mfa's log (LogLevel VERBOSE: every authentication). */
    public Path mfaLog() {
        return Path.of(env.get("AX_LAB_MFA_LOG"));
    }

    /** The current TOTP code of axm (oathtool reads the secret from its file: it is never in an argument). */
    public String totp() throws IOException, InterruptedException {
        return oathtool("now");
    }

    /**
     * A code that sshd-mfa takes now, also where a code may be used only once: google-authenticator's
     * DISALLOW_REUSE (on by default, and on most sites) refuses a second login with the code of the same 30 s step.
     * When the lab's sshd-mfa refuses reuse (or its setting cannot be read), the code is of a step no test has used
     * yet: the current one, or, when the current step's code was already given out (by this JVM or another test
     * run, recorded in {@link #USED_STEP}), the next step's, after waiting for it. The lab's start.sh allows reuse,
     * so the suite does not wait there.
     */
    public String freshTotp() throws IOException, InterruptedException {
        synchronized (Lab.class) {
            long used = Files.exists(USED_STEP) ? Long.parseLong(Files.readString(USED_STEP).strip()) : -1;
            long now = System.currentTimeMillis() / 1000;
            if (now / 30 <= used && refusesReuse()) {
                long wait = (used + 1) * 30 - now;
                System.out.printf("waiting %d s for a TOTP code not used yet%n", wait);
                Thread.sleep(wait * 1000 + 200);
                now = System.currentTimeMillis() / 1000;
            }
            String code = oathtool("@" + now);
            Files.createDirectories(USED_STEP.getParent());
            Files.writeString(USED_STEP, Long.toString(now / 30));
            return code;
        }
    }

    /** Does sshd-mfa refuse a code used before ({@code " DISALLOW_REUSE} in its user's ~/.google_authenticator)? */
    private boolean refusesReuse() {
        Path settings = Path.of("/home", env.getOrDefault("AX_LAB_M_USER", "axm"), ".google_authenticator");
        try {
            return Files.readAllLines(settings).stream().anyMatch(l -> l.startsWith("\" DISALLOW_REUSE")); // then the steps used
        } catch (IOException e) {
            return true; // cannot tell: do as a site that refuses
        }
    }

    /** The last 30 s step whose code a test gave out (see {@link #freshTotp()}). */
    static final Path USED_STEP = Path.of("/tmp/alphaex-it/.totp-last-used-step");

    /** A code that sshd-mfa rejects now (none of those valid from 2 min ago to 2 min ahead). */
    public String wrongTotp() throws IOException, InterruptedException {
        java.util.Set<String> valid = new java.util.HashSet<>();
        for (int s = -120; s <= 120; s += 30) {
            valid.add(oathtool((s < 0 ? "" : "+") + s + " seconds"));
        }
        int c = (Integer.parseInt(oathtool("now")) + 500_000) % 1_000_000;
        while (valid.contains(String.format("%06d", c))) {
            c = (c + 1) % 1_000_000;
        }
        return String.format("%06d", c);
    }

    private String oathtool(String now) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("oathtool", "--totp", "-b", "-N", now, "@" + env.get("AX_LAB_TOTP_SECRET"))
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || !out.matches("\\d{6}")) {
            fail("oathtool failed (is the lab's package oathtool installed? run .ci/slurm-lab/start.sh): " + out);
        }
        return out;
    }

    public SshSessions sessions() {
        return SshSessions.open(sshConfig);
    }

    public SshSessions sessions(SshSessions.Settings settings) {
        return new SshSessions(SshConfigFile.load(sshConfig), settings);
    }

    /** An ssh config for alias {@code name} like cluster-a's, with extra/overriding lines first (first value wins). */
    public Path configWith(Path dir, String name, String... lines) throws IOException {
        StringBuilder sb = new StringBuilder("Host ").append(name).append('\n');
        for (String l : lines) {
            sb.append("  ").append(l).append('\n');
        }
        sb.append("Host ").append(name).append('\n'); // a second block: its values only fill what the first left unset
        sb.append("  HostName 127.0.0.1\n  Port ").append(sshPort()).append("\n  User ").append(env.get("AX_LAB_A_USER"))
            .append("\n  IdentityFile ").append(keys.resolve("id_ed25519")).append("\n  IdentitiesOnly yes\n")
            .append("  UserKnownHostsFile ").append(keys.resolve("known_hosts")).append("\n  StrictHostKeyChecking yes\n");
        Path file = dir.resolve("ssh_config_" + name);
        Files.writeString(file, sb.toString());
        return file;
    }
}
