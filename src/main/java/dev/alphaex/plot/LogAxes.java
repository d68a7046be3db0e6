package dev.alphaex.plot;

import java.util.ArrayList;
import java.util.List;

/** Makes figures drawable on log axes: points at or below zero cannot be drawn there; they are left out, with a warning. */
final class LogAxes {
    private LogAxes() {
    }

    static List<FigureData> apply(List<FigureData> figures) {
        List<FigureData> out = new ArrayList<>(figures.size());
        for (FigureData d : figures) {
            out.add(d.logX() || d.logY() ? apply(d) : d);
        }
        return out;
    }

    private static FigureData apply(FigureData d) {
        List<String> warnings = new ArrayList<>(d.warnings());
        List<FigureData.Curve> curves = new ArrayList<>();
        for (FigureData.Curve c : d.curves()) {
            int n = c.x().length;
            double[] x = new double[n];
            double[] y = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if ((d.logX() && !(c.x()[i] > 0)) || (d.logY() && !(c.y()[i] > 0))) {
                    continue;
                }
                x[k] = c.x()[i];
                y[k] = c.y()[i];
                // a band reaching below zero is cut at a tenth of the mean on a log axis
                lo[k] = d.logY() && !(c.lo()[i] > 0) ? y[k] / 10 : c.lo()[i];
                hi[k] = c.hi()[i];
                k++;
            }
            if (k < n) {
                warnings.add(c.label() + ": " + (n - k) + " of " + n + " points are at or below zero and cannot be drawn "
                        + "on a log axis; left out");
            }
            curves.add(new FigureData.Curve(c.label(), c.colour(), c.dash(), java.util.Arrays.copyOf(x, k),
                    java.util.Arrays.copyOf(y, k), java.util.Arrays.copyOf(lo, k), java.util.Arrays.copyOf(hi, k), c.n()));
        }
        return d.withCurves(curves, warnings);
    }
}
