package dev.alphaex.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.alphaex.sweep.JsonAssert.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares the sweeper with answers recorded from AlphaEx's own sweeper.py (AmiiThinks/AlphaEx,
 * alphaex/sweeper.py) run on the same files under Python 3.11: for each file, total, parse(i) for
 * every index of the first pass plus wrapped ones, and each search in searches-NAME.json.
 * The golden files are src/test/resources/sweeps/golden/NAME.golden.json.
 */
class SweepGoldenTest {
    static final Path DIR = Path.of("src/test/resources/sweeps");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"alphaex-readme", "kinds", "override", "mixed", "three-level"})
    void parseMatchesAlphaEx(String name) throws Exception {
        Sweep sweep = Sweep.load(DIR.resolve(name + ".json"));
        JsonNode golden = JSON.readTree(DIR.resolve("golden/" + name + ".golden.json").toFile());
        assertThat(sweep.total()).isEqualTo(golden.get("total").longValue());
        for (JsonNode pair : golden.get("parse")) {
            long index = pair.get(0).longValue();
            assertSameJson(pair.get(1), sweep.parse(index).toJson(false), name + " parse(" + index + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"alphaex-readme", "kinds", "override", "mixed", "three-level"})
    void searchMatchesAlphaEx(String name) throws Exception {
        Sweep sweep = Sweep.load(DIR.resolve(name + ".json"));
        JsonNode golden = JSON.readTree(DIR.resolve("golden/" + name + ".golden.json").toFile());
        for (JsonNode s : golden.get("search")) {
            Map<String, JsonNode> constraints = new LinkedHashMap<>();
            s.get("constraints").fields().forEachRemaining(e -> constraints.put(e.getKey(), e.getValue()));
            List<Match> result = sweep.search(constraints, s.get("runs").intValue());
            JsonNode expected = s.get("result");
            assertThat(result).as(name + " search " + constraints).hasSize(expected.size());
            for (int i = 0; i < result.size(); i++) {
                assertSameJson(expected.get(i), result.get(i).toJson(), name + " search " + constraints + " #" + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"alphaex-readme"})
    void yamlGivesTheSameAnswersAsJson(String name) {
        Sweep json = Sweep.load(DIR.resolve(name + ".json"));
        Sweep yaml = Sweep.load(DIR.resolve(name + ".yaml"));
        assertThat(yaml.total()).isEqualTo(json.total());
        assertThat(yaml.keys()).isEqualTo(json.keys());
        for (long i = 0; i < 3 * json.total(); i++) {
            assertSameJson(json.parse(i).toJson(true), yaml.parse(i).toJson(true), "yaml parse(" + i + ")");
        }
    }
}
