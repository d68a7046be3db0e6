package dev.alphaex.slurm;

import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact text of the commands a Slurm cluster is sent, against golden files (src/test/resources/slurm/golden),
 * as submitit tests its sbatch script: a change to quoting, options or the poll's sections shows as a diff of
 * the file in review. Regenerate after a deliberate change with {@code -Dgolden.update=true}, and read the diff.
 */
class SlurmCommandGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/slurm/golden");
    private static final Instant SINCE = Instant.parse("2026-11-29T10:15:30Z");
    private static final SlurmProtocol SLURM = new SlurmProtocol();

    static Stream<Arguments> commands() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ALPHAEX_RESULTS", "alphaex-results/bandit");
        env.put("ALPHAEX_TOTAL", "3");
        env.put("OMP_NUM_THREADS", "1");
        env.put("NOTE", "it's $(not) run, \"quoted\",\nand split, at commas");
        Map<String, String> options = new LinkedHashMap<>();
        options.put("account", "def-me");
        options.put("partition", "");
        options.put("time", "00:10:00");
        options.put("mem", "1G");
        options.put("gres", "gpu:1");
        options.put("extra", "--qos=high --exclusive");
        return Stream.of(
                Arguments.of("sbatch-plain.sh", SLURM.submitCommand(new SubmitRequest("ax-bandit-0a1b2c", List.of(0L, 1L, 2L, 5L), 0,
                        "0-2,5", "src/main/jobs/bandit/bandit.sh", List.of("1000"), Map.of(), ".", Map.of()))),
                Arguments.of("sbatch-options-exports-base.sh", SLURM.submitCommand(new SubmitRequest("ax-bandit-0a1b2c",
                        List.of(2000L, 2001L, 2007L), 2000, "0-1,7", "jobs/run.sh", List.of("a b", "0.0001"), env,
                        "projects/def-me/me/bandit", options))),
                Arguments.of("poll-first.sh", SLURM.pollCommand(new PollRequest("ax-bandit-0a1b2c", List.of(), SINCE, true, true))),
                Arguments.of("poll-accounting.sh", SLURM.pollCommand(new PollRequest("ax-bandit-0a1b2c",
                        List.of("101", "102", "107"), SINCE, false))),
                Arguments.of("sbatch-throttled.sh", SLURM.submitCommand(new SubmitRequest("ax-bandit-0a1b2c", List.of(0L, 1L, 2L, 5L), 0,
                        "0-2,5", "src/main/jobs/bandit/bandit.sh", List.of("1000"), Map.of(), ".", Map.of(), 3))),
                Arguments.of("throttle-update.sh", SLURM.throttleCommand("4711", 12)),
                Arguments.of("takeback.sh", SLURM.takeBackCommand("4711", List.of(3L, 4L, 5L, 9L))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void theCommandTextIsTheGoldenFile(String file, String command) throws Exception {
        Path golden = GOLDEN.resolve(file);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, command + "\n", StandardCharsets.UTF_8);
        }
        assertThat(command + "\n").as("%s (regenerate with -Dgolden.update=true and read the diff)", golden)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
