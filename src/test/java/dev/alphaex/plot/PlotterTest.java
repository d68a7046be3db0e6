package dev.alphaex.plot;

import dev.alphaex.merge.BanditLogs;
import dev.alphaex.merge.MergeStore;
import dev.alphaex.merge.ResultsSnapshot;
import dev.alphaex.sweep.Sweep;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlotterTest {
    @TempDir
    static Path dir;
    static MergeStore store;
    static Sweep sweep = Sweep.parse(BanditLogs.SWEEP, "bandit-sweep.json", false);

    @BeforeAll
    static void merge() throws IOException {
        store = MergeStore.open(dir.resolve("results"), sweep, new MergeStore.Options().durable(false));
        for (int i = 0; i < 300; i++) {
            store.merge(i + ".csv", BanditLogs.bytes(i, 1000));
        }
    }

    @AfterAll
    static void close() throws IOException {
        store.close();
    }

    @Test
    void theDefaultSpecDrawsFigure22WithOneCurvePerEpsilon() throws IOException {
        PlotSpec spec = PlotSpec.load(Path.of("config/plots.yaml"), sweep);
        Plotter plotter = new Plotter(sweep);
        ResultsSnapshot snap = store.snapshot();
        List<FigureData> figures = plotter.figures(spec, snap);
        assertThat(figures).extracting(FigureData::file).containsExactly("average-reward", "optimal-action",
                "epsilon-sensitivity", "final-reward");
        assertThat(figures.get(3).panels().get(0).rows()).extracting(FigureData.Row::label)
                .containsExactly("epsilon=0 (n=100)", "epsilon=0.01 (n=100)", "epsilon=0.1 (n=100)");
        FigureData reward = figures.get(0);
        assertThat(reward.curves()).extracting(FigureData.Curve::label)
                .containsExactly("epsilon=0 (n=100)", "epsilon=0.01 (n=100)", "epsilon=0.1 (n=100)");
        assertThat(reward.curves()).extracting(FigureData.Curve::colour).doesNotHaveDuplicates();
        assertThat(reward.warnings()).isEmpty();
        FigureData.Curve greedy = reward.curves().get(0);
        assertThat(greedy.x()).hasSize(1000);
        assertThat(greedy.hi()[500]).isGreaterThan(greedy.y()[500]);
        FigureData optimal = figures.get(1);
        assertThat(optimal.curves().get(2).y()[999]).isBetween(60.0, 100.0); // percent
        List<Plotter.Chart> charts = plotter.render(spec, snap, dir.resolve("charts"));
        assertThat(charts).allSatisfy(c -> assertThat(c.error()).isNull());
        BufferedImage png = ImageIO.read(dir.resolve("charts/average-reward.png").toFile());
        assertThat(png.getWidth()).isEqualTo(900);
        assertThat(Files.readString(dir.resolve("charts/average-reward.svg"))).startsWith("<?xml").contains("<svg");
        Files.createDirectories(Path.of("target/charts"));
        for (Plotter.Chart c : charts) {
            Files.copy(dir.resolve("charts").resolve(c.png()), Path.of("target/charts").resolve(c.png()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
