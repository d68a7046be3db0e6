package dev.alphaex.openssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunTest {
    @Test
    void exitCodeOutputAndErrorsComeBackAndStdinIsFed() throws Exception {
        ProcessRun.Outcome o = ProcessRun.run(List.of("sh", "-c", "cat; echo err >&2; exit 3"),
            "from stdin\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
        assertThat(o).isEqualTo(new ProcessRun.Outcome(3, "from stdin\n", "err\n"));
    }

    @Test
    void moreOutputThanAPipeHoldsDoesNotStallIt() throws Exception {
        ProcessRun.Outcome o = ProcessRun.run(List.of("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x; "
            + "head -c 300000 /dev/zero | tr '\\0' y >&2"), new byte[0], Duration.ofSeconds(30));
        assertThat(o.stdout()).hasSize(1_000_000);
        assertThat(o.stderr()).hasSize(300_000);
    }

    @Test
    void aProgramPastItsLimitIsKilledWithWhatItStarted(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("child.pid");
        assertThatThrownBy(() -> ProcessRun.run(List.of("sh", "-c", "sleep 60 & echo $! > " + pid + "; wait"),
            new byte[0], Duration.ofMillis(500)))
            .isInstanceOfSatisfying(OpenSshException.class, e -> assertThat(e.kind()).isEqualTo(OpenSshException.Kind.TIMED_OUT))
            .hasMessage("did not finish within 500 ms; killed");
        long child = Long.parseLong(Files.readString(pid).strip());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).as("its child sleep").isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void aProgramThatCannotStartSaysWhich() {
        assertThatThrownBy(() -> ProcessRun.run(List.of("/nonexistent/ssh", "x"), new byte[0], Duration.ofSeconds(5)))
            .isInstanceOfSatisfying(OpenSshException.class, e -> assertThat(e.kind()).isEqualTo(OpenSshException.Kind.FAILED))
            .hasMessageContaining("cannot run /nonexistent/ssh");
    }
}
