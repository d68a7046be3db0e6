package dev.alphaex.plot;

import dev.alphaex.merge.MergeStore;
import dev.alphaex.plot.stats.Aggregates;
import dev.alphaex.plot.stats.Scores;
import dev.alphaex.sweep.Sweep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The RL figure kinds on small exact data: sweep env x alpha, env the task key, metric r. Run k of
 * (env e, alpha a) logs the constant score 10a + e + k/10 (so every per-run score is known).
 */
class RlFiguresTest {
    @TempDir
    Path dir;
    private final Sweep sweep = Sweep.parse("{\"env\": [\"a\", \"b\"], \"alpha\": [0, 1, 2]}", "s.json", false);
    private MergeStore store;
    private Plotter plotter;

    @BeforeEach
    void open() throws IOException {
        store = MergeStore.open(dir.resolve("results"), sweep, new MergeStore.Options().durable(false));
        plotter = new Plotter(sweep);
        for (int e = 0; e < 2; e++) {
            for (int a = 0; a < 3; a++) {
                for (int k = 0; k < 4 + e; k++) { // env b has one run more: ragged tasks
                    double v = score(e, a, k);
                    long index = e + 2L * a + 6L * k;
                    String log = "step,r\n1," + v + "\n2," + v + "\n";
                    store.merge(index + ".csv", log.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static double score(int e, int a, int k) {
        return 10 * a + e + k / 10.0;
    }

    @AfterEach
    void close() throws IOException {
        store.close();
        plotter.close();
    }

    private List<FigureData> figures(String figureYaml) {
        return plotter.figures(PlotSpec.parse("figures:\n  - " + figureYaml + "\n", "p.yaml", sweep), store.snapshot());
    }

    private static Scores scoresOf(int a) {
        double[][] s = new double[2][];
        for (int e = 0; e < 2; e++) {
            s[e] = new double[4 + e];
            for (int k = 0; k < s[e].length; k++) {
                s[e][k] = score(e, a, k);
            }
        }
        return Scores.of(s);
    }

    @Test
    void aggregateShowsIqmMedianMeanAndGapOverRunsAndTasks() {
        FigureData d = figures("{name: agg, kind: aggregate, metric: r, task: env, gamma: 15}").get(0);
        assertThat(d.panels()).extracting(FigureData.Panel::name)
                .containsExactly("IQM", "Median", "Mean", "Optimality gap (\u03b3 = 15.0)");
        FigureData.Panel iqm = d.panels().get(0);
        assertThat(iqm.rows()).extracting(FigureData.Row::label)
                .containsExactly("alpha=0 (n=9)", "alpha=1 (n=9)", "alpha=2 (n=9)");
        for (int a = 0; a < 3; a++) {
            Scores s = scoresOf(a);
            assertThat(iqm.rows().get(a).interval().estimate()).isCloseTo(Aggregates.iqm(s, s.once()), within(1e-12));
            assertThat(d.panels().get(3).rows().get(a).interval().estimate())
                    .isCloseTo(Aggregates.optimalityGap(s, s.once(), 15), within(1e-12));
            assertThat(iqm.rows().get(a).interval().lo()).isLessThanOrEqualTo(iqm.rows().get(a).interval().estimate());
            assertThat(iqm.rows().get(a).interval().hi()).isGreaterThanOrEqualTo(iqm.rows().get(a).interval().estimate());
        }
        assertThat(d.subtitle()).contains("tasks: env (2)", "95% stratified bootstrap intervals (2000 resamples)");
        assertThat(d.table().statistic()).isEqualTo("IQM");
        assertThat(d.table().rows()).extracting(FigureData.ScoreRow::label).containsExactly("alpha=0", "alpha=1", "alpha=2");
        assertThat(d.table().rows().get(1).auc().estimate()).isCloseTo(Aggregates.iqm(scoresOf(1), scoresOf(1).once()),
                within(1e-12)); // a constant run over steps 1..2: area = the value
    }

    @Test
    void profilesCountRunsAboveEachTau() {
        FigureData d = figures("{name: p, kind: profile, metric: r, task: env, tau: [0.5, 10.2, 30]}").get(0);
        FigureData.Curve alpha1 = d.curves().get(1);
        assertThat(alpha1.x()).containsExactly(0.5, 10.2, 30);
        // alpha=1: env a 10, 10.1, 10.2, 10.3; env b 11 .. 11.4: above 10.2: 1 + 5 of 9
        assertThat(alpha1.y()).containsExactly(1, 6 / 9.0, 0);
        assertThat(alpha1.n()).isEqualTo(9);
    }

    @Test
    void improvementComparesEveryPairOnTheirTasks() {
        FigureData d = figures("{name: i, kind: improvement, metric: r, task: env}").get(0);
        FigureData.Panel p = d.panels().get(0);
        assertThat(p.rows()).extracting(FigureData.Row::label).containsExactly("alpha=1 vs alpha=0 (n=9 vs 9)",
                "alpha=2 vs alpha=0 (n=9 vs 9)", "alpha=2 vs alpha=1 (n=9 vs 9)");
        assertThat(p.rows()).allSatisfy(r -> assertThat(r.interval().estimate()).isEqualTo(1.0));
        assertThat(p.reference()).isEqualTo(0.5);
    }

    @Test
    void iqmCurvesHaveOnePointPerStepUpToPoints() {
        FigureData d = figures("{name: c, metric: r, statistic: iqm, task: env}").get(0);
        FigureData.Curve c = d.curves().get(2);
        assertThat(c.x()).containsExactly(1, 2);
        Scores s = scoresOf(2);
        assertThat(c.y()[0]).isCloseTo(Aggregates.iqm(s, s.once()), within(1e-12));
        assertThat(c.lo()[0]).isLessThanOrEqualTo(c.y()[0]);
        assertThat(RlFigures.pickPoints(new double[]{1, 2, 3, 4, 5, 6, 7}, 3)).containsExactly(1, 4, 7);
    }

    @Test
    void everyFigureWritesTheNumbersItDrawsAsCsv() throws IOException {
        PlotSpec spec = PlotSpec.parse("figures:\n  - {name: agg, kind: aggregate, metric: r, task: env}\n"
                + "  - {name: curves, metric: r, filter: {alpha: 0}}\n", "p.yaml", sweep);
        List<Plotter.Chart> charts = plotter.render(spec, store.snapshot(), dir.resolve("charts"));
        assertThat(charts).allSatisfy(c -> assertThat(c.error()).isNull());
        List<String> agg = Files.readAllLines(dir.resolve("charts/agg.csv"));
        assertThat(agg.get(0)).isEqualTo("configuration,x,estimate,lower,upper,n");
        assertThat(agg).hasSize(1 + 3 * 3).anySatisfy(l -> assertThat(l).startsWith("alpha=2,IQM,").endsWith(",9"));
        List<String> curves = Files.readAllLines(dir.resolve("charts/curves.csv"));
        // env=a alpha=0: runs 0, .1, .2, .3: mean 0.15 at both steps, standard error sqrt(0.05 / 3) / 2
        assertThat(curves).hasSize(1 + 2 * 2).anySatisfy(l -> assertThat(l).startsWith("env=a,1.0,0.15,0.085450277563209")
                .endsWith(",4"));
        assertThat(dir.resolve("charts/agg.png")).exists();
        assertThat(dir.resolve("charts/agg.svg")).exists();
    }
}
