package dev.alphaex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slim jar a job uses on a cluster, {@code target/alphaex-sweep.jar}, run with {@code java -jar} in a
 * fresh JVM next to the big one: the same bytes out, the same errors, the same exit codes, a tenth of the
 * size, and nothing of Camel inside. Runs after {@code package} (failsafe's execution "jars"), in the
 * default suite.
 */
class SlimJarTest {
    private static Path slim;
    private static Path big;

    @BeforeAll
    static void jars() {
        Path dir = Paths.get(System.getProperty("alphaex.jars", "target"));
        slim = dir.resolve("alphaex-sweep.jar");
        big = dir.resolve("alphaex.jar");
        assertThat(slim).as("mvn package builds it").isRegularFile();
        assertThat(big).as("mvn package builds it").isRegularFile();
    }

    /** The README's sweep (its first json block): every command a job script uses, byte for byte as the big jar. */
    @Test
    void slimJarAnswersTheReadmeExampleExactlyAsTheBigJar(@TempDir Path tmp) throws Exception {
        Path sweep = tmp.resolve("sweep.json");
        Files.writeString(sweep, readmeSweep());
        String f = sweep.toString();
        List<List<String>> commands = List.of(
            List.of("sweep", f, "0", "5", "11", "12", "25"),
            List.of("sweep", f, "--all", "--runs", "2"),
            List.of("search", f, "agent=sarsa", "alpha=0.5", "--runs", "3"),
            List.of("sweep", f, "abc"),                        // a bad index: exit 2, one line on stderr
            List.of("sweep", tmp.resolve("missing.json").toString(), "0"),
            List.of("--version"));
        for (List<String> args : commands) {
            CompletableFuture<Run> expected = CompletableFuture.supplyAsync(() -> java(big, args));
            Run actual = java(slim, args);
            assertThat(actual).as("java -jar alphaex-sweep.jar %s", args).isEqualTo(expected.get());
            if (args == commands.get(0)) {
                assertThat(actual.exit).isZero();
                assertThat(actual.out).startsWith("{\"index\":0,\"run\":0,\"env\":\"cartpole\",\"agent\":\"dqn\",\"lr\":0.001}\n");
            }
        }
    }

    /** A few MB at most: the sweeper, Jackson (JSON, YAML), picocli; no Camel, no campaign, no logging. */
    @Test
    void slimJarHoldsTheSweeperAndNothingOfCamel() throws IOException {
        long size = Files.size(slim);
        assertThat(size).as("slim jar size").isLessThan(5L << 20);
        assertThat(size * 5).as("a fifth of the big jar at most").isLessThan(Files.size(big));
        List<String> ours = new ArrayList<>();
        try (ZipFile zip = new ZipFile(slim.toFile())) {
            zip.stream().map(e -> e.getName()).forEach(name -> {
                assertThat(name).doesNotStartWith("org/apache/").doesNotStartWith("dev/alphaex/campaign/");
                if (name.startsWith("dev/alphaex/") && name.endsWith(".class")) {
                    ours.add(name);
                }
            });
        }
        assertThat(ours).allMatch(n -> n.startsWith("dev/alphaex/sweep/") || n.startsWith("dev/alphaex/cli/"))
            .contains("dev/alphaex/cli/AlphaExSweep.class", "dev/alphaex/sweep/Sweep.class");
    }

    /** Every class the jar's classes name is in the jar or the JDK (jdeps --missing-deps prints nothing). */
    @Test
    void slimJarMissesNoClass() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int rc = jdeps.run(ps, ps, "--multi-release", "17", "--missing-deps", slim.toString());
        assertThat(out.toString(StandardCharsets.UTF_8)).as("jdeps --missing-deps").isEmpty();
        assertThat(rc).isZero();
    }

    private static String readmeSweep() throws IOException {
        String readme = Files.readString(Paths.get("README.md"));
        int section = readme.indexOf("## Writing a sweep file");
        assertThat(section).as("README section 'Writing a sweep file'").isPositive();
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find(section)).as("a json block in that section").isTrue();
        return m.group(1);
    }

    record Run(int exit, String out, String err) {
    }

    private static Run java(Path jar, List<String> args) {
        try {
            return run(jar, args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Run run(Path jar, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", jar.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[][] streams = new byte[2][];
        Thread errReader = new Thread(() -> {
            try {
                streams[1] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                streams[1] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        errReader.start();
        streams[0] = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar " + jar + " " + args + " did not end within 60 s");
        }
        errReader.join();
        return new Run(p.exitValue(), new String(streams[0], StandardCharsets.UTF_8),
            new String(streams[1], StandardCharsets.UTF_8));
    }
}
