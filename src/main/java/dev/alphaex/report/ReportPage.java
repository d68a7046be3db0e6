package dev.alphaex.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.merge.MergeStore;
import dev.alphaex.plot.Plotter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The report page ({@code index.html} next to the charts): the campaign's progress table, every
 * chart (PNG, linking to its SVG) with its notes and warnings, the files refused by the merge and
 * links to the merged data. Written atomically. Each image records whether it loaded in a
 * {@code data-state} attribute, and the page counts them, so a headless browser can check it.
 */
final class ReportPage {
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
        StringBuilder h = new StringBuilder(8192);
        String title = "AlphaEx results" + (c.campaign() == null || c.campaign().isEmpty() ? "" : ": " + c.campaign());
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        if (c.refreshSeconds() > 0) {
            h.append("<meta http-equiv=\"refresh\" content=\"").append(c.refreshSeconds()).append("\">\n");
        }
        h.append("<title>").append(esc(title)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222;max-width:1400px}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}\n")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}.bad{color:#b00}.ok{color:#070}\n")
                .append("figure{margin:1.5em 0}figcaption{font-size:90%;color:#444}img{max-width:100%;border:1px solid #eee}\n")
                .append(".warn{color:#8a4b00}.err{color:#b00;font-weight:bold}code{background:#f5f5f5;padding:0 .2em}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        h.append("<p>Page written ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("; ")
                .append(c.runs()).append(" runs of ").append(c.configurations())
                .append(" configurations merged. Images: <span id=\"images\">not checked</span>.</p>\n");
        progress(h, c.status());
        h.append("<h2>Charts</h2>\n");
        if (c.specProblem() != null) {
            h.append("<p class=\"err\">The plot spec cannot be used: ").append(esc(c.specProblem()))
                    .append(" (the charts below are from the last good spec, if any)</p>\n");
        }
        if (c.charts().isEmpty()) {
            h.append("<p>No chart yet.</p>\n");
        }
        for (Plotter.Chart chart : c.charts()) {
            h.append("<figure id=\"").append(esc(chart.file())).append("\">\n");
            if (chart.error() != null) {
                h.append("<p class=\"err\">").append(esc(chart.title())).append(": ").append(esc(chart.error()))
                        .append("</p>\n");
            } else {
                h.append("<a href=\"").append(esc(chart.svg())).append("\"><img src=\"").append(esc(chart.png()))
                        .append("?v=").append(c.version()).append("\" alt=\"").append(esc(chart.title()))
                        .append("\" data-state=\"pending\" onload=\"this.dataset.state='loaded'\"")
                        .append(" onerror=\"this.dataset.state='failed'\"></a>\n");
                h.append("<figcaption>").append(esc(chart.title()));
                if (!chart.subtitle().isEmpty()) {
                    h.append(" \u2014 ").append(esc(chart.subtitle()));
                }
                h.append(" (<a href=\"").append(esc(chart.svg())).append("\">SVG</a>, <a href=\"")
                        .append(esc(chart.png())).append("\">PNG</a>)</figcaption>\n");
            }
            if (!chart.warnings().isEmpty()) {
                h.append("<ul class=\"warn\">\n");
                for (String w : chart.warnings()) {
                    h.append("<li>").append(esc(w)).append("</li>\n");
                }
                h.append("</ul>\n");
            }
            h.append("</figure>\n");
        }
        h.append("<h2>Refused logs</h2>\n");
        if (c.refusedTotal() == 0) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<p class=\"bad\">").append(c.refusedTotal()).append(" log").append(c.refusedTotal() == 1 ? " was" : "s were")
                    .append(" refused and kept in the inbox's <code>error/</code> folder, each with a <code>.reason.txt</code>")
                    .append(c.refusedTotal() > c.refused().size() ? " (the latest " + c.refused().size() + " below)" : "")
                    .append(":</p>\n<ul>\n");
            for (String r : c.refused()) {
                h.append("<li>").append(esc(r)).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<h2>Data</h2>\n<p><a href=\"merged.csv\">merged.csv</a> (one row per run and step), ")
                .append("<a href=\"summaries/\">summaries/</a> (per configuration and step: n, mean, standard error; ")
                .append("<code>pandas.read_csv(f, comment=\"#\")</code>), <a href=\"ledger.jsonl\">ledger.jsonl</a>.</p>\n");
        h.append("<script>\n(function(){\n")
                .append("function count(){var imgs=document.querySelectorAll('img');var ok=0,bad=0;")
                .append("imgs.forEach(function(i){if(i.complete&&i.naturalWidth>0){i.dataset.state='loaded';ok++;}")
                .append("else if(i.complete){i.dataset.state='failed';bad++;}});")
                .append("document.getElementById('images').textContent=ok+' of '+imgs.length+' loaded'+(bad?', '+bad+' failed':'');}\n")
                .append("window.addEventListener('load',count);\n})();\n</script>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void progress(StringBuilder h, CampaignStatus s) {
        h.append("<h2>Campaign progress</h2>\n");
        if (s.root == null) {
            h.append("<p>").append(esc(s.problem)).append("</p>\n");
            return;
        }
        h.append("<p>Campaign <b>").append(esc(CampaignStatus.text(s.root, "campaign"))).append("</b>, status of ")
                .append(esc(CampaignStatus.text(s.root, "updated"))).append("</p>\n<table id=\"progress\">\n<tr>");
        for (String f : CampaignStatus.TOTALS) {
            h.append("<th>").append(f).append("</th>");
        }
        h.append("</tr>\n<tr>");
        for (String f : CampaignStatus.TOTALS) {
            h.append("<td>").append(esc(CampaignStatus.text(s.root, f))).append("</td>");
        }
        h.append("</tr>\n</table>\n");
        JsonNode clusters = s.root.get("clusters");
        if (clusters != null && clusters.isArray() && !clusters.isEmpty()) {
            h.append("<table id=\"clusters\">\n<tr>");
            for (String f : CampaignStatus.CLUSTER) {
                h.append("<th").append(f.equals("name") || f.equals("kind") || f.equals("state") ? " class=\"l\"" : "")
                        .append('>').append(f).append("</th>");
            }
            h.append("</tr>\n");
            for (JsonNode cl : clusters) {
                h.append("<tr>");
                for (String f : CampaignStatus.CLUSTER) {
                    String v = CampaignStatus.text(cl, f);
                    String cls = f.equals("state") ? (v.equals("ok") ? "l ok" : "l bad")
                            : f.equals("name") || f.equals("kind") ? "l" : "";
                    h.append("<td").append(cls.isEmpty() ? "" : " class=\"" + cls + "\"").append('>').append(esc(v))
                            .append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
