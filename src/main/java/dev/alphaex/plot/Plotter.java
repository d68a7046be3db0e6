package dev.alphaex.plot;

import dev.alphaex.merge.ResultsSnapshot;
import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Draws every figure of a plot spec from a snapshot of the merged results into a folder, as PNG
 * and SVG. A figure that fails is reported and the others are still drawn. Keeps what does not
 * change between replots (colour ranks, per-run scores); use one instance per store.
 */
public final class Plotter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Plotter.class);

    /** One drawn chart (or a figure that could not be drawn: {@code error} is set and no file was written). */
    public record Chart(String file, String title, String subtitle, List<String> warnings, String error,
                        FigureData.ScoreTable table) {
        public String png() {
            return file + ".png";
        }

        /** The numbers drawn: configuration, x, estimate, lower, upper, n. */
        public String csv() {
            return file + ".csv";
        }

        public String svg() {
            return file + ".svg";
        }
    }

    private static final int DRAWING_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /**
     * Charts are independent: they are drawn on up to as many threads as cores. The pool is this
     * plotter's, its threads end when idle for a second and all of them at {@link #close()}: an
     * idle pool thread ignores interruption, so a shared pool would outlive the Camel context and
     * keep {@code mvn camel:run} waiting for it.
     */
    private final java.util.concurrent.ThreadPoolExecutor drawing = new java.util.concurrent.ThreadPoolExecutor(
            DRAWING_THREADS, DRAWING_THREADS, 1, java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "plot-draw");
                t.setDaemon(true);
                return t;
            });

    private final Palette palette;
    private final ChartRenderer renderer = new ChartRenderer();
    private final ConcurrentHashMap<String, Double> runScores = new ConcurrentHashMap<>();
    /** The warnings last logged per chart: a warning is logged when it first appears, not at every replot. */
    private final ConcurrentHashMap<String, List<String>> logged = new ConcurrentHashMap<>();

    public Plotter(Sweep sweep) {
        this.palette = new Palette(sweep);
        drawing.allowCoreThreadTimeOut(true);
    }

    /** Ends the drawing threads (a drawing under way is interrupted and waited for, up to 5 s). */
    @Override
    public void close() {
        drawing.shutdownNow();
        try {
            if (!drawing.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("A chart was still being drawn 5 s after the stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Computes the figures' data without drawing (for tests and tools). */
    public List<FigureData> figures(PlotSpec spec, ResultsSnapshot snap) {
        List<FigureData> out = new ArrayList<>();
        FigureBuilder builder = new FigureBuilder(snap, palette, runScores, splitKeys(spec));
        for (FigureSpec f : spec.figures()) {
            out.addAll(LogAxes.apply(builder.build(f)));
        }
        return out;
    }

    /** Draws every figure into {@code dir}; returns what was drawn, in the spec's order. */
    public List<Chart> render(PlotSpec spec, ResultsSnapshot snap, Path dir) throws IOException {
        Files.createDirectories(dir);
        FigureBuilder builder = new FigureBuilder(snap, palette, runScores, splitKeys(spec));
        // compute every figure's data (cheap), then draw the charts on the cores there are
        List<java.util.concurrent.Future<Chart>> drawn = new ArrayList<>();
        for (FigureSpec f : spec.figures()) {
            List<FigureData> figures;
            try {
                figures = LogAxes.apply(builder.build(f));
            } catch (RuntimeException e) {
                LOG.error("Figure '{}' of {} cannot be computed: {}", f.name(), spec.source(), e.toString(), e);
                drawn.add(java.util.concurrent.CompletableFuture.completedFuture(
                        new Chart(f.name(), f.title(), "", List.of(), "cannot be computed: " + e, null)));
                continue;
            }
            for (FigureData d : figures) {
                drawn.add(drawing.submit(() -> draw(d, dir)));
            }
        }
        List<Chart> charts = new ArrayList<>(drawn.size());
        for (java.util.concurrent.Future<Chart> f : drawn) {
            try {
                charts.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while drawing", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("drawing failed", e.getCause());
            }
        }
        return charts;
    }

    private Chart draw(FigureData d, Path dir) {
        try {
            renderer.write(d, dir);
            List<String> before = logged.put(d.file(), d.warnings());
            for (String w : d.warnings()) {
                if (before == null || !before.contains(w)) {
                    LOG.warn("Chart {}: {}", d.file(), w);
                }
            }
            return new Chart(d.file(), d.title(), d.subtitle(), d.warnings(), null, d.table());
        } catch (IOException | RuntimeException e) {
            LOG.error("Chart {} cannot be drawn: {}", d.file(), e.toString(), e);
            return new Chart(d.file(), d.title(), d.subtitle(), d.warnings(), "cannot be drawn: " + e, d.table());
        }
    }

    private static java.util.Set<String> splitKeys(PlotSpec spec) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        spec.figures().forEach(f -> {
            keys.addAll(f.splitBy());
            if (f.task() != null) {
                keys.add(f.task()); // tasks are told apart by dashes, so a configuration has one colour in every figure
            }
        });
        return keys;
    }

    /** Draws one figure's data (benchmarks). */
    public byte[] png(FigureData d) throws IOException {
        return renderer.png(renderer.chart(d), d.width(), d.height());
    }

    /** Draws one figure's data as SVG (benchmarks). */
    public byte[] svg(FigureData d) {
        return renderer.svg(renderer.chart(d), d.width(), d.height());
    }
}
