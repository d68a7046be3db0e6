package dev.alphaex.slurm;

import static dev.alphaex.slurm.SlurmProtocolTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alphaex.cluster.CommandResult;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** SubmitLimitQuery against sacctmgr's answers on the lab (src/test/resources/slurm/limits-*, see README there). */
class SubmitLimitQueryTest {
    private static final CommandResult ASSOC_QOS = new CommandResult(0, fixture("limits-assoc-qos.stdout"), "");

    @Test
    void commandNamesTheClusterQuotedAndReadsBothTables() {
        assertThat(SubmitLimitQuery.command("clusterb")).isEqualTo(
            "sacctmgr -n -P show user \"$USER\" withassoc where cluster='clusterb'"
                + " format=User,DefaultAccount,Cluster,Account,Partition,MaxSubmit,MaxJobs,QOS,DefaultQOS;"
                + " echo \"@@alphaex:assoc:$?\"; sacctmgr -n -P show qos format=Name,MaxSubmitPU,MaxJobsPU;"
                + " echo \"@@alphaex:qos:$?\"");
        assertThat(SubmitLimitQuery.command("it's")).contains("cluster='it'\\''s'");
        assertThatThrownBy(() -> SubmitLimitQuery.command(" ")).hasMessageContaining("ClusterName");
    }

    /** The default account's association (MaxSubmitJobs 40, MaxJobs 12); two QOS and no default: normal, no limits. */
    @Test
    void associationLimitsUnderTheDefaultAccount() {
        SubmitLimit l = SubmitLimitQuery.parse("clusterb", null, null, null, ASSOC_QOS);
        assertThat(l.known()).isTrue();
        assertThat(l.maxSubmit()).isEqualTo(OptionalLong.of(40));
        assertThat(l.maxRunning()).isEqualTo(OptionalLong.of(12));
        assertThat(l.source()).isEqualTo(
            "association axb/alphaex-it-limits on clusterb, QOS normal: MaxSubmitJobs of the association");
        assertThat(l.describe()).isEqualTo("MaxSubmitJobs 40, MaxJobs 12 (" + l.source() + ")");
    }

    /** A QOS's per-user limits come before the association's, as slurmctld applies them. */
    @Test
    void qosLimitsComeBeforeTheAssociations() {
        SubmitLimit l = SubmitLimitQuery.parse("clusterb", "", "alphaex-it-qos", "", ASSOC_QOS);
        assertThat(l.maxSubmit()).isEqualTo(OptionalLong.of(30));
        assertThat(l.maxRunning()).isEqualTo(OptionalLong.of(5));
        assertThat(l.source()).endsWith("QOS alphaex-it-qos: MaxSubmitJobsPerUser of the QOS");
    }

    /** Another account whose association has only one QOS (also its default): that QOS's limits. */
    @Test
    void theAccountsDefaultQosApplies() {
        SubmitLimit l = SubmitLimitQuery.parse("clusterb", "alphaex-it-other", null, null, ASSOC_QOS);
        assertThat(l.maxSubmit()).isEqualTo(OptionalLong.of(30));
        assertThat(l.source()).startsWith("association axb/alphaex-it-other on clusterb, QOS alphaex-it-qos");
    }

    @Test
    void anAccountTheUserHasNoAssociationWithIsUnknown() {
        SubmitLimit l = SubmitLimitQuery.parse("clusterb", "def-other", null, null, ASSOC_QOS);
        assertThat(l.known()).isFalse();
        assertThat(l.note()).contains("no association with account def-other").contains("may be refused");
    }

    /** The lab's users have no association (AccountingStorageEnforce=none): known, and no limit. */
    @Test
    void noAssociationIsNoLimit() {
        SubmitLimit l = SubmitLimitQuery.parse("clusterb", null, null, null,
            new CommandResult(0, fixture("limits-none.stdout"), ""));
        assertThat(l.known()).isTrue();
        assertThat(l.maxSubmit()).isEmpty();
        assertThat(l.maxRunning()).isEmpty();
        assertThat(l.describe()).startsWith("no submit limit; no association for this user on clusterb");
        assertThat(l.capped(500)).isEqualTo(500);
        assertThat(l.warning("cluster-b", 500)).isEmpty();
    }

    /** Associations of another cluster of the same slurmdbd do not count. */
    @Test
    void rowsOfAnotherClusterAreIgnored() {
        SubmitLimit l = SubmitLimitQuery.parse("clustera", null, null, null, ASSOC_QOS);
        assertThat(l.known()).isTrue();
        assertThat(l.maxSubmit()).isEmpty();
    }

    @Test
    void accountingAbsentIsUnknownNotUnlimited() {
        SubmitLimit l = SubmitLimitQuery.parse("clusterb", null, null, null, new CommandResult(0,
            fixture("limits-no-accounting.stdout"), fixture("limits-no-accounting.stderr")));
        assertThat(l.known()).isFalse();
        assertThat(l.note()).isEqualTo("sacctmgr failed (exit 1): You are not running a supported accounting_storage"
            + " plugin Only 'accounting_storage/slurmdbd' is supported.");
        assertThat(l.warning("cluster-b", 36)).hasValue("cluster-b: the account's submit limit is unknown ("
            + l.note() + "); planning with capacity 36");
        assertThat(l.capped(36)).isEqualTo(36);
    }

    @Test
    void slurmdbdDownIsUnknown() {
        SubmitLimit l = SubmitLimitQuery.parse("clusterb", null, null, null, new CommandResult(0,
            fixture("limits-slurmdbd-down.stdout"), fixture("limits-slurmdbd-down.stderr")));
        assertThat(l.known()).isFalse();
        assertThat(l.note()).contains("Connection refused");
    }

    @Test
    void noAnswerAtAllIsUnknown() {
        SubmitLimit l = SubmitLimitQuery.parse("clusterb", null, null, null, new CommandResult(127, "",
            "bash: sacctmgr: command not found\n"));
        assertThat(l.known()).isFalse();
        assertThat(l.note()).contains("command not found");
    }

    @Test
    void capacityAboveTheLimitIsCappedAndSaid() {
        SubmitLimit l = SubmitLimitQuery.parse("clusterb", null, null, null, ASSOC_QOS);
        assertThat(l.capped(500)).isEqualTo(40);
        assertThat(l.capped(36)).isEqualTo(36);
        assertThat(l.room(35)).isEqualTo(OptionalLong.of(5));
        assertThat(l.room(50)).isEqualTo(OptionalLong.of(0));
        assertThat(l.warning("cluster-b", 500)).hasValue("cluster-b: capacity 500 is above the account's submit limit 40 ("
            + l.source() + "); planning with 40");
        assertThat(l.warning("cluster-b", 40)).isEmpty();
    }
}
