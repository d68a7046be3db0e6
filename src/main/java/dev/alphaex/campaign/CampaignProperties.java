package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.sweep.Literals;
import dev.alphaex.sweep.Sweep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and checks the campaign's properties; every error names where the value came from: a
 * {@code -Dcampaign.x=...} system property, an environment variable ({@code CAMPAIGN_X}, which Camel
 * reads too) or the properties file ({@code config/application.properties: campaign.x}). A value given
 * with -D used to be blamed on the properties file, where the user looked for it in vain.
 */
final class CampaignProperties {
    private final String file;

    /** @param file the properties file (alphaex.config), for values that came from it */
    CampaignProperties(String file) {
        this.file = file;
    }

    /** Where a property's value came from, as an error message's prefix (without the ": "). */
    String where(String property) {
        if (System.getProperty(property) != null) {
            return "-D" + property;
        }
        String env = property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        if (System.getenv(env) != null) {
            return "environment variable " + env + " (" + property + ")";
        }
        return file + ": " + property;
    }

    void require(boolean ok, String property, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(where(property) + ": " + problem);
        }
    }

    /**
     * The campaign's indices: {@code campaign.jobs}, else {@code runs} of every combination of the sweep; at
     * most {@code maxJobs}, refused by size before any memory is spent on them.
     *
     * @param repeats receives the note about indices listed more than once (each runs once)
     */
    long[] indices(String jobs, Sweep sweep, int runs, long maxJobs, List<String> repeats) {
        if (!jobs.isBlank()) {
            JobList list = JobList.read(jobs, where("campaign.jobs"), maxJobs);
            if (list.repeats() > 0) {
                repeats.add(where("campaign.jobs") + ": " + list.repeats() + " listing(s) repeat an index listed before ("
                        + list.repeated() + "); an index is one configuration and run (seed) and runs once, so each runs once."
                        + " For more runs of a configuration, add index + k x combinations (or raise campaign.runs)");
            }
            return list.indices();
        }
        require(sweep != null, "campaign.sweep", "give a sweep file (or campaign.jobs)");
        int r = runs;
        long n = sweep.total() > Long.MAX_VALUE / r ? Long.MAX_VALUE : sweep.total() * r;
        JobList.requireAtMost(n, maxJobs, where("campaign.runs"), String.format("%,d combinations of %s x %d runs", sweep.total(),
                sweep.source(), r));
        long[] indices = new long[(int) n];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        return indices;
    }

    /** {@code campaign.args}: words, or a JSON list (numbers keep their written text). */
    List<String> args(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return List.of();
        }
        if (t.startsWith("[")) {
            JsonNode list;
            try {
                list = Literals.parse(t);
            } catch (IOException e) {
                throw new IllegalArgumentException(where("campaign.args") + ": not a JSON list: " + e.getMessage());
            }
            List<String> out = new ArrayList<>();
            for (JsonNode n : list) {
                require(n.isValueNode() && !n.isNull(), "campaign.args", "every argument must be a string or number, got " + n);
                out.add(n.asText());
            }
            return out;
        }
        return List.of(t.split("\\s+"));
    }

    /** {@code campaign.exports}: a JSON object of variables; numbers keep their written text (0.0001 reaches the job as 0.0001). */
    Map<String, String> exports(String text) {
        if (text.isBlank()) {
            return Map.of();
        }
        String property = "campaign.exports";
        JsonNode n;
        try {
            n = Literals.parse(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(where(property) + ": not a JSON object: " + e.getMessage());
        }
        require(n != null && n.isObject(), property, "must be a JSON object like {\"OMP_NUM_THREADS\": \"1\"}");
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            require(k.matches("[A-Za-z_][A-Za-z0-9_]*"), property, "'" + k + "' is not a variable name");
            require(!k.startsWith("ALPHAEX_") && !k.startsWith("SLURM_"), property, k + " is set by AlphaEx or Slurm");
            require(!e.getValue().isNull(), property, k + " is null; give a string (\"\" for an empty value) or leave " + k + " out");
            require(e.getValue().isValueNode(), property, k + " must be a string or number");
            out.put(k, e.getValue().asText());
        }
        return out;
    }
}
