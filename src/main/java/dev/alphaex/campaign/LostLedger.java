package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A campaign's ledger that is missing or holds no event, in a campaign folder that shows the campaign has
 * run (status.json, logs in the inbox, jobs of its local clusters, a results store): starting anew there
 * would give the campaign a new tag, run every job again and make every new log "a second log". So the
 * controller refuses, saying what it found and what to do; it changes nothing.
 */
final class LostLedger {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LostLedger() {
    }

    /**
     * @throws IllegalStateException when the ledger is lost (missing, empty, or only a torn first line) but
     *         the campaign has run in {@code dir}
     */
    static void refuseIfLost(Path ledger, Path dir, Path inbox, String campaign) {
        String state = state(ledger);
        if (state == null) {
            return;
        }
        List<String> found = evidence(dir, inbox);
        if (found.isEmpty()) {
            return;
        }
        throw new IllegalStateException(ledger + " is " + state + ", but campaign '" + campaign + "' has run before: "
                + String.join("; ", found) + ". Starting anew would give the campaign a new tag and run every job again (and"
                + " every new log would be refused as a second log of its index), so this controller does not start and"
                + " changes nothing. To continue the campaign, put its ledger back (from a backup or copy) as " + ledger
                + ". To start over, move " + dir + (inbox.startsWith(dir) ? "" : " and " + inbox) + " away (or give another"
                + " campaign.dir).");
    }

    /** Why the ledger cannot be replayed as the campaign's history, or null when it can. */
    private static String state(Path ledger) {
        if (!Files.exists(ledger)) {
            return "missing";
        }
        try (InputStream in = Files.newInputStream(ledger)) {
            byte[] buf = new byte[8192];
            int n;
            boolean any = false;
            while ((n = in.read(buf)) > 0) {
                any = true;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        return null; // at least one complete event: the replay judges the rest
                    }
                }
            }
            return any ? "damaged (no complete line)" : "empty";
        } catch (IOException e) {
            return null; // the replay reports it
        }
    }

    private static List<String> evidence(Path dir, Path inbox) {
        List<String> found = new ArrayList<>();
        Path status = dir.resolve("status.json");
        if (Files.isRegularFile(status)) {
            try {
                JsonNode s = JSON.readTree(status.toFile());
                found.add(status + " (written " + s.path("updated").asText("?") + ": " + s.path("total").asInt() + " jobs, "
                        + s.path("completed").asInt() + " completed, " + s.path("failed").asInt() + " failed)");
            } catch (IOException e) {
                found.add(status.toString());
            }
        }
        for (Path folder : List.of(inbox, inbox.resolve("done"), inbox.resolve("error"))) {
            long logs = count(folder, "*.csv");
            if (logs > 0) {
                found.add(logs + " log(s) in " + folder);
            }
        }
        Path local = dir.resolve("local");
        if (Files.isDirectory(local)) {
            try (DirectoryStream<Path> clusters = Files.newDirectoryStream(local, Files::isDirectory)) {
                for (Path cluster : clusters) {
                    long jobs = count(cluster.resolve("jobs"), "[0-9]*");
                    if (jobs > 0) {
                        found.add(jobs + " job(s) of local cluster '" + cluster.getFileName() + "' in " + cluster.resolve("jobs"));
                    }
                }
            } catch (IOException e) {
                found.add(local.toString());
            }
        }
        Path results = dir.resolve("results");
        if (count(results, "*") > 0) {
            found.add("a results store in " + results);
        }
        return found;
    }

    private static long count(Path folder, String glob) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        long n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, glob)) {
            for (Path ignored : ds) {
                n++;
            }
        } catch (IOException e) {
            return 0;
        }
        return n;
    }
}
