package dev.alphaex.plot;

import dev.alphaex.sweep.Sweep;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlotSpecTest {
    private final Sweep sweep = Sweep.parse("{\"env\": [\"a\", \"b\"], \"alpha\": [0.1, 0.5, 1]}", "s.json", false);

    private PlotSpec parse(String yaml) {
        return PlotSpec.parse(yaml, "plots.yaml", sweep);
    }

    private void fails(String yaml, String... words) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(PlotSpecException.class).message()
                .startsWith("plots.yaml").contains(words);
    }

    @Test
    void theShippedSpecReadsAgainstTheExampleSweep() {
        PlotSpec spec = PlotSpec.load(Path.of("config/plots.yaml"), Sweep.load(Path.of("config/bandit-sweep.json")));
        assertThat(spec.figures()).extracting(FigureSpec::name)
                .containsExactly("average-reward", "optimal-action", "epsilon-sensitivity");
        assertThat(spec.figures().get(1).scale()).isEqualTo(100);
        assertThat(spec.figures().get(0).band()).isEqualTo(FigureSpec.Band.STDERR);
    }

    @Test
    void figuresInheritDefaultsAndOverrideThem() {
        PlotSpec spec = parse("defaults: {band: bootstrap, smoothing: {window: 5}}\n"
                + "figures:\n  - {name: a, metric: r}\n  - {name: b, metric: r, band: none, smoothing: none}\n");
        assertThat(spec.figures().get(0).band()).isEqualTo(FigureSpec.Band.BOOTSTRAP);
        assertThat(spec.figures().get(0).smoothing().window()).isEqualTo(5);
        assertThat(spec.figures().get(1).band()).isEqualTo(FigureSpec.Band.NONE);
        assertThat(spec.figures().get(1).smoothing()).isEqualTo(FigureSpec.Smoothing.NONE);
    }

    @Test
    void aFilterKeepsTheConfigurationsWithTheValuesComparedAsPythonDoes() {
        FigureSpec f = parse("figures:\n  - name: a\n    metric: r\n    filter: {alpha: [0.5, 1.0], env: b}\n").figures().get(0);
        assertThat(f.allowed()).containsExactlyInAnyOrder(3L, 5L); // env fastest: (a,.1)=0 (b,.1)=1 (a,.5)=2 (b,.5)=3 ...
        assertThat(f.filterText()).isEqualTo("alpha in {0.5, 1.0}, env=b");
    }

    @Test
    void errorsNameTheFileLineAndPlace() {
        fails("figures:\n  - name: a\n    metric: r\n    band: sdterr\n", "plots.yaml:4:11", "(at /figures/0/band)",
                "'sdterr'", "stderr, bootstrap, none");
        fails("figures:\n  - name: a\n    metrc: r\n", ":3:", "unknown field 'metrc'");
        fails("figures:\n  - name: a\n    metric: r\n    splitBy: [envv]\n", ":4:", "'envv' is not a key of the sweep s.json");
        fails("figures:\n  - {name: a, metric: r}\n  - {name: a, metric: q}\n", "(at /figures/1/name)", "also the name of figure 0");
        fails("defaults: {band: x}\nfigures:\n  - {name: a, metric: r}\n", "plots.yaml:1:", "(at /defaults/band)");
        fails("figures:\n  - {name: a}\n", "needs a 'metric'");
        fails("figures:\n  - {name: a, metric: r, kind: sensitivity}\n", "needs a 'parameter'");
        fails("figures:\n  - {name: a, metric: r, filter: {alpha: 7}}\n", "no configuration of the sweep");
        fails("figures:\n  - {name: 'a/b', metric: r}\n", "must be a file name");
        fails("figures: [\n", "malformed YAML");
        fails("figures:\n  - {name: a, metric: r, smoothing: {exponential: 1.5}}\n", "/smoothing/exponential");
        fails("figures:\n  - {name: a, metric: r, best: {k: 0}}\n", "/best/k");
        fails("figures:\n  - {name: a, metric: r}\nfigures: []\n", "Duplicate field 'figures'");
        fails("", "empty");
    }
}
