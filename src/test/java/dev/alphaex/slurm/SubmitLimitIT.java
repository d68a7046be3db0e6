package dev.alphaex.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.alphaex.ssh.Lab;
import dev.alphaex.ssh.Shell;
import dev.alphaex.ssh.SshSessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The submit limit read over SSH from the lab's real accounting. For the test, the lab user axb (clusterb)
 * gets two associations and a QOS with limits, set up here with sacctmgr (as root, like the lab itself) and
 * removed after it ({@link #undo()}): before the test axb has no association at all (the lab's AccountingStorageEnforce
 * is none, so the limits are read, not enforced). Leftovers of an interrupted run are removed first.
 */
class SubmitLimitIT {
    private static final String QOS = "alphaex-it-qos";
    private static final String ACCOUNT = "alphaex-it-limits";
    private static final String OTHER = "alphaex-it-other";
    private static Lab lab;
    private static SshSessions ssh;
    private static String user;
    private static String cluster;

    @BeforeAll
    static void limits() throws Exception {
        lab = Lab.require();
        ssh = lab.sessions();
        user = lab.env.get("AX_LAB_B_USER");
        cluster = lab.env.get("AX_LAB_B_CLUSTER");
        String assocs = sacctmgr("-n", "-P", "show", "assoc", "where", "user=" + user, "format=Account").strip();
        for (String account : assocs.lines().toList()) {
            if (!account.startsWith("alphaex-it-")) {
                fail("lab user " + user + " has an association with account " + account + " that this test did not make;"
                    + " it only adds and removes its own (alphaex-it-*): remove it or run the test on a fresh lab");
            }
        }
        removeTestAccounting(); // leftovers of an interrupted run
        sacctmgr("-i", "add", "qos", QOS, "MaxSubmitJobsPerUser=30", "MaxJobsPerUser=5");
        sacctmgr("-i", "add", "account", ACCOUNT, "cluster=" + cluster, "Description=alphaex-it", "Organization=alphaex-it",
            "MaxSubmitJobs=40"); // copied into the associations of its users
        sacctmgr("-i", "add", "account", OTHER, "cluster=" + cluster, "Description=alphaex-it", "Organization=alphaex-it");
        sacctmgr("-i", "add", "user", user, "account=" + ACCOUNT, "cluster=" + cluster, "MaxJobs=12", "qos=normal," + QOS);
        sacctmgr("-i", "add", "user", user, "account=" + OTHER, "cluster=" + cluster, "qos=" + QOS, "defaultqos=" + QOS);
    }

    @AfterAll
    static void undo() throws Exception {
        try {
            removeTestAccounting();
            assertThat(sacctmgr("-n", "-P", "show", "assoc", "where", "user=" + user)).as(user + " restored").isBlank();
        } finally {
            if (ssh != null) {
                ssh.close();
            }
        }
    }

    private static void removeTestAccounting() throws Exception {
        if (!sacctmgr("-n", "-P", "show", "user", user).isBlank()) {
            sacctmgr("-i", "delete", "user", user); // it had no user record before: remove it whole
        }
        if (!sacctmgr("-n", "-P", "show", "account", ACCOUNT + "," + OTHER).isBlank()) {
            sacctmgr("-i", "delete", "account", ACCOUNT + "," + OTHER);
        }
        if (!sacctmgr("-n", "-P", "show", "qos", QOS).isBlank()) {
            sacctmgr("-i", "delete", "qos", QOS);
        }
    }

    private SubmitLimit read(String account, String qos) throws Exception {
        return SubmitLimitQuery.parse(cluster, account, qos, null, ssh.exec(Lab.B, SubmitLimitQuery.command(cluster)));
    }

    @Test
    void associationLimitOfTheDefaultAccount() throws Exception {
        SubmitLimit l = read(null, null);
        assertThat(l.known()).isTrue();
        assertThat(l.maxSubmit()).isEqualTo(OptionalLong.of(40));
        assertThat(l.maxRunning()).isEqualTo(OptionalLong.of(12));
        assertThat(l.source()).contains("association " + user + "/" + ACCOUNT + " on " + cluster + ", QOS normal");
    }

    @Test
    void qosLimitWinsOverTheAssociation() throws Exception {
        SubmitLimit asked = read(ACCOUNT, QOS);
        assertThat(asked.maxSubmit()).isEqualTo(OptionalLong.of(30));
        assertThat(asked.maxRunning()).isEqualTo(OptionalLong.of(5));
        SubmitLimit byDefault = read(OTHER, null);
        assertThat(byDefault.maxSubmit()).isEqualTo(OptionalLong.of(30));
        assertThat(byDefault.source()).contains("QOS " + QOS);
    }

    /** axa on clustera has no association (the lab as it is): known, no limit. */
    @Test
    void noAssociationIsNoLimit() throws Exception {
        String a = lab.env.get("AX_LAB_A_CLUSTER");
        SubmitLimit l = SubmitLimitQuery.parse(a, null, null, null, ssh.exec(Lab.A, SubmitLimitQuery.command(a)));
        assertThat(l.known()).isTrue();
        assertThat(l.maxSubmit()).isEmpty();
        assertThat(l.note()).contains("no association");
    }

    /** The real sacctmgr on a configuration without accounting, and with slurmdbd out of reach: unknown. */
    @Test
    void accountingAbsentOrDownIsUnknown() throws Exception {
        ssh.exec(Lab.B, "mkdir -p ~/it-work && sed -e 's|^AccountingStorageType=.*|AccountingStorageType=accounting_storage/none|'"
            + " \"$SLURM_CONF\" > ~/it-work/noacct.conf && sed -e 's|^AccountingStoragePort=.*|AccountingStoragePort=7999|'"
            + " \"$SLURM_CONF\" > ~/it-work/nodbd.conf");
        try {
            SubmitLimit none = SubmitLimitQuery.parse(cluster, null, null, null, ssh.exec(Lab.B,
                "SLURM_CONF=~/it-work/noacct.conf; export SLURM_CONF; " + SubmitLimitQuery.command(cluster)));
            assertThat(none.known()).isFalse();
            assertThat(none.note()).contains("not running a supported accounting_storage plugin");
            SubmitLimit down = SubmitLimitQuery.parse(cluster, null, null, null, ssh.exec(Lab.B,
                "SLURM_CONF=~/it-work/nodbd.conf; export SLURM_CONF; " + SubmitLimitQuery.command(cluster)));
            assertThat(down.known()).isFalse();
            assertThat(down.note()).contains("Connection refused");
        } finally {
            ssh.exec(Lab.B, "rm -f ~/it-work/noacct.conf ~/it-work/nodbd.conf");
        }
    }

    /** sacctmgr on this machine, on the lab's configuration (as root: the lab's accounting admin). */
    private static String sacctmgr(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("sacctmgr"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SLURM_CONF", lab.env.get("AX_LAB_B_SLURM_CONF"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail("sacctmgr " + String.join(" ", args) + " failed (this test changes the lab's accounting and runs as root,"
                + " like .ci/slurm-lab/start.sh): " + out + " " + Shell.quote(String.join(" ", cmd)));
        }
        return out;
    }
}
