package dev.alphaex.campaign;

import dev.alphaex.cluster.ArrayRanges;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the campaign's failures read: the failed indices grouped by outcome as ranges, each group with the
 * reason of its first index, and where a Slurm task's output is.
 */
final class FailureReport {
    private FailureReport() {
    }

    /** The failed entries as {@code FAILED exit 3: 0-1,3-4 (index 0: stderr: ...) / TIMEOUT: 7}, or "" when none failed. */
    static String summary(Collection<Ledger.Entry> entries) {
        Map<String, List<Ledger.Entry>> groups = new TreeMap<>();
        for (Ledger.Entry en : entries) {
            if (en.phase == Ledger.Phase.FAILED) {
                groups.computeIfAbsent(en.outcome + (en.exitCode == null ? "" : " exit " + en.exitCode), k -> new ArrayList<>()).add(en);
            }
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<Ledger.Entry>> g : groups.entrySet()) {
            List<Ledger.Entry> failed = g.getValue();
            failed.sort((a, b) -> Long.compare(a.index, b.index));
            long[] indices = failed.stream().mapToLong(en -> en.index).toArray();
            Ledger.Entry first = failed.get(0);
            parts.add(g.getKey() + ": " + ArrayRanges.compress(indices)
                    + (first.reason.isEmpty() ? "" : " (index " + first.index + ": " + first.reason + ")"));
        }
        return String.join(" / ", parts);
    }

    /**
     * Where a Slurm array task's stdout and stderr are unless the job script's {@code #SBATCH --output/--error}
     * say otherwise: Slurm's default file in the folder sbatch ran in.
     */
    static String slurmOutput(String cluster, String workDir, String jobId, long taskId) {
        return "its output: slurm-" + jobId + "_" + taskId + ".out in " + workDir + " on " + cluster
                + " (unless the script's #SBATCH --output/--error name other files)";
    }
}
