package dev.alphaex.sweep;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Floats keep their written text; spellings that are not JSON become what Python's json module writes. */
class WrittenNumberTest {
    private static List<String> printed(Sweep s, String key) {
        List<String> out = new ArrayList<>();
        for (long i = 0; i < s.total(); i++) {
            out.add(s.parse(i).toJson(false).get(key).toString());
        }
        return out;
    }

    @Test
    void jsonFloatsKeepTheirText() {
        Sweep s = Sweep.parse("{\"v\": [0.0001, 123456789.0, 2.50, 1E-7, -0.0, 1e400, NaN, Infinity, -Infinity]}", "t.json", false);
        assertThat(printed(s, "v")).containsExactly("0.0001", "123456789.0", "2.50", "1E-7", "-0.0", "1e400", "NaN", "Infinity",
                "-Infinity");
        assertThat(s.parse(5).get("v").doubleValue()).isInfinite(); // 1e400 is infinity, as in Python
    }

    @Test
    void yamlSpellingsThatAreNotJsonArePythonsJson() {
        Sweep s = Sweep.parse("v: [.inf, -.inf, .nan, +1.5, 1.0e-4, 0.0001]\n", "t.yaml", true);
        assertThat(printed(s, "v")).containsExactly("Infinity", "-Infinity", "NaN", "1.5", "1.0e-4", "0.0001");
    }

    @Test
    void theCanonicalTextIsPythonsRepr() {
        assertThat(WrittenNumber.canonical(1e-5)).isEqualTo("1e-05");
        assertThat(WrittenNumber.canonical(123456789.0)).isEqualTo("123456789.0");
        assertThat(WrittenNumber.canonical(1e16)).isEqualTo("1e+16");
        assertThat(WrittenNumber.canonical(0.1)).isEqualTo("0.1");
    }

    @Test
    void equalValuesAreEqualNodesWhateverTheirText() {
        assertThat(WrittenNumber.of("0.10", 0.1)).isEqualTo(WrittenNumber.of("0.1", 0.1));
        assertThat(WrittenNumber.of("0.10", 0.1).asText()).isEqualTo("0.10");
    }
}
