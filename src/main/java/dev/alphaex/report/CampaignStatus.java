package dev.alphaex.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The campaign's progress as the campaign engine writes it to {@code status.json} after every
 * poll: {@code {"campaign", "updated", "total", "pending", "submitted", "running", "completed",
 * "failed", "clusters": [{"name", "kind", "state", "capacity", "running", "pending", "completed",
 * "failed"}]}}. Read leniently: a missing field shows as a dash.
 */
final class CampaignStatus {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String[] TOTALS = {"total", "pending", "submitted", "running", "completed", "failed"};
    static final String[] CLUSTER = {"name", "kind", "state", "capacity", "running", "pending", "completed", "failed"};

    final JsonNode root;
    final String problem;

    private CampaignStatus(JsonNode root, String problem) {
        this.root = root;
        this.problem = problem;
    }

    static CampaignStatus read(Path file) {
        if (file == null) {
            return new CampaignStatus(null, "no status file is configured");
        }
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            if (n == null || !n.isObject()) {
                return new CampaignStatus(null, file + " is not a JSON object");
            }
            return new CampaignStatus(n, null);
        } catch (NoSuchFileException e) {
            return new CampaignStatus(null, "no campaign status yet (" + file + " does not exist): the campaign engine "
                    + "writes it after every poll");
        } catch (IOException e) {
            return new CampaignStatus(null, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Whether the campaign engine says the campaign has finished (every job completed or failed). */
    boolean finished() {
        return root != null && root.path("finished").asBoolean(false);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? "\u2013" : v.asText();
    }
}
