package dev.alphaex.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import dev.alphaex.merge.MergeStore;
import dev.alphaex.merge.Values;
import dev.alphaex.plot.FigureData;
import dev.alphaex.plot.Plotter;
import dev.alphaex.plot.stats.Interval;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report page ({@code index.html} next to the charts), from the template
 * {@code report.mustache} (Mustache.java: every value is HTML-escaped by the engine): the
 * campaign's progress table, every chart (PNG, linking to its SVG and its CSV) with its notes,
 * its table of final score and AUC per configuration (estimate, interval, n) and its warnings,
 * the files refused by the merge and links to the data. Each image records whether it loaded in a
 * {@code data-state} attribute, and the page counts them, so a headless browser can check it. A
 * finished campaign's page does not reload itself.
 */
final class ReportPage {
    private static final Mustache TEMPLATE = new DefaultMustacheFactory("dev/alphaex/report").compile("report.mustache");

    /** What the page shows. */
    record Content(String campaign, List<Plotter.Chart> charts, String specProblem, CampaignStatus status, int runs,
                   int configurations, List<String> refused, int refusedTotal, long version, int refreshSeconds) {
    }

    private ReportPage() {
    }

    static void write(Path file, Content c) throws IOException {
        MergeStore.writeAtomically(file, html(c).getBytes(StandardCharsets.UTF_8));
    }

    static String html(Content c) {
        StringWriter out = new StringWriter(16384);
        TEMPLATE.execute(out, model(c));
        return out.toString();
    }

    private static Map<String, Object> model(Content c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", "AlphaEx results" + (c.campaign() == null || c.campaign().isEmpty() ? "" : ": " + c.campaign()));
        boolean finished = c.status().finished();
        m.put("finished", finished);
        m.put("refreshSeconds", finished || c.refreshSeconds() <= 0 ? null : c.refreshSeconds());
        m.put("written", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("runs", c.runs());
        m.put("configurations", c.configurations());
        m.put("statusProblem", c.status().root == null ? c.status().problem : null);
        m.put("status", c.status().root == null ? null : status(c.status().root));
        m.put("specProblem", c.specProblem());
        List<Map<String, Object>> charts = new ArrayList<>();
        for (Plotter.Chart chart : c.charts()) {
            charts.add(chart(chart, c.version()));
        }
        m.put("charts", charts);
        m.put("refusedTotal", c.refusedTotal() == 0 ? null : c.refusedTotal());
        m.put("refusedText", c.refusedTotal() + " log" + (c.refusedTotal() == 1 ? " was" : "s were") + " refused");
        m.put("refusedMore", c.refusedTotal() > c.refused().size());
        m.put("refusedShown", c.refused().size());
        m.put("refused", c.refused());
        return m;
    }

    private static Map<String, Object> status(JsonNode root) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("campaign", CampaignStatus.text(root, "campaign"));
        s.put("updated", CampaignStatus.text(root, "updated"));
        List<Map<String, Object>> totals = new ArrayList<>();
        for (String f : CampaignStatus.TOTALS) {
            totals.add(Map.of("name", f, "value", CampaignStatus.text(root, f)));
        }
        s.put("totals", totals);
        List<Map<String, Object>> header = new ArrayList<>();
        for (String f : CampaignStatus.CLUSTER) {
            header.add(Map.of("name", f, "left", left(f)));
        }
        s.put("clusterHeader", header);
        List<Map<String, Object>> clusters = new ArrayList<>();
        JsonNode list = root.get("clusters");
        if (list != null && list.isArray()) {
            for (JsonNode cl : list) {
                List<Map<String, Object>> cells = new ArrayList<>();
                for (String f : CampaignStatus.CLUSTER) {
                    String v = CampaignStatus.text(cl, f);
                    String css = f.equals("state") ? (v.equals("ok") ? "l ok" : "l bad") : left(f) ? "l" : "";
                    Map<String, Object> cell = new LinkedHashMap<>();
                    cell.put("value", v);
                    cell.put("css", css.isEmpty() ? null : css);
                    cells.add(cell);
                }
                clusters.add(Map.of("cells", cells));
            }
        }
        s.put("clusters", clusters);
        s.put("hasClusters", !clusters.isEmpty());
        return s;
    }

    private static boolean left(String field) {
        return field.equals("name") || field.equals("kind") || field.equals("state");
    }

    private static Map<String, Object> chart(Plotter.Chart chart, long version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", chart.file());
        m.put("title", chart.title());
        m.put("subtitle", chart.subtitle().isEmpty() ? null : chart.subtitle());
        m.put("error", chart.error());
        m.put("png", chart.png());
        m.put("svg", chart.svg());
        m.put("csv", chart.csv());
        m.put("version", version);
        m.put("warnings", chart.warnings());
        m.put("hasWarnings", !chart.warnings().isEmpty());
        FigureData.ScoreTable t = chart.table();
        if (t != null && !t.rows().isEmpty()) {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("file", chart.file());
            table.put("statistic", t.statistic());
            table.put("iqm", t.statistic().equals("IQM"));
            table.put("finalScore", t.finalScore());
            table.put("confidence", Math.round(t.confidence() * 100));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (FigureData.ScoreRow r : t.rows()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("label", r.label());
                put(row, "final", r.finalScore());
                put(row, "auc", r.auc());
                row.put("n", r.finalScore().n());
                rows.add(row);
            }
            table.put("rows", rows);
            m.put("table", table);
        }
        return m;
    }

    private static void put(Map<String, Object> row, String name, Interval iv) {
        row.put(name + "Value", Values.number(iv.estimate()));
        row.put(name + "Text", shown(iv.estimate()));
        row.put(name + "Interval", "[" + shown(iv.lo()) + ", " + shown(iv.hi()) + "]");
    }

    /** A number for a reader: four significant digits. */
    static String shown(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
