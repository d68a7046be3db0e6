package dev.alphaex.merge;

import dev.alphaex.sweep.Configuration;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary file of one configuration: a comment line naming the configuration, its number of
 * runs and the store's merge sequence number (seq) it is current with, then a CSV with the configuration's
 * values, the step, n, and per metric the mean, standard error and Welford's M2 (doubles written
 * so that they read back exactly).
 */
final class SummaryFile {
    private static final Logger LOG = LoggerFactory.getLogger(SummaryFile.class);
    private static final Pattern COMMENT = Pattern.compile(
            "# alphaex summary of configuration (\\d+) .*: (\\d+) runs, store seq (-?\\d+)");
    private static final CSVFormat WRITE = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();
    private static final CSVFormat READ = CSVFormat.DEFAULT.builder().setCommentMarker('#').get();

    private SummaryFile() {
    }

    static List<String> header(Schema schema) {
        List<String> h = new ArrayList<>(schema.configColumns);
        h.add("step");
        h.add("n");
        for (String m : schema.metrics) {
            h.add(m + "_mean");
            h.add(m + "_se");
            h.add(m + "_m2");
        }
        return h;
    }

    static void write(Path file, Schema schema, Configuration config, Accumulator acc) throws IOException {
        Accumulator.State st = acc.snapshot();
        StringBuilder sb = new StringBuilder(64 + st.steps.length * (24 + 60 * schema.metrics.size()));
        sb.append("# alphaex summary of configuration ").append(acc.combination).append(' ')
                .append(config.toJson(false).without("run").toString()).append(": ").append(acc.runs()).append(" runs, store seq ")
                .append(acc.lastSeq).append('\n');
        try (CSVPrinter p = new CSVPrinter(sb, WRITE)) {
            p.printRecord(header(schema));
            List<String> prefix = new ArrayList<>();
            for (String key : schema.keys) {
                prefix.add(Values.text(config.get(key)));
            }
            List<String> row = new ArrayList<>();
            for (int i = 0; i < st.steps.length; i++) {
                row.clear();
                row.addAll(prefix);
                row.add(step(st.steps[i]));
                row.add(Long.toString(st.n[i]));
                for (int m = 0; m < schema.metrics.size(); m++) {
                    row.add(Double.toString(st.mean[m][i]));
                    row.add(st.n[i] < 2 ? "" : Double.toString(Math.sqrt(st.m2[m][i] / (st.n[i] - 1) / st.n[i])));
                    row.add(Double.toString(st.m2[m][i]));
                }
                p.printRecord(row);
            }
        }
        MergeStore.writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String step(double s) {
        return s == Math.rint(s) && Math.abs(s) < 1e15 ? Long.toString((long) s) : Double.toString(s);
    }

    /**
     * Restores an accumulator from its file when the file is current with the store; false when
     * it is missing, behind or unreadable (the caller rebuilds then).
     */
    static boolean restore(Path file, Schema schema, Accumulator acc, long[] indices, long lastSeq) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.warn("Cannot read the summary {}: {}", file, e.toString());
            return false;
        }
        int eol = text.indexOf('\n');
        Matcher m = COMMENT.matcher(eol < 0 ? text : text.substring(0, eol));
        if (!m.matches() || Long.parseLong(m.group(1)) != acc.combination
                || Long.parseLong(m.group(2)) != indices.length || Long.parseLong(m.group(3)) != lastSeq) {
            return false;
        }
        try (CSVParser p = CSVParser.parse(new StringReader(text), READ)) {
            List<CSVRecord> records = p.getRecords();
            List<String> header = header(schema);
            if (records.isEmpty() || !records.get(0).toList().equals(header)) {
                return false;
            }
            int rows = records.size() - 1;
            int metrics = schema.metrics.size();
            int base = schema.configColumns.size();
            double[] steps = new double[rows];
            long[] n = new long[rows];
            double[][] mean = new double[metrics][rows];
            double[][] m2 = new double[metrics][rows];
            for (int i = 0; i < rows; i++) {
                CSVRecord r = records.get(i + 1);
                if (r.size() != header.size()) {
                    return false;
                }
                steps[i] = Double.parseDouble(r.get(base));
                n[i] = Long.parseLong(r.get(base + 1));
                for (int k = 0; k < metrics; k++) {
                    mean[k][i] = Double.parseDouble(r.get(base + 2 + 3 * k));
                    m2[k][i] = Double.parseDouble(r.get(base + 4 + 3 * k));
                }
            }
            acc.restore(steps, n, mean, m2, indices, lastSeq);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot use the summary {} ({}); rebuilding it", file, e.toString());
            return false;
        }
    }
}
