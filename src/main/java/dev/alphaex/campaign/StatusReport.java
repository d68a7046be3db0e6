package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.campaign.LedgerState.Entry;
import dev.alphaex.campaign.LedgerState.Submission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code alphaex status}: where a campaign stands, from its ledger (read, never written or locked: it works while a
 * controller runs and after) and from what the running controller last wrote to status.json (each cluster's state
 * and the recent rate). One JSON document ({@link #json()}) whose shape the README documents, and its text form.
 */
public final class StatusReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode json;

    StatusReport(OperatorView view, LedgerState s, CampaignConfig config, Map<String, ClusterRuntime> declared) {
        Optional<String> controller = view.controller();
        JsonNode status = readStatus(view.dir().resolve("status.json"));
        ObjectNode n = JSON.createObjectNode();
        n.put("campaign", view.name()).put("dir", view.dir().toString()).put("ledger", view.ledgerFile().toString())
                .put("tag", s.tag()).put("created", s.created() == null ? null : s.created().toString());
        ObjectNode c = n.putObject("controller").put("running", controller.isPresent());
        c.put("holder", controller.orElse(null));
        LedgerEvent.Cancel cancel = s.cancelled();
        if (cancel == null) {
            n.putNull("cancelled");
        } else {
            n.putObject("cancelled").put("at", cancel.at()).put("by", cancel.by());
        }
        n.put("finished", s.finished());
        Map<Phase, Integer> counts = s.counts();
        n.put("total", s.size()).put("pending", counts.get(Phase.PENDING) + counts.get(Phase.RESERVED))
                .put("submitting", counts.get(Phase.SUBMITTING)).put("queued", counts.get(Phase.QUEUED))
                .put("running", counts.get(Phase.RUNNING)).put("completed", counts.get(Phase.COMPLETED))
                .put("failed", counts.get(Phase.FAILED));
        rate(n.putObject("rate"), s, status, controller.isPresent());
        ArrayNode clusters = n.putArray("clusters");
        Set<String> names = new LinkedHashSet<>(declared.keySet());
        Map<String, List<String>> codes = new LinkedHashMap<>();
        for (Submission sub : s.submissions()) {
            names.add(sub.cluster);
            if (sub.code != null) {
                List<String> l = codes.computeIfAbsent(sub.cluster, k -> new ArrayList<>());
                l.remove(sub.code);
                l.add(sub.code);
            }
        }
        for (String name : names) {
            Map<Phase, Integer> m = s.counts(name);
            ObjectNode o = clusters.addObject().put("name", name);
            ClusterRuntime rt = declared.get(name);
            o.put("kind", rt == null ? null : rt.def.kind()).put("declared", rt != null);
            JsonNode last = lastState(status, name);
            o.put("state", controller.isPresent() && last != null ? last.path("state").asText() : "unknown");
            o.put("lastState", last == null ? null : last.path("state").asText());
            o.put("lastStateAt", last == null ? null : status.path("updated").asText(null));
            o.put("error", last == null ? "" : last.path("error").asText(""));
            o.put("running", m.get(Phase.RUNNING)).put("queued", m.get(Phase.QUEUED) + m.get(Phase.SUBMITTING))
                    .put("completed", m.get(Phase.COMPLETED)).put("failed", m.get(Phase.FAILED));
            List<String> used = codes.getOrDefault(name, List.of());
            o.put("code", used.isEmpty() ? null : used.get(used.size() - 1));
            ArrayNode all = o.putArray("codes");
            used.forEach(all::add);
            if (s.cancelled() != null) {
                o.put("owesCancel", s.owesCancel(name));
            }
        }
        ArrayNode failed = n.putArray("failedTasks");
        TreeSet<Long> order = new TreeSet<>();
        for (Entry en : s.entries()) {
            if (en.phase == Phase.FAILED) {
                order.add(en.index);
            }
        }
        for (long i : order) {
            Entry en = s.get(i);
            Submission sub = en.seq < 0 ? null : s.submission(en.seq);
            ObjectNode f = failed.addObject().put("index", i).put("outcome", en.outcome);
            if (en.exitCode == null) {
                f.putNull("exit");
            } else {
                f.put("exit", en.exitCode);
            }
            f.put("reason", en.reason).put("attempts", en.attempts).put("cluster", en.cluster)
                    .put("job", sub == null ? null : sub.jobId).put("task", sub == null ? null : en.taskId(sub))
                    .put("code", en.code).put("resources", en.resources.isNone() ? null : en.resources.toString());
            ClusterRuntime rt = en.cluster == null ? null : declared.get(en.cluster);
            f.put("output", rt == null || sub == null || sub.jobId == null ? null
                    : rt.kind.outputOf(rt.def, config.defaults, sub.jobId, en.taskId(sub)));
        }
        this.json = n;
    }

    private static void rate(ObjectNode r, LedgerState s, JsonNode status, boolean live) {
        Instant created = s.created();
        long ended = s.count(Phase.COMPLETED) + s.count(Phase.FAILED);
        Instant until = Instant.now();
        if (!live && status != null && status.hasNonNull("updated")) {
            try {
                until = Instant.parse(status.get("updated").asText());
            } catch (RuntimeException e) {
                // keep now
            }
        }
        double seconds = created == null ? 0 : Math.max(1, Duration.between(created, until).toMillis() / 1000.0);
        r.put("average", seconds == 0 ? 0 : round(ended / seconds));
        if (live && status != null && status.has("rate")) {
            r.put("recent", status.get("rate").asDouble());
        } else {
            r.putNull("recent");
        }
        long left = s.size() - ended;
        double per = live && status != null && status.path("rate").asDouble() > 0 ? status.path("rate").asDouble() : 0;
        r.put("etaSeconds", per > 0 && s.cancelled() == null ? Math.round(left / per) : null);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static JsonNode readStatus(Path file) {
        try {
            return Files.exists(file) ? JSON.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null; // being replaced: the states are unknown this time
        }
    }

    private static JsonNode lastState(JsonNode status, String cluster) {
        if (status != null) {
            for (JsonNode c : status.path("clusters")) {
                if (c.path("name").asText().equals(cluster)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** The report as JSON (README, Operating a campaign: status). */
    public ObjectNode json() {
        return json;
    }

    /** The report for people; at most {@code maxFailed} failed tasks listed (the rest counted). */
    public String text(int maxFailed) {
        ObjectNode n = json;
        StringBuilder sb = new StringBuilder();
        JsonNode c = n.path("controller");
        sb.append("campaign ").append(n.path("campaign").asText()).append(" (tag ").append(n.path("tag").asText()).append(", ledger ")
                .append(n.path("ledger").asText()).append("): ")
                .append(c.path("running").asBoolean() ? "controller running (" + c.path("holder").asText() + ")" : "no controller running")
                .append('\n');
        if (n.hasNonNull("cancelled") && n.get("cancelled").isObject()) {
            sb.append("CANCELLED at ").append(n.path("cancelled").path("at").asText()).append(": nothing is submitted (alphaex resume goes on)\n");
        }
        JsonNode r = n.path("rate");
        sb.append(String.format("%d jobs: %d completed, %d failed, %d running, %d queued, %d pending%s | %s/s on average since it began%s%s%n",
                n.path("total").asInt(), n.path("completed").asInt(), n.path("failed").asInt(), n.path("running").asInt(),
                n.path("queued").asInt() + n.path("submitting").asInt(), n.path("pending").asInt(),
                n.path("finished").asBoolean() ? " (finished)" : "", r.path("average").asText(),
                r.hasNonNull("recent") ? ", " + r.path("recent").asText() + "/s over the last minute" : "",
                r.hasNonNull("etaSeconds") ? ", ETA " + Progress.human(Duration.ofSeconds(r.path("etaSeconds").asLong())) : ""));
        sb.append(String.format("%-16s %-6s %-13s %8s %7s %10s %7s  %s%n", "cluster", "kind", "state", "running", "queued", "completed",
                "failed", "code"));
        for (JsonNode k : n.path("clusters")) {
            String state = k.path("state").asText();
            if (state.equals("unknown") && k.hasNonNull("lastState")) {
                state = "(" + k.path("lastState").asText() + ")";
            }
            sb.append(String.format("%-16s %-6s %-13s %8d %7d %10d %7d  %s%n", k.path("name").asText() + (k.path("declared").asBoolean() ? ""
                    : "*"), k.path("kind").asText("?"), state, k.path("running").asInt(), k.path("queued").asInt(), k.path("completed").asInt(),
                    k.path("failed").asInt(), k.path("code").asText("")));
            if (!k.path("error").asText().isEmpty()) {
                sb.append("    ").append(k.path("error").asText()).append('\n');
            }
        }
        if (!c.path("running").asBoolean()) {
            sb.append("(no controller: the states in brackets are the last ones a controller saw, at ")
                    .append(n.path("clusters").size() > 0 ? n.path("clusters").get(0).path("lastStateAt").asText("?") : "?").append(")\n");
        }
        JsonNode failed = n.path("failedTasks");
        if (failed.size() > 0) {
            sb.append("failed tasks (").append(failed.size()).append("):\n");
            int shown = 0;
            for (JsonNode f : failed) {
                if (shown++ == maxFailed) {
                    sb.append("  ... and ").append(failed.size() - maxFailed).append(" more (--all lists them, --json for scripts)\n");
                    break;
                }
                sb.append("  index ").append(f.path("index").asLong()).append(": ").append(f.path("outcome").asText())
                        .append(f.hasNonNull("exit") ? " exit " + f.path("exit").asInt() : "").append(" after ")
                        .append(f.path("attempts").asInt()).append(" attempt(s) on ").append(f.path("cluster").asText())
                        .append(f.hasNonNull("job") ? " (job " + f.path("job").asText() + ", task " + f.path("task").asLong() + ")" : "")
                        .append(f.path("reason").asText().isEmpty() ? "" : ": " + f.path("reason").asText())
                        .append(f.hasNonNull("output") ? "; " + f.path("output").asText() : "").append('\n');
            }
        }
        return sb.toString();
    }
}
