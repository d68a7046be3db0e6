package dev.alphaex.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 12: {@code sweep --help} and {@code search --help} failed with "Missing required parameter:
 * 'FILE'", and a non-numeric index gave "Unmatched argument" and the whole usage text.
 */
class CliHelpAndBadIndexTest {
    private static final String README = "src/test/resources/sweeps/alphaex-readme.json";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    @Test
    void subcommandHelpPrintsTheirUsage() {
        assertThat(AlphaEx.run("sweep", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: alphaex sweep").contains("INDEX").contains("--count");
        out.reset();
        assertThat(AlphaEx.run("search", "-h")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: alphaex search").contains("KEY=VALUE");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aNonNumericIndexIsOneClearLine() {
        assertThat(AlphaEx.run("sweep", README, "3", "abc")).isEqualTo(AlphaEx.BAD_INPUT);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).isEqualTo("alphaex sweep: INDEX must be a whole number 0 or more, got 'abc' (alphaex sweep --help shows the usage)\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anyOtherBadArgumentIsOneLineWithTheHelpHint() {
        assertThat(AlphaEx.run("search", README, "--runs", "x")).isEqualTo(AlphaEx.BAD_INPUT);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e.lines().count()).as(e).isEqualTo(1);
        assertThat(e).startsWith("alphaex search: ").contains("--runs").endsWith("(alphaex search --help shows the usage)\n");
    }
}
