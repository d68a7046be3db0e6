package dev.alphaex.plot;

import dev.alphaex.merge.MergeStore;
import dev.alphaex.sweep.Sweep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The figure features on small, exact data: sweep env x alpha, metric r. */
class FigureBuilderTest {
    @TempDir
    Path dir;
    private final Sweep sweep = Sweep.parse("{\"env\": [\"a\", \"b\"], \"alpha\": [0.1, 0.5, 1]}", "s.json", false);
    private MergeStore store;
    private Plotter plotter;

    @BeforeEach
    void open() throws IOException {
        store = MergeStore.open(dir, sweep, new MergeStore.Options().durable(false));
        plotter = new Plotter(sweep);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    /** Index of (env, alpha, run): env varies fastest. */
    private static long index(int env, int alpha, int run) {
        return env + 2L * alpha + 6L * run;
    }

    private void log(long index, double... values) throws IOException {
        StringBuilder sb = new StringBuilder("step,r\n");
        for (int i = 0; i < values.length; i++) {
            sb.append(i + 1).append(',').append(values[i]).append('\n');
        }
        assertThat(store.merge(index + ".csv", sb.toString().getBytes(StandardCharsets.UTF_8)).kind())
                .isEqualTo(dev.alphaex.merge.MergeResult.Kind.MERGED);
    }

    private List<FigureData> figures(String figureYaml) {
        return plotter.figures(PlotSpec.parse("figures:\n  - " + figureYaml + "\n", "p.yaml", sweep), store.snapshot());
    }

    @Test
    void splitsByKeysAndFiltersByValuesWithStableColours() throws IOException {
        for (int e = 0; e < 2; e++) {
            for (int a = 0; a < 3; a++) {
                log(index(e, a, 0), 1, 2);
                log(index(e, a, 1), 3, 4);
            }
        }
        List<FigureData> split = figures("{name: f, metric: r, splitBy: env}");
        assertThat(split).extracting(FigureData::file).containsExactly("f--env=a", "f--env=b");
        assertThat(split.get(0).curves()).extracting(FigureData.Curve::label)
                .containsExactly("alpha=0.1 (n=2)", "alpha=0.5 (n=2)", "alpha=1 (n=2)");
        // the same alpha has the same colour in both figures
        assertThat(split.get(0).curves()).extracting(FigureData.Curve::colour)
                .containsExactlyElementsOf(split.get(1).curves().stream().map(FigureData.Curve::colour).toList());
        assertThat(split.get(0).curves().get(0).y()).containsExactly(2, 3);
        List<FigureData> filtered = figures("{name: f, metric: r, filter: {alpha: [0.5, 1]}}");
        assertThat(filtered.get(0).curves()).extracting(FigureData.Curve::label).containsExactly(
                "env=a, alpha=0.5 (n=2)", "env=b, alpha=0.5 (n=2)", "env=a, alpha=1 (n=2)", "env=b, alpha=1 (n=2)");
        assertThat(filtered.get(0).subtitle()).contains("alpha in {0.5, 1}");
        // a configuration keeps its colour whatever else is drawn
        int colourAll = figures("{name: f, metric: r}").get(0).curves().get(3).colour();
        assertThat(filtered.get(0).curves().get(1).colour()).isEqualTo(colourAll);
    }

    @Test
    void bestKByAreaOrByTheLastPart() throws IOException {
        log(index(0, 0, 0), 10, 0, 0, 0);  // big area, poor end
        log(index(0, 1, 0), 0, 0, 0, 5);   // good end
        log(index(0, 2, 0), 1, 1, 1, 1);
        List<FigureData> auc = figures("{name: f, metric: r, best: {k: 1, score: auc}}");
        assertThat(auc.get(0).curves()).extracting(FigureData.Curve::label).containsExactly("env=a, alpha=0.1 (n=1)");
        assertThat(auc.get(0).subtitle()).contains("best 1 of 3 by area under the curve");
        List<FigureData> last = figures("{name: f, metric: r, best: {k: 2, score: {last: 0.25}}}");
        assertThat(last.get(0).curves()).extracting(FigureData.Curve::label)
                .containsExactly("alpha=0.5 (n=1)", "alpha=1 (n=1)");
        List<FigureData> lowest = figures("{name: f, metric: r, best: {k: 1, score: last, higherIsBetter: false}}");
        assertThat(lowest.get(0).curves().get(0).label()).isEqualTo("env=a, alpha=0.1 (n=1)");
    }

    @Test
    void unequalLengthsAreTruncatedWithAWarningNeverAveragedOverFewerRuns() throws IOException {
        log(index(0, 0, 0), 1, 1, 1, 1);
        log(index(0, 0, 1), 3, 3);
        FigureData d = figures("{name: f, metric: r}").get(0);
        assertThat(d.curves().get(0).x()).containsExactly(1, 2);
        assertThat(d.curves().get(0).y()).containsExactly(2, 2);
        assertThat(d.warnings()).singleElement().asString().contains("unequal lengths",
                "the shortest ends at step 2, the longest at step 4", "truncated to the 2 of 4 steps");
    }

    @Test
    void resamplingPutsRunsWithDifferentStepsOnACommonGrid() throws IOException {
        store.merge("0.csv", "step,r\n0,0\n10,10\n".getBytes(StandardCharsets.UTF_8));
        store.merge("6.csv", "step,r\n0,0\n4,8\n8,16\n".getBytes(StandardCharsets.UTF_8));
        FigureData d = figures("{name: f, metric: r, unequalLength: resample, resamplePoints: 3}").get(0);
        FigureData.Curve c = d.curves().get(0);
        assertThat(c.x()).containsExactly(0, 4, 8);
        assertThat(c.y()).containsExactly(0, 6, 12); // (4+8)/2, (8+16)/2
        assertThat(d.warnings()).singleElement().asString().contains("interpolated linearly on 3 points from step 0 to 8");
        FigureData truncated = figures("{name: f, metric: r}").get(0);
        assertThat(truncated.curves().get(0).x()).containsExactly(0);
    }

    @Test
    void standardErrorAndBootstrapBandsAndScaling() throws IOException {
        for (int run = 0; run < 20; run++) {
            log(index(0, 0, run), run % 2, run % 4 == 0 ? 1 : 0);
        }
        FigureData.Curve se = figures("{name: f, metric: r, scale: 100}").get(0).curves().get(0);
        assertThat(se.y()[0]).isCloseTo(50, within(1e-9));
        double sd = Math.sqrt(20.0 / 19 * 0.25);
        assertThat(se.hi()[0] - se.y()[0]).isCloseTo(100 * sd / Math.sqrt(20), within(1e-9));
        FigureData.Curve boot = figures("{name: f, metric: r, scale: 100, band: bootstrap}").get(0).curves().get(0);
        assertThat(boot.lo()[0]).isBetween(25.0, 40.0);
        assertThat(boot.hi()[0]).isBetween(60.0, 75.0);
        FigureData.Curve none = figures("{name: f, metric: r, band: none}").get(0).curves().get(0);
        assertThat(none.lo()).containsExactly(none.y());
    }

    @Test
    void smoothingIsOffByDefaultAndAppliesToCurveAndBand() throws IOException {
        log(index(0, 0, 0), 0, 10, 0, 10);
        assertThat(figures("{name: f, metric: r}").get(0).curves().get(0).y()).containsExactly(0, 10, 0, 10);
        FigureData w = figures("{name: f, metric: r, smoothing: {window: 2}}").get(0);
        assertThat(w.curves().get(0).y()).containsExactly(0, 5, 5, 5);
        assertThat(w.subtitle()).contains("moving average over 2 points");
        FigureData e = figures("{name: f, metric: r, smoothing: {exponential: 0.5}}").get(0);
        assertThat(e.curves().get(0).y()[1]).isCloseTo(10 * 0.5 / 0.75, within(1e-12));
    }

    @Test
    void logAxesLeaveOutPointsAtOrBelowZeroAndSaySo() throws IOException {
        log(index(0, 0, 0), 0, 1, 10, 100);
        FigureData d = figures("{name: f, metric: r, logY: true}").get(0);
        assertThat(d.curves().get(0).y()).containsExactly(1, 10, 100);
        assertThat(d.warnings()).anySatisfy(w -> assertThat(w).contains("1 of 4 points", "log axis"));
    }

    @Test
    void sensitivityPlotsAPerRunScoreAgainstAParameterOneLinePerOtherValue() throws IOException {
        for (int e = 0; e < 2; e++) {
            for (int a = 0; a < 3; a++) {
                log(index(e, a, 0), 0, a + e);
                log(index(e, a, 1), 0, a + e + 2);
            }
        }
        FigureData d = figures("{name: s, kind: sensitivity, metric: r, parameter: alpha, score: {last: 0.5}}").get(0);
        assertThat(d.curves()).extracting(FigureData.Curve::label).containsExactly("env=a (n=2)", "env=b (n=2)");
        assertThat(d.curves().get(0).x()).containsExactly(0.1, 0.5, 1);
        assertThat(d.curves().get(0).y()).containsExactly(1, 2, 3);
        assertThat(d.curves().get(1).hi()[0] - d.curves().get(1).y()[0]).isCloseTo(1, within(1e-12)); // sd sqrt2, n 2
        FigureData cat = figures("{name: s, kind: sensitivity, metric: r, parameter: env, score: auc}").get(0);
        assertThat(cat.categories()).containsExactly("a", "b");
        assertThat(cat.curves()).hasSize(3);
    }

    @Test
    void anUnknownMetricOrNoDataGivesAMessageInsteadOfAChart() throws IOException {
        assertThat(figures("{name: f, metric: r}").get(0).message()).contains("No run merged yet");
        log(0, 1);
        FigureData d = figures("{name: f, metric: loss}").get(0);
        assertThat(d.message()).contains("metric 'loss' is not a column of the merged logs (r)");
    }

    @Test
    void aConfigurationKeepsItsColourInEveryFigureOfASpecAndDashesSeparateWhatOtherFiguresSplit() throws IOException {
        for (int e = 0; e < 2; e++) {
            for (int a = 0; a < 3; a++) {
                log(index(e, a, 0), 1, 2);
            }
        }
        List<FigureData> all = plotter.figures(PlotSpec.parse("figures:\n  - {name: s, metric: r, splitBy: env}\n"
                + "  - {name: u, metric: r}\n", "p.yaml", sweep), store.snapshot());
        FigureData envB = all.get(1);
        FigureData unsplit = all.get(2);
        FigureData.Curve inSplit = envB.curves().get(1); // env=b, alpha=0.5
        FigureData.Curve inAll = unsplit.curves().stream().filter(c -> c.label().startsWith("env=b, alpha=0.5")).findFirst()
                .orElseThrow();
        assertThat(inAll.colour()).isEqualTo(inSplit.colour());
        assertThat(inSplit.dash()).as("solid in a panel of its own env").isZero();
        FigureData.Curve otherEnv = unsplit.curves().stream().filter(c -> c.label().startsWith("env=a, alpha=0.5"))
                .findFirst().orElseThrow();
        assertThat(otherEnv.colour()).isEqualTo(inAll.colour());
        assertThat(otherEnv.dash()).isNotEqualTo(inAll.dash());
    }
}
