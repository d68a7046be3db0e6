package dev.alphaex.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structural search against the definition (AlphaEx's loop: parse every combination, keep
 * those that have every constrained key with an equal value) on random nested sweeps whose keys
 * repeat across levels, so that overrides and missing keys are exercised.
 */
class SearchPropertyTest {
    private static final String[] KEYS = {"a", "b", "c", "d"};

    @RepeatedTest(300)
    void structuralSearchEqualsTheLoopOverEveryIndex(RepetitionInfo info) {
        Random rnd = new Random(info.getCurrentRepetition());
        ObjectNode tree = randomObject(rnd, 0);
        Sweep sweep = Sweep.parse(tree.toString(), "random-" + info.getCurrentRepetition() + ".json", false);
        for (int q = 0; q < 10; q++) {
            Map<String, JsonNode> constraints = new LinkedHashMap<>();
            int n = rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                constraints.put(KEYS[rnd.nextInt(KEYS.length)], IntNode.valueOf(rnd.nextInt(3)));
            }
            if (rnd.nextInt(5) == 0) {
                constraints.put("zzz", TextNode.valueOf("ignored"));
            }
            int runs = 1 + rnd.nextInt(3);
            List<String> expected = new ArrayList<>();
            for (long i = 0; i < sweep.total(); i++) {
                Configuration c = sweep.parse(i);
                boolean ok = true;
                for (Map.Entry<String, JsonNode> e : constraints.entrySet()) {
                    if (!sweep.keys().contains(e.getKey())) {
                        continue;
                    }
                    JsonNode v = c.get(e.getKey());
                    ok &= v != null && PyValues.equal(e.getValue(), v);
                }
                if (ok) {
                    ArrayNode ids = JsonNodeFactory.instance.arrayNode();
                    for (int r = 0; r < runs; r++) {
                        ids.add(i + r * sweep.total());
                    }
                    ObjectNode m = JsonNodeFactory.instance.objectNode();
                    m.set("ids", ids);
                    m.setAll(c.toJson(false));
                    expected.add(m.toString());
                }
            }
            List<String> actual = new ArrayList<>();
            for (Match m : sweep.search(constraints, runs)) {
                actual.add(m.toJson().toString());
            }
            assertThat(actual).as(tree + " " + constraints).isEqualTo(expected);
        }
    }

    private static ObjectNode randomObject(Random rnd, int depth) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        int keys = 1 + rnd.nextInt(3);
        for (int k = 0; k < keys; k++) {
            ArrayNode list = o.putArray(KEYS[rnd.nextInt(KEYS.length)]);
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                if (depth < 2 && rnd.nextInt(3) == 0) {
                    list.add(randomObject(rnd, depth + 1));
                } else {
                    list.add(rnd.nextInt(3));
                }
            }
        }
        return o;
    }
}
