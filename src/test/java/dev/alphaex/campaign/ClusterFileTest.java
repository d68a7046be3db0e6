package dev.alphaex.campaign;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterFileTest {
    private static final Path FILE = Path.of("routes/my.yaml");

    private static String cluster(String extra) {
        return "- templatedRoute:\n    routeTemplateRef: cluster\n    parameters:\n      - {name: name, value: gpu}\n" + extra;
    }

    @Test
    void aGoodFileAnEmptyOneAndOtherRoutesPass() {
        assertThatCode(() -> ClusterFile.check(FILE, cluster("      - {name: capacity, value: \"2\"}\n"))).doesNotThrowAnyException();
        assertThatCode(() -> ClusterFile.check(FILE, "# nothing yet\n")).doesNotThrowAnyException();
        assertThatCode(() -> ClusterFile.check(FILE, "- templatedRoute:\n    routeTemplateRef: mine\n    parameters:\n"
                + "      - {name: anything, value: x}\n- route:\n    from: {uri: 'timer:x'}\n")).doesNotThrowAnyException();
    }

    @Test
    void unknownAndRepeatedParametersNameTheLine() {
        assertThatThrownBy(() -> ClusterFile.check(FILE, cluster("      - {name: capacityy, value: \"2\"}\n")))
                .hasMessageStartingWith("routes/my.yaml:5: cluster 'gpu': unknown parameter 'capacityy' (did you mean capacity?)");
        assertThatThrownBy(() -> ClusterFile.check(FILE, cluster("      - {name: Period, value: \"2\"}\n")))
                .hasMessageContaining("unknown parameter 'Period' (did you mean period?)");
        assertThatThrownBy(() -> ClusterFile.check(FILE, cluster("      - {name: gpus, value: \"2\"}\n")))
                .hasMessageContaining("unknown parameter 'gpus' (did you mean gres?)");
        assertThatThrownBy(() -> ClusterFile.check(FILE, cluster("      - {name: name, value: other}\n")))
                .hasMessage("routes/my.yaml:5: cluster 'other': parameter 'name' is given twice (first on line 4); keep one");
    }

    @Test
    void aTopLevelThatIsNotAListAndMalformedYamlNameTheLine() {
        assertThatThrownBy(() -> ClusterFile.check(FILE, "templatedRoute:\n  routeTemplateRef: cluster\n"))
                .hasMessageStartingWith("routes/my.yaml:1: the top level must be a list of routes");
        assertThatThrownBy(() -> ClusterFile.check(FILE, cluster("      - {name: kind, value: local\n")))
                .hasMessageStartingWith("routes/my.yaml: malformed YAML: ").hasMessageContaining("line ");
    }
}
