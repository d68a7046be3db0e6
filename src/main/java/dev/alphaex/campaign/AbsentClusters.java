package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Clusters that hold tasks of the campaign but are not declared (removed from the routes file, or the file
 * saved cut off, or left out at a restart). Nothing polls them, so their tasks are never seen to end and the
 * campaign cannot finish: that used to be a silent wait with a progress line every poll. Each such cluster is
 * named once, with its tasks and what to do (put it back: its tasks are adopted, not run again), and once the
 * campaign has nothing else to do, that it is waiting only for them; while it waits, the progress lines that
 * would repeat themselves are left out ({@link #stalled}).
 */
final class AbsentClusters {
    /** An edit replaces a route by removing and adding it: an absence shorter than this is not reported. */
    private static final long GRACE_MILLIS = 3000;

    private final Map<String, Long> absentSince = new HashMap<>();
    private final Map<String, Boolean> reported = new HashMap<>();
    private boolean stalled;
    private boolean stallReported;

    /**
     * Looks at the ledger's clusters against the declared ones; returns the messages to log (WARN), each once
     * per absence.
     *
     * @param declared the clusters whose routes run
     * @param routesFile the campaign routes file, named in the messages
     */
    List<String> check(String campaign, Set<String> declared, LedgerState ledger, long now, String routesFile) {
        List<String> messages = new ArrayList<>();
        Map<String, LedgerState.Held> held = new TreeMap<>(ledger.held());
        held.keySet().removeAll(declared);
        absentSince.keySet().retainAll(held.keySet());
        reported.keySet().retainAll(held.keySet());
        for (Map.Entry<String, LedgerState.Held> e : held.entrySet()) {
            String cluster = e.getKey();
            long since = absentSince.computeIfAbsent(cluster, c -> now);
            if (now - since >= GRACE_MILLIS && reported.putIfAbsent(cluster, true) == null) {
                messages.add(describe(cluster, e.getValue(), routesFile));
            }
        }
        int pending = ledger.count(Phase.PENDING) + ledger.count(Phase.RESERVED);
        boolean busyElsewhere = false;
        for (String c : declared) {
            busyElsewhere |= ledger.occupying(c) > 0 || !ledger.uncollected(c).isEmpty();
        }
        boolean waitingForAbsent = !held.isEmpty() && reported.size() == held.size() && pending == 0 && !busyElsewhere;
        boolean noCluster = declared.isEmpty() && pending > 0;
        boolean nowStalled = !ledger.finished() && (waitingForAbsent || noCluster);
        if (nowStalled && !stallReported && (waitingForAbsent || absentSince.isEmpty())) {
            stallReported = true;
            messages.add(waitingForAbsent
                    ? "campaign " + campaign + " is waiting only for the task(s) on cluster(s) " + String.join(", ", held.keySet())
                            + ", which " + routesFile + " no longer declares (see above): every other job has ended. It finishes"
                            + " once they are back; stopping it (Ctrl-C) loses nothing, the ledger keeps them."
                    : "campaign " + campaign + " has " + pending + " job(s) to run but " + routesFile + " declares no cluster:"
                            + " add one (README, Clusters); with routes reload on, a running campaign picks it up within a second.");
        }
        if (!nowStalled) {
            stallReported = false;
        }
        stalled = nowStalled;
        return messages;
    }

    /** True while the campaign can do nothing but wait (for absent clusters, or for a cluster to be declared). */
    boolean stalled() {
        return stalled;
    }

    /** The cluster is declared again; returns whether its absence had been reported. */
    boolean back(String cluster) {
        absentSince.remove(cluster);
        return reported.remove(cluster) != null;
    }

    private static String describe(String cluster, LedgerState.Held h, String routesFile) {
        List<String> what = new ArrayList<>();
        if (h.active().length > 0) {
            what.add(h.active().length + " task(s) of the campaign are queued or running there (indices "
                    + ArrayRanges.compress(h.active()) + ")");
        }
        if (h.uncollected().length > 0) {
            what.add(h.uncollected().length + " completed task(s) there have logs not collected yet (indices "
                    + ArrayRanges.compress(h.uncollected()) + ")");
        }
        return "cluster '" + cluster + "' is not declared in " + routesFile + " (removed from it, or left out since the restart), but "
                + String.join(" and ", what) + ": nothing watches them, and the campaign cannot finish without them. Put cluster '"
                + cluster + "' back into " + routesFile + " under the same name (with routes reload on, a running campaign picks it"
                + " up within a second; else start the campaign again): its tasks are then found by the campaign's tag and"
                + " adopted, not run again.";
    }
}
