package dev.alphaex.plot;

import java.util.List;

/**
 * One chart, computed and ready to draw: its curves (a mean with a band each) and the warnings a
 * reader must see (truncation, resampling, missing data). Pure data.
 *
 * @param file       the chart's file name without extension
 * @param subtitle   what is fixed in this figure (split values, filter, selection, smoothing)
 * @param categories for a sensitivity plot over non-numeric values: the x axis labels (x = 0, 1, ...); else empty
 * @param markers    draw a marker at each point (sensitivity plots)
 * @param message    shown in an empty chart when there is nothing to draw (e.g. no run merged yet), else null
 */
public record FigureData(String file, String title, String subtitle, String xLabel, String yLabel, boolean logX,
                         boolean logY, int width, int height, List<Curve> curves, List<String> categories,
                         boolean markers, List<String> warnings, String message) {

    /**
     * One curve: per point x, the mean y and the band [lo, hi].
     *
     * @param colour position in the palette, stable for a configuration across figures
     * @param dash   dash pattern (0 = solid), used when there are more curves than colours
     */
    public record Curve(String label, int colour, int dash, double[] x, double[] y, double[] lo, double[] hi) {
    }
}
