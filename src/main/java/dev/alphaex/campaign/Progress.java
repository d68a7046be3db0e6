package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.files.AtomicFile;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * How far the campaign is, for people and for the report page: one progress line per poll and cluster (the
 * rate over the last minute of endings and an ETA), and {@code <campaign.dir>/status.json}, written atomically.
 */
final class Progress {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String campaign;
    private final Path dir;
    private final Clock clock;
    private final Instant startedAt;
    private final Logger log;
    /** When indices ended (completed, failed, or went back to pending), over the last minute. */
    private final Deque<Long> endings = new ArrayDeque<>();
    /** Per cluster, its last progress line's counts (while the campaign is stalled, an unchanged line is left out). */
    private final Map<String, String> lastLine = new HashMap<>();

    Progress(String campaign, Path dir, Clock clock, Logger log) {
        this.campaign = campaign;
        this.dir = dir;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.log = log;
    }

    /** An index ended (counts towards the rate). */
    void ended() {
        endings.add(clock.millis());
    }

    /** The progress line of {@code cluster} after a poll that planned {@code planned} tasks. */
    void line(String cluster, LedgerState ledger, int planned, boolean stalled) {
        Map<Phase, Integer> c = ledger.counts();
        Map<Phase, Integer> mine = ledger.counts(cluster);
        double rate = rate();
        int done = c.get(Phase.COMPLETED) + c.get(Phase.FAILED);
        int left = ledger.size() - done;
        String eta = left == 0 ? "done" : rate > 0 ? "ETA " + human(Duration.ofSeconds((long) Math.ceil(left / rate))) : "ETA unknown";
        int queued = mine.get(Phase.QUEUED) + mine.get(Phase.SUBMITTING);
        String counts = mine.get(Phase.RUNNING) + "/" + queued + "/" + planned + "/" + done;
        if (!counts.equals(lastLine.put(cluster, counts)) || !stalled) {
            log.info("[{}] running {}, queued {}{} | {}: {}/{} completed, {} failed, {} pending | {}/s, {}", cluster,
                    mine.get(Phase.RUNNING), queued, planned > 0 ? ", submitting " + planned : "", campaign, c.get(Phase.COMPLETED),
                    ledger.size(), c.get(Phase.FAILED), c.get(Phase.PENDING) + c.get(Phase.RESERVED), String.format("%.1f", rate), eta);
        }
    }

    /** Indices ended per second over the last minute (or since this controller started, when that is shorter). */
    double rate() {
        long now = clock.millis();
        while (!endings.isEmpty() && now - endings.peekFirst() > 60_000) {
            endings.pollFirst();
        }
        double windowSeconds = Math.max(1, Math.min(60, (now - startedAt.toEpochMilli()) / 1000.0));
        return endings.size() / windowSeconds;
    }

    /** "13 s", "4 min", "2 h 5 min". */
    static String human(Duration d) {
        long s = d.getSeconds();
        return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /** Writes {@code <campaign.dir>/status.json} atomically (read by the report page). */
    void writeStatus(LedgerState ledger, Collection<ClusterRuntime> clusters) {
        Map<Phase, Integer> c = ledger.counts();
        ObjectNode n = JSON.createObjectNode().put("campaign", campaign).put("updated", clock.instant().toString())
                .put("total", ledger.size())
                .put("pending", c.get(Phase.PENDING) + c.get(Phase.RESERVED))
                .put("submitted", c.get(Phase.SUBMITTING) + c.get(Phase.QUEUED))
                .put("running", c.get(Phase.RUNNING))
                .put("completed", c.get(Phase.COMPLETED))
                .put("failed", c.get(Phase.FAILED))
                .put("finished", ledger.finished())
                .put("cancelled", ledger.cancelled() != null)
                .put("rate", Math.round(rate() * 1000) / 1000.0);
        ArrayNode arr = n.putArray("clusters");
        for (ClusterRuntime rt : clusters) {
            Map<Phase, Integer> m = ledger.counts(rt.name());
            arr.addObject().put("name", rt.name()).put("kind", rt.def.kind()).put("state", rt.shown().word())
                    .put("capacity", rt.def.capacity())
                    .put("running", m.get(Phase.RUNNING))
                    .put("pending", m.get(Phase.QUEUED) + m.get(Phase.SUBMITTING) + m.get(Phase.RESERVED))
                    .put("completed", m.get(Phase.COMPLETED))
                    .put("failed", m.get(Phase.FAILED))
                    .put("error", rt.blocked != null ? rt.blocked : rt.lastError)
                    .put("remedy", rt.remedy)
                    .put("code", rt.code);
        }
        Path status = dir.resolve("status.json");
        try {
            AtomicFile.write(status, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        } catch (IOException e) {
            log.warn("cannot write {}: {}", status, e.toString());
        }
    }
}
