package dev.alphaex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AlphaExCliTest {
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

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sweepPrintsOneJsonObjectPerIndex() {
        assertThat(AlphaEx.run("sweep", README, "0", "32", "65")).isZero();
        assertThat(out()).isEqualTo(
                "{\"index\":0,\"run\":0,\"simulator\":\"simulator_1\",\"algorithm\":\"algorithm_1\",\"param1\":\"param1_1\",\"param2\":0.1,\"param3\":1}\n"
                + "{\"index\":32,\"run\":0,\"simulator\":\"simulator_2\",\"algorithm\":\"algorithm_3\",\"param5\":\"param5_1\",\"param6\":true}\n"
                + "{\"index\":65,\"run\":1,\"simulator\":\"simulator_2\",\"algorithm\":\"algorithm_3\",\"param5\":\"param5_1\",\"param6\":true}\n");
    }

    @Test
    void countAndAll() throws Exception {
        assertThat(AlphaEx.run("sweep", README, "--count")).isZero();
        assertThat(out()).isEqualTo("33\n");
        out.reset();
        assertThat(AlphaEx.run("sweep", README, "--all", "--runs", "2")).isZero();
        String[] lines = out().split("\n");
        assertThat(lines).hasSize(66);
        ObjectMapper m = new ObjectMapper();
        for (int i = 0; i < lines.length; i++) {
            JsonNode n = m.readTree(lines[i]);
            assertThat(n.get("index").asInt()).isEqualTo(i);
            assertThat(n.get("run").asInt()).isEqualTo(i / 33);
        }
    }

    @Test
    void searchWithWordsAndWithJsonGiveTheSameArray() throws Exception {
        assertThat(AlphaEx.run("search", README, "algorithm=algorithm_2", "simulator=simulator_2", "--runs", "2")).isZero();
        String words = out();
        out.reset();
        assertThat(AlphaEx.run("search", README, "--json", "{\"algorithm\": \"algorithm_2\", \"simulator\": \"simulator_2\"}", "--runs", "2")).isZero();
        assertThat(out()).isEqualTo(words);
        JsonNode array = new ObjectMapper().readTree(words);
        assertThat(array.size()).isEqualTo(4);
        assertThat(array.get(0).toString()).isEqualTo(
                "{\"ids\":[28,61],\"run\":0,\"simulator\":\"simulator_2\",\"algorithm\":\"algorithm_2\",\"param1\":\"param1_3\",\"param4\":true}");
        out.reset();
        assertThat(AlphaEx.run("search", README, "param1=nope")).isZero();
        assertThat(out()).isEqualTo("[]\n");
    }

    @Test
    void unicodeIsWrittenAsUtf8(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("u.json");
        Files.writeString(f, "{\"name\": [\"日本 é\"]}", StandardCharsets.UTF_8);
        assertThat(AlphaEx.run("sweep", f.toString(), "0")).isZero();
        assertThat(out()).isEqualTo("{\"index\":0,\"run\":0,\"name\":\"日本 é\"}\n");
    }

    @Test
    void aBadSweepExitsWithCode2AndOneMessageWithoutStackTrace(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"lr\": [0.1],\n \"batch\": []}");
        assertThat(AlphaEx.run("sweep", f.toString(), "0")).isEqualTo(2);
        assertThat(err()).isEqualTo("alphaex: " + f + ":2:11 (at /batch): key \"batch\" has an empty list: every key needs at least one value"
                + " (AlphaEx would divide by zero here)\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void verboseAddsTheStackTrace(@TempDir Path dir) {
        assertThat(AlphaEx.run("--verbose", "sweep", dir.resolve("missing.json").toString(), "0")).isEqualTo(2);
        assertThat(err()).contains("no such file").contains("at dev.alphaex.sweep.Sweep.load");
    }

    @Test
    void badArgumentsExitWith2() {
        assertThat(AlphaEx.run("sweep", README, "-3")).isEqualTo(2);
        assertThat(AlphaEx.run("sweep", README, "x")).isEqualTo(2);
        assertThat(AlphaEx.run("sweep", README)).isEqualTo(2);
        assertThat(AlphaEx.run("sweep", README, "--count", "--all")).isEqualTo(2);
        assertThat(AlphaEx.run("search", README, "novalue")).isEqualTo(2);
        assertThat(AlphaEx.run("search", README, "--json", "[1]")).isEqualTo(2);
        assertThat(err()).doesNotContain("\tat ");
    }

    // Issue 8, item 12: `sweep --help` and `search --help` failed with "Missing required parameter: 'FILE'", and a
    // non-numeric index gave "Unmatched argument" and the whole usage text.

    @Test
    void subcommandHelpPrintsTheirUsage() {
        assertThat(AlphaEx.run("sweep", "--help")).isZero();
        assertThat(out()).contains("Usage: alphaex sweep").contains("INDEX").contains("--count");
        out.reset();
        assertThat(AlphaEx.run("search", "-h")).isZero();
        assertThat(out()).contains("Usage: alphaex search").contains("KEY=VALUE");
        assertThat(err()).isEmpty();
    }

    @Test
    void aNonNumericIndexIsOneClearLine() {
        assertThat(AlphaEx.run("sweep", README, "3", "abc")).isEqualTo(AlphaEx.BAD_INPUT);
        String e = err();
        assertThat(e).isEqualTo("alphaex sweep: INDEX must be a whole number 0 or more, got 'abc' (alphaex sweep --help shows the usage)\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void anyOtherBadArgumentIsOneLineWithTheHelpHint() {
        assertThat(AlphaEx.run("search", README, "--runs", "x")).isEqualTo(AlphaEx.BAD_INPUT);
        String e = err();
        assertThat(e.lines().count()).as(e).isEqualTo(1);
        assertThat(e).startsWith("alphaex search: ").contains("--runs").endsWith("(alphaex search --help shows the usage)\n");
    }
}
