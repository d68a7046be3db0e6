package dev.alphaex.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The semantics of AlphaEx's sweeper, written as examples. */
class SweepTest {
    private static Sweep json(String text) {
        return Sweep.parse(text, "test.json", false);
    }

    private static Sweep yaml(String text) {
        return Sweep.parse(text, "test.yaml", true);
    }

    @Test
    void firstKeyVariesFastestAndRunIsIndexOverTotal() {
        Sweep s = json("{\"lr\": [0.1, 0.01], \"batch\": [32, 64, 128]}");
        assertThat(s.total()).isEqualTo(6);
        assertThat(s.parse(0).toString()).isEqualTo("{\"index\":0,\"run\":0,\"lr\":0.1,\"batch\":32}");
        assertThat(s.parse(1).toString()).isEqualTo("{\"index\":1,\"run\":0,\"lr\":0.01,\"batch\":32}");
        assertThat(s.parse(2).toString()).isEqualTo("{\"index\":2,\"run\":0,\"lr\":0.1,\"batch\":64}");
        assertThat(s.parse(5).toString()).isEqualTo("{\"index\":5,\"run\":0,\"lr\":0.01,\"batch\":128}");
    }

    @Test
    void indicesPastTheTotalWrapAndCountRuns() {
        Sweep s = json("{\"lr\": [0.1, 0.01], \"batch\": [32, 64, 128]}");
        for (long i = 0; i < 6; i++) {
            for (long r = 1; r < 4; r++) {
                Configuration c = s.parse(i + r * 6);
                assertThat(c.run()).isEqualTo(r);
                assertThat(c.values()).isEqualTo(s.parse(i).values());
            }
        }
        assertThat(s.parse(Long.MAX_VALUE).run()).isEqualTo(Long.MAX_VALUE / 6);
        assertThatThrownBy(() -> s.parse(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoLevelNestedSweepFromTheAlphaExReadme() {
        Sweep s = Sweep.load(SweepGoldenTest.DIR.resolve("alphaex-readme.json"));
        // simulator_1: algorithm_1 (2x2 + 2x2) x 3 = 24, algorithm_2 2x2 = 4; simulator_2: 4 + 1
        assertThat(s.total()).isEqualTo(33);
        // the README's "legitimate combination" is the last one
        Configuration last = s.parse(32);
        assertThat(last.values()).containsExactly(
                Map.entry("simulator", TextNode.valueOf("simulator_2")),
                Map.entry("algorithm", TextNode.valueOf("algorithm_3")),
                Map.entry("param5", TextNode.valueOf("param5_1")),
                Map.entry("param6", BooleanNode.TRUE));
        // conditional branches have different keys
        assertThat(s.parse(0).values().keySet()).containsExactly("simulator", "algorithm", "param1", "param2", "param3");
        assertThat(s.parse(24).values().keySet()).containsExactly("simulator", "algorithm", "param1", "param4");
        // keys holding only nested objects take no value
        assertThat(s.keys()).containsExactly("simulator", "algorithm", "param1", "param2", "param3", "param4", "param5", "param6");
    }

    @Test
    void nestedSweepsOccupyContiguousBlocksOfTheirList() {
        Sweep s = json("{\"opt\": [\"sgd\", {\"opt\": [\"adam\"], \"beta\": [0.9, 0.99]}, \"rmsprop\"], \"lr\": [1, 2]}");
        assertThat(s.total()).isEqualTo(8);
        assertThat(s.parse(0).toString()).isEqualTo("{\"index\":0,\"run\":0,\"opt\":\"sgd\",\"lr\":1}");
        assertThat(s.parse(1).toString()).isEqualTo("{\"index\":1,\"run\":0,\"opt\":\"adam\",\"beta\":0.9,\"lr\":1}");
        assertThat(s.parse(2).toString()).isEqualTo("{\"index\":2,\"run\":0,\"opt\":\"adam\",\"beta\":0.99,\"lr\":1}");
        assertThat(s.parse(3).toString()).isEqualTo("{\"index\":3,\"run\":0,\"opt\":\"rmsprop\",\"lr\":1}");
        assertThat(s.parse(4).toString()).isEqualTo("{\"index\":4,\"run\":0,\"opt\":\"sgd\",\"lr\":2}");
    }

    @Test
    void aKeyAssignedTwiceKeepsItsFirstPlaceAndTheLaterValue() {
        Sweep s = json("{\"a\": [1], \"b\": [{\"a\": [10], \"c\": [\"x\"]}], \"c\": [\"late\"]}");
        assertThat(s.parse(0).toString()).isEqualTo("{\"index\":0,\"run\":0,\"a\":10,\"c\":\"late\"}");
    }

    @Test
    void valuesKeepTheirJsonKindExactly() {
        Sweep s = json("{\"v\": [0.1, 2.0, 3, 123456789012345678901234567890, \"s p\", true, null, [1, [2]], 1e-05]}");
        List<String> printed = new java.util.ArrayList<>();
        for (long i = 0; i < s.total(); i++) {
            printed.add(s.parse(i).get("v").toString());
        }
        assertThat(printed).containsExactly("0.1", "2.0", "3", "123456789012345678901234567890", "\"s p\"", "true",
                "null", "[1,[2]]", "1e-05"); // as written (issue 8: it printed 1.0E-5)
        assertThat(s.parse(2).get("v").isIntegralNumber()).isTrue();
        assertThat(s.parse(1).get("v").isFloatingPointNumber()).isTrue();
        assertThat(s.parse(3).get("v").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @Test
    void stringsKeepAnyCharacter() {
        String weird = "$(touch /tmp/x) `id`; 'q' \"dq\" \\ \n\t é ✓";
        Sweep s = json("{\"name\": [" + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(weird) + "]}");
        assertThat(s.parse(0).get("name").textValue()).isEqualTo(weird);
    }

    @Test
    void anEmptyNestedObjectIsOneCombinationWithNoKeys() {
        Sweep s = json("{\"tag\": [{}, \"t\"], \"x\": [1, 2]}");
        assertThat(s.total()).isEqualTo(4);
        assertThat(s.parse(0).values().keySet()).containsExactly("x");
        assertThat(s.parse(1).values().keySet()).containsExactly("tag", "x");
    }

    @Test
    void yamlAndJsonGiveTheSameConfigurations() {
        Sweep j = json("{\"lr\": [0.1, 2.0, 3], \"algo\": [\"sarsa\", {\"algo\": [\"q\"], \"eps\": [0.1, 0.01]}], \"f\": [true, null]}");
        Sweep y = yaml("lr: [0.1, 2.0, 3]\nalgo:\n  - sarsa\n  - algo: [q]\n    eps: [0.1, 0.01]\nf: [true, null]\n");
        assertThat(y.total()).isEqualTo(j.total());
        for (long i = 0; i < 2 * j.total(); i++) {
            JsonAssert.assertSameJson(j.parse(i).toJson(true), y.parse(i).toJson(true), "index " + i);
        }
    }

    @Test
    void searchIgnoresKeysTheSweepDoesNotHave() {
        Sweep s = json("{\"lr\": [0.1, 0.01], \"batch\": [32, 64]}");
        List<Match> m = s.search(Map.of("lr", com.fasterxml.jackson.databind.node.DoubleNode.valueOf(0.01),
                "momentum", IntNode.valueOf(9)), 3);
        assertThat(m).hasSize(2);
        assertThat(m.get(0).ids()).containsExactly(1, 5, 9);
        assertThat(m.get(1).ids()).containsExactly(3, 7, 11);
        assertThat(m.get(1).toJson().toString()).isEqualTo("{\"ids\":[3,7,11],\"run\":0,\"lr\":0.01,\"batch\":64}");
    }

    @Test
    void searchUsesPythonEquality() {
        Sweep s = json("{\"x\": [true, 1, 1.0, \"1\", 2]}");
        // Python: True == 1 == 1.0, "1" is a string
        assertThat(s.search(Map.of("x", IntNode.valueOf(1)), 1)).extracting(m -> m.ids()[0]).containsExactly(0L, 1L, 2L);
        assertThat(s.search(Map.of("x", TextNode.valueOf("1")), 1)).extracting(m -> m.ids()[0]).containsExactly(3L);
    }

    @Test
    void searchOnlyReturnsConfigurationsThatHaveTheConstrainedKey() {
        Sweep s = Sweep.load(SweepGoldenTest.DIR.resolve("alphaex-readme.json"));
        List<Match> m = s.search(Map.of("param6", BooleanNode.TRUE), 2);
        assertThat(m).hasSize(1);
        assertThat(m.get(0).ids()).containsExactly(32, 65);
    }

    // ---------------------------------------------------------------- errors

    private static SweepException error(String text, boolean yaml) {
        try {
            Sweep.parse(text, yaml ? "bad.yaml" : "bad.json", yaml);
        } catch (SweepException e) {
            return e;
        }
        throw new AssertionError("no error for " + text);
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        SweepException e = error("{\n  \"a\": [1, 2}\n", false);
        assertThat(e.getMessage()).startsWith("bad.json:2:").contains("malformed JSON");
        assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void malformedYamlNamesLineAndColumn() {
        SweepException e = error("a: [1, 2\nb: [3]\n", true);
        assertThat(e.getMessage()).startsWith("bad.yaml:").contains("malformed YAML");
        assertThat(e.line()).isPositive();
    }

    @Test
    void topLevelMustBeAnObject() {
        assertThat(error("[{\"a\": [1]}]", false).getMessage())
                .isEqualTo("bad.json:1:1 (at the top level): the top level must be an object whose keys map to lists of values"
                        + " (AlphaEx's first principle), found a list");
        assertThat(error("", false).getMessage()).contains("the file is empty");
        assertThat(error("- a\n", true).getMessage()).contains("top level must be an object");
    }

    @Test
    void aValueThatIsNotAListIsNamedWithItsPointer() {
        SweepException e = error("{\"a\": [1],\n \"b\": {\"c\": [1]},\n \"lr\": 0.1}", false);
        assertThat(e.pointer()).isEqualTo("/b");
        assertThat(e.line()).isEqualTo(2);
        e = error("{\"a\": [1], \"lr\": 0.1}", false);
        assertThat(e.getMessage()).isEqualTo("bad.json:1:18 (at /lr): key \"lr\" must map to a list of values, found a number;"
                + " for a single value write [0.1]");
    }

    @Test
    void anEmptyListIsRejectedWhereAlphaExWouldDivideByZero() {
        SweepException e = error("{\"a\": [{\"b\": [1], \"c/d\": []}]}", false);
        assertThat(e.pointer()).isEqualTo("/a/0/c~1d");
        assertThat(e.getMessage()).contains("empty list").contains("divide by zero");
        assertThat(error("a:\n  - b: []\n", true).pointer()).isEqualTo("/a/0/b");
    }

    @Test
    void reservedKeysAreRejected() {
        assertThat(error("{\"lr\": [1], \"run\": [1, 2]}", false).getMessage())
                .contains("(at /run)").contains("key \"run\" is reserved").contains("rename it");
        assertThat(error("{\"x\": [{\"index\": [1]}]}", false).pointer()).isEqualTo("/x/0/index");
        assertThat(error("{\"num_combinations\": [1]}", false).getMessage()).contains("reserved");
    }

    @Test
    void duplicateKeysAreRejected() {
        SweepException e = error("{\"lr\": [1],\n \"lr\": [2]}", false);
        assertThat(e.getMessage()).contains("bad.json:2:").contains("appears twice").contains("line 1");
    }

    @Test
    void trailingContentIsRejected() {
        assertThat(error("{\"a\": [1]} {\"b\": [2]}", false).getMessage()).contains("after the end of the top-level object");
    }

    @Test
    void missingAndNonUtf8FilesAreNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> Sweep.load(missing)).isInstanceOf(SweepException.class)
                .hasMessage(missing + ": no such file");
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, new byte[] {'{', '"', 'a', '"', ':', '[', '"', (byte) 0xE9, '"', ']', '}'});
        assertThatThrownBy(() -> Sweep.load(latin1)).isInstanceOf(SweepException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void tooManyCombinationsIsAnError() {
        StringBuilder sb = new StringBuilder("{");
        for (int k = 0; k < 64; k++) {
            sb.append(k == 0 ? "" : ",").append("\"k").append(k).append("\": [1, 2]");
        }
        assertThat(error(sb.append('}').toString(), false).getMessage()).contains("more than 2^63-1 combinations");
    }

    @Test
    void constraintWordsAreJsonWhenTheyParse() {
        Map<String, JsonNode> c = Constraints.parseWords(List.of("lr=0.1", "algo=sarsa", "flag=true", "shape=[64,64]",
                "s=\"true\"", "eq=a=b", "two=1 2"));
        assertThat(c.get("lr").isDouble()).isTrue();
        assertThat(c.get("algo")).isEqualTo(TextNode.valueOf("sarsa"));
        assertThat(c.get("flag")).isEqualTo(BooleanNode.TRUE);
        assertThat(c.get("shape").size()).isEqualTo(2);
        assertThat(c.get("s")).isEqualTo(TextNode.valueOf("true"));
        assertThat(c.get("eq")).isEqualTo(TextNode.valueOf("a=b"));
        assertThat(c.get("two")).isEqualTo(TextNode.valueOf("1 2"));
        assertThatThrownBy(() -> Constraints.parseWords(List.of("=3"))).hasMessageContaining("key=value");
    }
}
