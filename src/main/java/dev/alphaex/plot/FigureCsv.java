package dev.alphaex.plot;

import dev.alphaex.merge.Values;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The numbers a figure draws, as {@code <figure>.csv} next to its PNG and SVG:
 * {@code configuration,x,estimate,lower,upper,n}, one row per point of every curve (x: the step,
 * tau or parameter value; a category's name on a categorical axis) or per interval of every
 * panel (x: the panel, e.g. IQM). Numbers as Python prints them; {@code n} is the number of runs
 * behind the estimate (for a probability of improvement, of both configurations).
 */
final class FigureCsv {
    static final String[] HEADER = {"configuration", "x", "estimate", "lower", "upper", "n"};

    private FigureCsv() {
    }

    static byte[] bytes(FigureData d) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setHeader(HEADER).get())) {
            for (FigureData.Curve c : d.curves()) {
                for (int i = 0; i < c.x().length; i++) {
                    String x = d.categories().isEmpty() ? Values.number(c.x()[i]) : d.categories().get((int) c.x()[i]);
                    csv.printRecord(configuration(c.label()), x, Values.number(c.y()[i]), Values.number(c.lo()[i]), Values.number(c.hi()[i]),
                            c.n());
                }
            }
            for (FigureData.Panel p : d.panels()) {
                for (FigureData.Row r : p.rows()) {
                    csv.printRecord(configuration(r.label()), p.name(), Values.number(r.interval().estimate()),
                            Values.number(r.interval().lo()), Values.number(r.interval().hi()), r.interval().n());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A legend's label without its "(n=...)": the runs have a column of their own. */
    static String configuration(String label) {
        return label.replaceFirst(" \\(n=[^)]*\\)$", "");
    }
}
