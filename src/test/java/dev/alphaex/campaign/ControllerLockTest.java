package dev.alphaex.campaign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The campaign's lock in one JVM (two JVMs: {@link SecondControllerIsRefusedTest}). */
class ControllerLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsRefusedWithTheFirstOnesPidAndTheLockIsFreeAfterClose() throws Exception {
        ControllerLock first = ControllerLock.acquire(dir, "demo");
        assertThatThrownBy(() -> ControllerLock.acquire(dir, "demo")).isInstanceOf(CampaignHeldException.class)
                .hasMessageContaining("campaign 'demo'").hasMessageContaining("pid " + ProcessHandle.current().pid());
        first.close();
        ControllerLock.acquire(dir, "demo").close();
    }

    @Test
    void theLockSurvivesTheLedgersReplay() throws Exception {
        try (ControllerLock lock = ControllerLock.acquire(dir, "demo")) {
            Ledger.open(dir, "demo", new long[] {0, 1}, Instant.EPOCH).close(); // reads, writes and closes ledger.jsonl
            Ledger.open(dir, "demo", new long[] {0, 1}, Instant.EPOCH).close();
            assertThat(Files.readString(lock.file())).startsWith("holder: pid " + ProcessHandle.current().pid() + " on ");
            assertThatThrownBy(() -> ControllerLock.acquire(dir, "demo")).isInstanceOf(CampaignHeldException.class);
        }
    }
}
