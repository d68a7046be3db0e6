package dev.alphaex.bench;

import dev.alphaex.openssh.OpenSshTransport;
import dev.alphaex.ssh.ControlMasters;
import dev.alphaex.ssh.Lab;
import dev.alphaex.ssh.LoginPauses;
import dev.alphaex.ssh.Prompter;
import dev.alphaex.ssh.SshConfigFile;
import dev.alphaex.ssh.SshSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * SSH figures against the Slurm lab over loopback (start it first: .ci/slurm-lab/start.sh), in one run:
 * ms per login with MINA's default key exchange (sntrup761 first) and with curve25519 first; ms per
 * command on the reused session, on a fresh login each time (what camel-ssh does), and through a new
 * OpenSSH client process each time (what AlphaEx does). Then, on the lab's second-factor cluster (key + TOTP
 * code, answered here with oathtool): a command on the built-in client's reused session, with a fresh login
 * and code each time, and over an OpenSSH ControlMaster (the OpenSSH transport; the master is opened once on
 * a pseudo-terminal, as a user would).
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.bench.SshBenchmark \
 *   [-Dexec.args="SSH_CONFIG ALIAS N"]</pre>
 */
public final class SshBenchmark {
    private SshBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Paths.get(args.length > 0 ? args[0] : "/tmp/alphaex-slurm-lab/keys/ssh_config");
        String alias = args.length > 1 ? args[1] : "cluster-a";
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        System.out.printf("ssh benchmark: %s via %s, %d rounds each (after 5 warm-up rounds), loopback%n", alias, config, n);

        double loginDefault;
        double loginFast;
        try (SshSessions def = new SshSessions(SshConfigFile.load(config), SshSessions.Settings.defaults().withKexFirst(List.of()))) {
            loginDefault = logins(def, alias, n);
        }
        try (SshSessions fast = new SshSessions(SshConfigFile.load(config), SshSessions.Settings.defaults())) {
            loginFast = logins(fast, alias, n);
            double reused = time(n, () -> fast.exec(alias, "true"));
            int before = fast.logins(alias);
            double fresh = time(n, () -> {
                fast.drop(alias);
                fast.exec(alias, "true");
            });
            int freshLogins = fast.logins(alias) - before;
            double openssh = time(Math.min(n, 20), () -> {
                Process p = new ProcessBuilder("ssh", "-F", config.toString(), alias, "true").inheritIO().start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("ssh exited " + p.exitValue());
                }
            });
            System.out.printf("login, MINA default kex (sntrup761 first):  %7.1f ms%n", loginDefault);
            System.out.printf("login, curve25519-sha256 first:             %7.1f ms   (%.1fx faster)%n", loginFast,
                loginDefault / loginFast);
            System.out.printf("exec 'true' on the reused session:          %7.1f ms%n", reused);
            System.out.printf("exec 'true' with a fresh login each time:   %7.1f ms   (%.1fx the reused session; %d logins)%n",
                fresh, fresh / reused, freshLogins);
            System.out.printf("exec 'true' with a new OpenSSH process:     %7.1f ms   (%.1fx the reused session)%n",
                openssh, openssh / reused);
            System.out.printf("logins to %s on the reused-session pool: %d (%d while timing logins, the reused rounds on the"
                + " last of them, + %d fresh)%n", alias, fast.logins(alias), before, freshLogins);
        }
        secondFactor(config, n);
    }

    /** The second-factor cluster: built-in reused session, fresh login + code, OpenSSH ControlMaster. */
    private static void secondFactor(Path config, int n) throws Exception {
        System.setProperty("alphaex.lab.keys", config.getParent().toString());
        Lab lab = Lab.require();
        Prompter oathtool = new Prompter() {
            @Override
            public Reply answer(Challenge c) {
                try {
                    return Reply.of(List.of(lab.totp()));
                } catch (Exception e) {
                    return Reply.none("oathtool: " + e.getMessage());
                }
            }

            @Override
            public Duration answerTime() {
                return Duration.ofSeconds(10);
            }

            @Override
            public boolean canAsk() {
                return true;
            }
        };
        Path pauses = Files.createTempDirectory("ssh-bench-paused");
        int rounds = Math.min(n, 20);
        try (SshSessions mfa = new SshSessions(SshConfigFile.load(config), SshSessions.Settings.defaults(), oathtool,
            new LoginPauses(pauses, Clock.systemDefaultZone()))) {
            double reused = time(n, () -> mfa.exec(Lab.MFA, "true"));
            int before = mfa.logins(Lab.MFA);
            double fresh = time(rounds, () -> {
                mfa.drop(Lab.MFA);
                mfa.exec(Lab.MFA, "true");
            });
            int freshLogins = mfa.logins(Lab.MFA) - before;
            ControlMasters.open(lab, Lab.MFA_CM);
            double master;
            try {
                OpenSshTransport openssh = new OpenSshTransport(OpenSshTransport.Settings.defaults(config));
                master = time(n, () -> {
                    if (openssh.exec(Lab.MFA_CM, "true").exitCode() != 0) {
                        throw new IllegalStateException("ssh over the master failed");
                    }
                });
            } finally {
                ControlMasters.close(lab, Lab.MFA_CM);
            }
            System.out.printf("second factor (%s: key + TOTP code from oathtool):%n", Lab.MFA);
            System.out.printf("exec 'true' on the reused built-in session: %7.1f ms%n", reused);
            System.out.printf("exec 'true' with a fresh login + code:      %7.1f ms   (%.1fx the reused session; %d logins)%n",
                fresh, fresh / reused, freshLogins);
            System.out.printf("exec 'true' over an OpenSSH ControlMaster:  %7.1f ms   (%.1fx the reused session; 1 login, the master's)%n",
                master, master / reused);
        }
    }

    interface Step {
        void run() throws Exception;
    }

    private static double logins(SshSessions ssh, String alias, int n) throws Exception {
        return time(n, () -> {
            ssh.drop(alias);
            ssh.session(alias);
        });
    }

    /** Median ms of n rounds after 5 warm-up rounds. */
    private static double time(int n, Step step) throws Exception {
        for (int i = 0; i < 5; i++) {
            step.run();
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[n / 2];
    }
}
