package dev.alphaex.plot;

import dev.alphaex.plot.stats.Interval;

import java.util.List;

/**
 * One chart, computed and ready to draw: its curves (an estimate with a band each) or its
 * interval panels, the table of final score and AUC per configuration, and the warnings a reader
 * must see (truncation, resampling, missing data). Pure data.
 *
 * @param file       the chart's file name without extension
 * @param subtitle   what is fixed in this figure (split values, filter, selection, smoothing)
 * @param categories for a sensitivity plot over non-numeric values: the x axis labels (x = 0, 1, ...); else empty
 * @param markers    draw a marker at each point (sensitivity plots)
 * @param panels     for aggregate and improvement figures: side-by-side panels of intervals (then no curves)
 * @param table      final score and AUC per configuration, with intervals and n, or null
 * @param message    shown in an empty chart when there is nothing to draw (e.g. no run merged yet), else null
 */
public record FigureData(String file, String title, String subtitle, String xLabel, String yLabel, boolean logX,
                         boolean logY, int width, int height, List<Curve> curves, List<String> categories,
                         boolean markers, List<Panel> panels, ScoreTable table, List<String> warnings, String message) {

    /** A figure of curves (no panels, no table yet). */
    static FigureData ofCurves(String file, String title, String subtitle, String xLabel, String yLabel, boolean logX,
                               boolean logY, int width, int height, List<Curve> curves, List<String> categories,
                               boolean markers, List<String> warnings, String message) {
        return new FigureData(file, title, subtitle, xLabel, yLabel, logX, logY, width, height, curves, categories,
                markers, List.of(), null, warnings, message);
    }

    FigureData withCurves(List<Curve> c, List<String> w) {
        return new FigureData(file, title, subtitle, xLabel, yLabel, logX, logY, width, height, c, categories, markers,
                panels, table, w, message);
    }

    FigureData withTable(ScoreTable t) {
        return new FigureData(file, title, subtitle, xLabel, yLabel, logX, logY, width, height, curves, categories,
                markers, panels, t, warnings, message);
    }

    /**
     * One curve: per point x, the estimate y and the band [lo, hi].
     *
     * @param colour position in the palette, stable for a configuration across figures
     * @param dash   dash pattern (0 = solid), used when there are more curves than colours
     * @param n      the runs behind each point
     */
    public record Curve(String label, int colour, int dash, double[] x, double[] y, double[] lo, double[] hi, int n) {
    }

    /**
     * A panel of intervals, one row per configuration (or pair).
     *
     * @param reference a value marked with a line (0.5 for a probability of improvement), or null
     */
    public record Panel(String name, List<Row> rows, Double reference) {
    }

    /** One interval of a panel. */
    public record Row(String label, int colour, Interval interval) {
    }

    /**
     * Final score and area under the curve per configuration of a figure, each with its
     * bootstrap interval and the number of runs.
     *
     * @param statistic   "mean" or "IQM": how runs (and tasks) are aggregated
     * @param finalScore  what the final score is, in words
     * @param confidence  the intervals' coverage
     */
    public record ScoreTable(String statistic, String finalScore, double confidence, List<ScoreRow> rows) {
    }

    /** One configuration of a score table. */
    public record ScoreRow(String label, Interval finalScore, Interval auc) {
    }
}
