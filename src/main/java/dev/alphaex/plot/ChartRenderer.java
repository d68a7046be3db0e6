package dev.alphaex.plot;

import dev.alphaex.merge.MergeStore;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Draws a {@link FigureData} with JFreeChart: each curve a line in its palette colour with its
 * band shaded in the same colour (DeviationRenderer; the band uses the series' fill paint, so it
 * is set per series), the number of runs in the legend, the figure's notes as a subtitle. Writes
 * PNG and SVG, each atomically (a page being read never sees half a chart).
 */
final class ChartRenderer {
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Color GRID = new Color(0xDDDDDD);

    JFreeChart chart(FigureData d) {
        if (!d.panels().isEmpty()) {
            return intervals(d);
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (FigureData.Curve c : d.curves()) {
            YIntervalSeries s = new YIntervalSeries(c.label(), false, true);
            for (int i = 0; i < c.x().length; i++) {
                s.add(new org.jfree.data.xy.YIntervalDataItem(c.x()[i], c.y()[i], c.lo()[i], c.hi()[i]), false);
            }
            data.addSeries(s);
        }
        ValueAxis x;
        if (!d.categories().isEmpty()) {
            x = new SymbolAxis(d.xLabel(), d.categories().toArray(new String[0]));
        } else if (d.logX()) {
            x = logAxis(d.xLabel());
        } else {
            NumberAxis nx = new NumberAxis(d.xLabel());
            nx.setAutoRangeIncludesZero(false);
            x = nx;
        }
        ValueAxis y;
        if (d.logY()) {
            y = logAxis(d.yLabel());
        } else {
            NumberAxis ny = new NumberAxis(d.yLabel());
            ny.setAutoRangeIncludesZero(false);
            y = ny;
        }
        DeviationRenderer r = new DeviationRenderer(true, d.markers());
        r.setAlpha(0.3f);
        r.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < d.curves().size(); i++) {
            FigureData.Curve c = d.curves().get(i);
            Color colour = Palette.colour(c.colour());
            r.setSeriesPaint(i, colour);
            r.setSeriesFillPaint(i, colour);
            r.setSeriesStroke(i, Palette.stroke(c.dash(), 1.6f));
            r.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(0.8f));
        plot.setRangeGridlineStroke(new BasicStroke(0.8f));
        plot.setOutlineVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        if (d.message() != null) {
            plot.setNoDataMessage(d.message());
            plot.setNoDataMessageFont(SUBTITLE.deriveFont(14f));
        }
        return decorate(new JFreeChart(d.title(), TITLE, plot, !d.curves().isEmpty()), d);
    }

    /**
     * Aggregate and improvement figures: panels side by side sharing the configurations' axis,
     * each interval a thick translucent bar in the configuration's colour with its estimate marked,
     * as rliable draws them.
     */
    private JFreeChart intervals(FigureData d) {
        List<FigureData.Panel> panels = d.panels();
        List<FigureData.Row> first = panels.get(0).rows();
        String[] labels = new String[first.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = first.get(first.size() - 1 - i).label(); // the first row on top
        }
        SymbolAxis rows = new SymbolAxis(d.yLabel(), labels);
        rows.setGridBandsVisible(false);
        CombinedRangeXYPlot combined = new CombinedRangeXYPlot(rows);
        combined.setGap(12);
        for (FigureData.Panel p : panels) {
            XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
            XYErrorRenderer r = new XYErrorRenderer();
            r.setDrawYError(false);
            r.setCapLength(0);
            r.setErrorStroke(new BasicStroke(9f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            r.setDefaultLinesVisible(false);
            for (int i = 0; i < p.rows().size(); i++) {
                FigureData.Row row = p.rows().get(i);
                XYIntervalSeries s = new XYIntervalSeries(row.label());
                double y = p.rows().size() - 1 - i;
                s.add(row.interval().estimate(), row.interval().lo(), row.interval().hi(), y, y, y);
                data.addSeries(s);
                Color c = Palette.colour(row.colour());
                r.setSeriesPaint(i, c);
                r.setSeriesShape(i, new Rectangle2D.Double(-1.5, -7, 3, 14));
                r.setSeriesFillPaint(i, c);
            }
            r.setErrorPaint(null);
            NumberAxis x = new NumberAxis(p.name());
            x.setAutoRangeIncludesZero(false);
            XYPlot plot = new XYPlot(data, x, null, r);
            style(plot);
            if (p.reference() != null) {
                plot.addDomainMarker(new ValueMarker(p.reference(), Color.GRAY,
                        new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{4f, 4f}, 0f)));
            }
            combined.add(plot, 1);
        }
        if (d.message() != null) {
            combined.setNoDataMessage(d.message());
        }
        return decorate(new JFreeChart(d.title(), TITLE, combined, false), d);
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlineVisible(false);
    }

    private JFreeChart decorate(JFreeChart chart, FigureData d) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (!d.subtitle().isEmpty()) {
            TextTitle sub = new TextTitle(d.subtitle(), SUBTITLE);
            sub.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(sub);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
            legend.setItemFont(SUBTITLE.deriveFont(12f));
        }
        return chart;
    }

    private static LogAxis logAxis(String label) {
        LogAxis a = new LogAxis(label);
        a.setSmallestValue(1e-12);
        a.setNumberFormatOverride(new PlainNumbers()); // 0.01, 100, 1,000 rather than 10^-2, 10^2, 10^3
        org.jfree.chart.axis.TickUnits decades = new org.jfree.chart.axis.TickUnits(); // ticks at whole decades
        for (int d : new int[]{1, 2, 3, 5, 10, 20, 50, 100}) {
            decades.add(new org.jfree.chart.axis.NumberTickUnit(d));
        }
        a.setStandardTickUnits(decades);
        return a;
    }

    /** Tick labels on log axes: whole numbers with grouping, others as Python prints them (0.01, 1e-05). */
    private static final class PlainNumbers extends java.text.NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double v, StringBuffer to, java.text.FieldPosition pos) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return to.append(String.format(java.util.Locale.ROOT, "%,d", (long) v));
            }
            return to.append(dev.alphaex.merge.Values.number(v));
        }

        @Override
        public StringBuffer format(long v, StringBuffer to, java.text.FieldPosition pos) {
            return to.append(String.format(java.util.Locale.ROOT, "%,d", v));
        }

        @Override
        public Number parse(String source, java.text.ParsePosition pos) {
            return null;
        }
    }

    byte[] png(JFreeChart chart, int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        ChartUtils.writeChartAsPNG(out, chart, width, height);
        return out.toByteArray();
    }

    byte[] svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGDocument().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code <file>.png}, {@code <file>.svg} and the numbers drawn, {@code <file>.csv}, into the folder. */
    void write(FigureData d, Path dir) throws IOException {
        JFreeChart chart = chart(d);
        MergeStore.writeAtomically(dir.resolve(d.file() + ".png"), png(chart, d.width(), d.height()));
        MergeStore.writeAtomically(dir.resolve(d.file() + ".svg"), svg(chart, d.width(), d.height()));
        MergeStore.writeAtomically(dir.resolve(d.file() + ".csv"), FigureCsv.bytes(d));
    }
}
