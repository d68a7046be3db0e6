package dev.alphaex.campaign;

import dev.alphaex.files.Sha256;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alphaex.sweep.Literals;
import dev.alphaex.sweep.Sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What a campaign's sweep says, as the ledger records it: the sweep's content (its tree, floats with their
 * written text, so formatting does not count) and its SHA-256. Indices map to configurations through the
 * sweep, so a sweep edited between two starts would relabel the runs already made (epsilon 0.1 -> 0.2: the
 * charts would say 0.2 for runs made with 0.1). A changed sweep is refused at start with the keys and values
 * that changed; the sweep the campaign began with is written next to the ledger so it can be put back.
 */
final class SweepFingerprint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CHANGES = 20;
    static final String RECORDED_FILE = "sweep-recorded.json";

    private final String file;
    private final String content;
    private final String sha256;
    private final long total;

    private SweepFingerprint(String file, String content, long total) {
        this.file = file;
        this.content = content;
        this.sha256 = Sha256.of(content);
        this.total = total;
    }

    /** The sweep's fingerprint, or null without a sweep. */
    static SweepFingerprint of(Sweep sweep) {
        if (sweep == null) {
            return null;
        }
        try {
            return new SweepFingerprint(sweep.source(), JSON.writeValueAsString(sweep.content()), sweep.total());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ledger event that records the sweep ({@code content} as JSON text: floats keep their written text). */
    LedgerEvent.SweepRecord event() {
        return new LedgerEvent.SweepRecord(file, sha256, total, content);
    }

    /**
     * Checks the sweep of this start against the one the ledger recorded (null: none recorded, e.g. a ledger of
     * an earlier version, which then records this one).
     *
     * @throws IllegalStateException when they differ; the message lists the changes
     */
    static void check(LedgerEvent.SweepRecord recorded, SweepFingerprint now, String campaign, Path ledger) {
        if (recorded == null || now != null && now.sha256.equals(recorded.sha256())) {
            return;
        }
        String was = recorded.file();
        Path dir = ledger.toAbsolutePath().getParent();
        Path kept = dir.resolve(RECORDED_FILE);
        JsonNode before = parse(recorded.content(), ledger);
        try {
            Files.write(kept, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(before));
        } catch (IOException e) {
            kept = null;
        }
        String putBack = kept == null ? "" : " (the recorded one: " + kept + ")";
        if (now == null) {
            throw new IllegalStateException("campaign.sweep is empty, but campaign '" + campaign + "' began with the sweep " + was
                    + " (recorded in " + ledger + "). Its indices map to configurations through that sweep: give it again as"
                    + " campaign.sweep" + putBack + ", or start a new campaign (another campaign.name or campaign.dir).");
        }
        List<String> changes = new ArrayList<>();
        diff(before, parse(now.content, ledger), "", changes);
        if (changes.isEmpty()) {
            changes.add("the same values in another order");
        }
        String listed = changes.size() > MAX_CHANGES ? String.join("; ", changes.subList(0, MAX_CHANGES)) + "; and "
                + (changes.size() - MAX_CHANGES) + " more" : String.join("; ", changes);
        throw new IllegalStateException(now.file + " is not the sweep campaign '" + campaign + "' began with (" + was
                + ", recorded in " + ledger + "): " + listed + ". Indices map to configurations through the sweep, so the runs"
                + " already made would be relabelled. Put the sweep back" + putBack + ", or run the changed sweep as a new"
                + " campaign (another campaign.name or campaign.dir).");
    }

    private static JsonNode parse(String text, Path ledger) {
        try {
            return Literals.parse(text);
        } catch (IOException e) {
            throw new IllegalStateException(ledger + ": the recorded sweep cannot be read: " + e.getMessage(), e);
        }
    }

    /** The differences between two sweep trees, each as "pointer: before -> after". */
    static void diff(JsonNode a, JsonNode b, String pointer, List<String> out) {
        String at = pointer.isEmpty() ? "at the top level" : pointer;
        if (a.isObject() && b.isObject()) {
            List<String> common = new ArrayList<>();
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!b.has(k)) {
                    out.add(pointer + "/" + k + ": removed (was " + a.get(k) + ")");
                } else {
                    common.add(k);
                }
            }
            List<String> commonInB = new ArrayList<>();
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!a.has(k)) {
                    out.add(pointer + "/" + k + ": added (" + b.get(k) + ")");
                } else {
                    commonInB.add(k);
                }
            }
            if (!common.equals(commonInB)) {
                out.add(at + ": the order of the keys changed: " + String.join(", ", common) + " -> " + String.join(", ", commonInB));
            }
            for (String k : common) {
                diff(a.get(k), b.get(k), pointer + "/" + k.replace("~", "~0").replace("/", "~1"), out);
            }
        } else if (a.isArray() && b.isArray()) {
            int n = Math.min(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                diff(a.get(i), b.get(i), pointer + "/" + i, out);
            }
            if (a.size() != b.size()) {
                List<String> extra = new ArrayList<>();
                JsonNode longer = a.size() > b.size() ? a : b;
                for (int i = n; i < longer.size(); i++) {
                    extra.add(longer.get(i).toString());
                }
                out.add(at + ": " + a.size() + " -> " + b.size() + " values (" + (a.size() > b.size() ? "removed " : "added ")
                        + String.join(", ", extra) + ")");
            }
        } else if (!a.toString().equals(b.toString())) {
            out.add(at + ": " + a + " -> " + b);
        }
    }
}
