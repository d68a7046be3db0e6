package dev.alphaex.bench;

import dev.alphaex.plot.FigureData;
import dev.alphaex.plot.Plotter;
import dev.alphaex.sweep.Sweep;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chart rendering, warm: one chart of 6 curves x 1,000 points with standard-error bands, drawn to
 * PNG and to SVG, next to a baseline measured in the same run: encoding a white image of the same
 * size as PNG (what any PNG of the chart costs before anything is drawn).
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.bench.RenderBenchmark</pre>
 */
public final class RenderBenchmark {
    private RenderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        FigureData d = figure(6, 1000);
        Plotter plotter = new Plotter(Sweep.parse("{\"a\": [1]}", "bench.json", false));
        System.out.printf("render benchmark: 6 curves x 1,000 points, %dx%d, %s%n", d.width(), d.height(),
                System.getProperty("java.vm.name") + " " + Runtime.version());
        long t0 = System.nanoTime();
        int size = plotter.png(d).length;
        System.out.printf("first PNG in this JVM:     %7.1f ms (%,d bytes)%n", (System.nanoTime() - t0) / 1e6, size);
        for (int i = 0; i < 40; i++) {
            plotter.png(d);
            plotter.svg(d);
            blank(d.width(), d.height());
        }
        double png = median(time(50, () -> plotter.png(d)));
        double svg = median(time(50, () -> plotter.svg(d)));
        double blank = median(time(50, () -> blank(d.width(), d.height())));
        System.out.printf("PNG of the chart, warm:    %7.1f ms (median of 50)%n", png);
        System.out.printf("SVG of the chart, warm:    %7.1f ms (median of 50)%n", svg);
        System.out.printf("baseline, blank PNG:       %7.1f ms (median of 50); chart PNG / blank PNG = %.1f%n", blank, png / blank);
    }

    interface Work {
        Object run() throws Exception;
    }

    static double[] time(int n, Work w) throws Exception {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            w.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return t;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static byte[] blank(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** Learning curves with noise and bands, like a real figure. */
    static FigureData figure(int curves, int points) {
        SplittableRandom r = new SplittableRandom(1);
        List<FigureData.Curve> list = new ArrayList<>();
        for (int c = 0; c < curves; c++) {
            double[] x = new double[points];
            double[] y = new double[points];
            double[] lo = new double[points];
            double[] hi = new double[points];
            for (int i = 0; i < points; i++) {
                x[i] = i + 1;
                y[i] = (1 + 0.1 * c) * (1 - Math.exp(-i / 150.0)) + 0.1 * r.nextGaussian();
                lo[i] = y[i] - 0.05;
                hi[i] = y[i] + 0.05;
            }
            list.add(new FigureData.Curve("config " + c + " (n=100)", c, 0, x, y, lo, hi, 100));
        }
        return new FigureData("bench", "Average reward", "bands: \u00b1 1 standard error", "Steps", "Average reward",
                false, false, 900, 520, list, List.of(), false, List.of(), null, List.of(), null);
    }
}
