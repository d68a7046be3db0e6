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
                .containsExactly("average-reward", "optimal-action", "epsilon-sensitivity", "final-reward");
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

    @Test
    void theRlKindsTakeATaskKeyAScoreAndTheirOwnFields() {
        PlotSpec spec = parse("defaults: {band: stderr}\nfigures:\n"
                + "  - {name: agg, kind: aggregate, metric: r, task: env, gamma: 1.5, score: auc}\n"
                + "  - {name: prof, kind: profile, metric: r, tau: [1, 0, 0.5]}\n"
                + "  - {name: poi, kind: improvement, metric: r, task: env, bootstrap: {resamples: 500}}\n"
                + "  - {name: iqm, metric: r, statistic: iqm, task: env, points: 50}\n");
        FigureSpec agg = spec.figures().get(0);
        assertThat(agg.kind()).isEqualTo(FigureSpec.Kind.AGGREGATE);
        assertThat(agg.task()).isEqualTo("env");
        assertThat(agg.gamma()).isEqualTo(1.5);
        assertThat(agg.score().auc()).isTrue();
        assertThat(agg.band()).as("the defaults' band does not apply").isEqualTo(FigureSpec.Band.BOOTSTRAP);
        assertThat(agg.bootstrap().resamples()).isEqualTo(2000);
        assertThat(spec.figures().get(1).taus()).containsExactly(0, 0.5, 1);
        assertThat(spec.figures().get(1).score().lastFraction()).isEqualTo(0.1);
        assertThat(spec.figures().get(2).bootstrap().resamples()).isEqualTo(500);
        FigureSpec iqm = spec.figures().get(3);
        assertThat(iqm.statistic()).isEqualTo(FigureSpec.Statistic.IQM);
        assertThat(iqm.band()).isEqualTo(FigureSpec.Band.BOOTSTRAP);
        assertThat(iqm.points()).isEqualTo(50);
    }

    @Test
    void rlFieldsInTheWrongPlaceAreRefusedWithTheFix() {
        fails("figures:\n  - {name: a, metric: r, task: envv, kind: aggregate}\n", "plots.yaml:2:", "(at /figures/0/task)",
                "'envv' is not a key of the sweep");
        fails("figures:\n  - {name: a, metric: r, task: env}\n", "(at /figures/0/task)", "use splitBy");
        fails("figures:\n  - {name: a, metric: r, kind: profile, gamma: 1}\n", "(at /figures/0/gamma)", "for kind aggregate");
        fails("figures:\n  - {name: a, metric: r, kind: aggregate, tau: [1]}\n", "(at /figures/0/tau)", "for kind profile");
        fails("figures:\n  - {name: a, metric: r, kind: profile, tau: [1, x]}\n", "(at /figures/0/tau/1)", "must be a number");
        fails("figures:\n  - {name: a, metric: r, kind: aggregate, band: stderr}\n", "(at /figures/0/band)",
                "always show bootstrap intervals");
        fails("figures:\n  - {name: a, metric: r, statistic: iqm, band: stderr}\n", "use band: bootstrap");
        fails("figures:\n  - {name: a, metric: r, kind: aggregate, statistic: iqm}\n", "'statistic' is for learning curves");
        fails("figures:\n  - {name: a, metric: r, kind: improvement, task: env, splitBy: env}\n", "cannot contain the task key");
        fails("figures:\n  - {name: a, metric: r, kind: aggregat}\n", "plots.yaml:2:", "'kind' is 'aggregat'",
                "curves, sensitivity, aggregate, profile, improvement");
        fails("figures:\n  - {name: a, metric: r, width: wide}\n", "(at /figures/0/width)", "'width' must be a whole number");
        fails("figures:\n  - {name: a, metric: r, width: 900.5}\n", "(at /figures/0/width)", "'width' must be a whole number");
        fails("figures:\n  - {name: a, metric: r, width: 20}\n", "(at /figures/0/width)", "from 200 to 4000, found 20");
        fails("figures:\n  - {name: a, metric: r, kind: aggregate, bootstrap: {resamples: 5}}\n", "/bootstrap/resamples");
        fails("figures:\n  - {name: a, metric: r, logX: 1}\n", "'logX' must be true or false");
        fails("figures:\n  - 7\n", "(at /figures/0)", "a figure must be a mapping");
        fails("defaults: {metric: r}\nfigures:\n  - {name: a, metric: r}\n", "(at /defaults/metric)", "belongs to each figure");
    }
}
