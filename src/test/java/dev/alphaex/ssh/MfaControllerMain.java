package dev.alphaex.ssh;

import dev.alphaex.cluster.ClusterException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A controller's SSH side as SecondFactorPtyIT starts it on a pseudo-terminal: the built-in client with
 * questions on the terminal it detects. Prints one line per step for the test to wait on.
 *
 * <pre>MfaControllerMain PAUSE_DIR session|poll</pre>
 */
public final class MfaControllerMain {
    private MfaControllerMain() {
    }

    public static void main(String[] args) throws Exception {
        Lab lab = Lab.require();
        LoginPauses pauses = new LoginPauses(Path.of(args[0]), Clock.systemDefaultZone());
        try (SshSessions ssh = new SshSessions(SshConfigFile.load(lab.sshConfig), SshSessions.Settings.defaults(),
            Terminal.detect(), pauses)) {
            System.out.println("PROMPTER " + ssh.prompter().getClass().getSimpleName());
            if (args[1].equals("session")) {
                session(ssh);
            } else {
                startThenPoll(ssh);
            }
        }
    }

    /** Both clusters at start, many commands, then a dropped MFA session that logs in (and asks) again. */
    private static void session(SshSessions ssh) throws Exception {
        for (StartLogin s : ssh.loginOneByOne(List.of(Lab.MFA, Lab.A))) {
            System.out.println("START " + s.alias() + " " + s.outcome());
        }
        for (int i = 0; i < 20; i++) {
            ssh.exec(Lab.MFA, "true");
            ssh.exec(Lab.A, "true");
        }
        System.out.println("LOGINS " + ssh.logins());
        try {
            ssh.exec(Lab.MFA, "kill -9 $PPID"); // the server side of the session dies
        } catch (ClusterException e) {
            System.out.println("DROPPED");
        }
        Thread.sleep(300);
        System.out.println("BACK " + ssh.exec(Lab.MFA, "echo $USER").stdout().strip() + " " + ssh.logins());
    }

    /** A login at start, then a poll every 200 ms until a login works (e.g. after the user's act). */
    private static void startThenPoll(SshSessions ssh) throws Exception {
        StartLogin s = ssh.loginOneByOne(List.of(Lab.MFA)).get(0);
        if (s.pause() != null) {
            System.out.println(s.message()); // as the campaign logs it: the one line of the pause
        }
        System.out.println("START " + s.alias() + " " + s.outcome() + " " + (s.pause() == null ? "" : s.pause().reason()));
        int refused = 0;
        long end = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < end) {
            try {
                System.out.println("RESUMED " + ssh.exec(Lab.MFA, "echo $USER").stdout().strip() + " after " + refused
                    + " refused polls");
                return;
            } catch (ClusterException e) {
                if (refused++ == 0) {
                    System.out.println("REFUSED " + LoginPausedException.in(e).map(LoginPausedException::reason).orElse(null));
                }
            }
            Thread.sleep(200);
        }
        System.out.println("GAVE UP");
    }
}
