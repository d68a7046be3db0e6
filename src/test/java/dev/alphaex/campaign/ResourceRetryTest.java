package dev.alphaex.campaign;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retries that change resources, per outcome, off by default (README, Failures). */
class ResourceRetryTest {
    private static final RetryPolicy POLICY = RetryPolicy.parse(3, "FAILED,NODE_FAIL,PREEMPTED,BOOT_FAIL,VANISHED");
    private static final Map<String, String> CLUSTER = Map.of("time", "10", "mem", "2G");

    private static ResourceRetry bind(Map<String, String> p) {
        return ResourceRetry.bind(p::get, name -> "-D" + name);
    }

    private static ResourceRetry.Next next(ResourceRetry r, String outcome, Resources ran, String node, int counted) {
        return r.next(POLICY, outcome, null, Resources.NONE, ran, CLUSTER, "a", node, counted);
    }

    @Test
    void offByDefaultThePolicyAloneDecides() {
        ResourceRetry off = bind(Map.of());
        assertThat(next(off, "TIMEOUT", Resources.NONE, "", 1).phase()).isEqualTo(Phase.FAILED);
        assertThat(next(off, "OUT_OF_MEMORY", Resources.NONE, "", 1).phase()).isEqualTo(Phase.FAILED);
        ResourceRetry.Next preempted = next(off, "PREEMPTED", Resources.NONE, "", 1);
        assertThat(preempted.phase()).isEqualTo(Phase.PENDING);
        assertThat(preempted.free()).isFalse();
        assertThat(next(off, "NODE_FAIL", Resources.NONE, "n3", 1).with()).isNull();
        assertThat(next(off, "COMPLETED", Resources.NONE, "", 1).phase()).isEqualTo(Phase.COMPLETED);
    }

    @Test
    void timeoutDoublesTheTimeOfTheAttemptThatRanOutUpToTheCap() {
        ResourceRetry r = bind(Map.of("campaign.retryTimeUpTo", "30"));
        ResourceRetry.Next first = next(r, "TIMEOUT", Resources.NONE, "", 1);
        assertThat(first.phase()).isEqualTo(Phase.PENDING);
        assertThat(first.with().time()).as("the cluster's 10 minutes, doubled").isEqualTo("00:20:00");
        assertThat(first.note()).isEqualTo("time 10 -> 00:20:00");
        ResourceRetry.Next second = next(r, "TIMEOUT", first.with(), "", 2);
        assertThat(second.with().time()).as("capped").isEqualTo("00:30:00");
        ResourceRetry.Next third = next(r, "TIMEOUT", second.with(), "", 2);
        assertThat(third.phase()).as("already at the cap: the same end again").isEqualTo(Phase.FAILED);
        assertThat(third.note()).isEqualTo("time 00:30:00 is already at campaign.retryTimeUpTo");
        assertThat(next(r, "TIMEOUT", first.with(), "", 3).phase()).as("no attempts left").isEqualTo(Phase.FAILED);
    }

    @Test
    void outOfMemoryDoublesTheMemoryUpToTheCap() {
        ResourceRetry r = bind(Map.of("campaign.retryMemoryUpTo", "6G"));
        ResourceRetry.Next first = next(r, "OUT_OF_MEMORY", Resources.NONE, "", 1);
        assertThat(first.with().mem()).isEqualTo("4G");
        assertThat(next(r, "OUT_OF_MEMORY", first.with(), "", 2).with().mem()).isEqualTo("6G");
        ResourceRetry.Next noMem = r.next(POLICY, "OUT_OF_MEMORY", null, Resources.NONE, Resources.NONE, Map.of(), "a", "", 1);
        assertThat(noMem.phase()).isEqualTo(Phase.FAILED);
        assertThat(noMem.note()).contains("give the cluster a mem parameter");
    }

    @Test
    void nodeFailKeepsLaterAttemptsAwayFromThatNodeOnThatClusterAndPreemptionIsFree() {
        ResourceRetry r = bind(Map.of("campaign.retryExcludeNode", "true", "campaign.retryPreemptedFree", "true"));
        ResourceRetry.Next n = next(r, "NODE_FAIL", Resources.NONE, "node7", 1);
        assertThat(n.phase()).isEqualTo(Phase.PENDING);
        assertThat(n.with().exclude()).containsExactly(Map.entry("a", "node7"));
        assertThat(n.with().excluding("a", "node9").excluding("a", "node7").exclude()).containsEntry("a", "node7,node9");
        assertThat(n.with().options("a", Map.of("time", "10")).get("exclude")).isEqualTo("node7");
        assertThat(n.with().options("b", Map.of("time", "10"))).as("another cluster: its nodes are others").doesNotContainKey("exclude");
        ResourceRetry.Next p = next(r, "PREEMPTED", Resources.NONE, "", 3);
        assertThat(p.phase()).as("not counted: even past maxAttempts").isEqualTo(Phase.PENDING);
        assertThat(p.free()).isTrue();
    }

    @Test
    void slurmTimesAndSizesReadAndWriteAsSlurmWritesThem() {
        assertThat(ResourceRetry.seconds("1")).isEqualTo(60);
        assertThat(ResourceRetry.seconds("1:30")).isEqualTo(90);
        assertThat(ResourceRetry.seconds("2:00:00")).isEqualTo(7200);
        assertThat(ResourceRetry.seconds("1-12")).isEqualTo(86400 + 12 * 3600);
        assertThat(ResourceRetry.seconds("1-00:30:05")).isEqualTo(86400 + 1805);
        assertThat(ResourceRetry.time(2 * 86400 + 3661)).isEqualTo("2-01:01:01");
        assertThat(ResourceRetry.megabytes("512M")).isEqualTo(512);
        assertThat(ResourceRetry.megabytes("2g")).isEqualTo(2048);
        assertThat(ResourceRetry.megabytes("1000")).isEqualTo(1000);
        assertThat(ResourceRetry.mem(3072)).isEqualTo("3G");
        assertThat(ResourceRetry.mem(1500)).isEqualTo("1500M");
        Function<String, String> bad = Map.of("campaign.retryTimeUpTo", "soon")::get;
        assertThatThrownBy(() -> ResourceRetry.bind(bad, n -> "-D" + n))
                .hasMessage("-Dcampaign.retryTimeUpTo: not a Slurm time like 30, 1:30:00 or 2-00:00:00: 'soon'");
        assertThatThrownBy(() -> bind(Map.of("campaign.retryExcludeNode", "yes")))
                .hasMessage("-Dcampaign.retryExcludeNode: must be true or false, got 'yes'");
    }
}
