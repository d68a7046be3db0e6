package dev.alphaex.slurm;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.TaskState;
import dev.alphaex.ssh.Shell;
import java.util.List;
import java.util.Map;

/**
 * The facts part of a Slurm cluster's first exchange, in front of its first poll (one round trip, four scheduler
 * commands with the poll's squeue): {@code scontrol show config} (MaxArraySize, ClusterName), the account's
 * submit limit ({@link SubmitLimitQuery}: two {@code sacctmgr} calls, for the cluster named by that config), and a
 * {@code squeue} of all the user's jobs there with their names, which serves as the poll's own squeue (the
 * campaign's lines, by its tag) and counts the user's other queued and running jobs, which take their share of the
 * submit limit. Pure.
 */
final class SlurmFacts {
    /** The first poll's squeue fields: the poll's, and the job's name last (it may hold '|'). */
    static final String SQUEUE_ALL_FORMAT = SlurmProtocol.SQUEUE_FORMAT + "|,Name:";

    private SlurmFacts() {
    }

    /** The facts sections (config, assoc, qos) and the squeue of all the user's jobs (section squeue). */
    static String command() {
        return "c=$(scontrol show config); r=$?; printf '%s\\n' \"$c\"; echo \"" + SlurmProtocol.MARK + "config:$r\"; "
            + "cl=$(printf '%s\\n' \"$c\" | sed -n 's/^ClusterName *= *//p'); "
            + SubmitLimitQuery.commandFor("\"$cl\"", " 2>&1") + "; "
            + "squeue -h -r -t all -u \"$USER\" -O " + Shell.quote(SQUEUE_ALL_FORMAT) + "; echo \"" + SlurmProtocol.MARK
            + "squeue:$?\"";
    }

    /**
     * Reads the facts sections, and splits the squeue of all the user's jobs: the campaign's lines (named {@code tag})
     * go into {@code table}, the others are counted (queued or running ones) against the submit limit.
     *
     * @param sections config, assoc, qos, squeue (removed from the list)
     */
    static ClusterInfo read(List<PollAnswer.Section> sections, String tag, String account, String qos, String partition,
                            String stderr, TaskTable table) throws ClusterException {
        PollAnswer.Section config = sections.remove(0);
        PollAnswer.Section assoc = sections.remove(0);
        PollAnswer.Section qosSection = sections.remove(0);
        PollAnswer.Section queue = sections.remove(0);
        ClusterInfo slurm = SlurmProtocol.parseConfig(new CommandResult(config.exitCode(), String.join("\n", config.lines()), stderr));
        if (queue.exitCode() != 0) {
            throw new ClusterException(Kind.UNREACHABLE, "squeue (the controller) did not answer (exit " + queue.exitCode()
                + "): " + SlurmProtocol.firstLines(stderr));
        }
        int others = 0;
        for (String line : queue.lines()) {
            String[] f = line.split("\\|", 7);
            try {
                if (f.length < 7) {
                    throw new IllegalArgumentException("expected 7 fields separated by |");
                }
                if (f[6].strip().equals(tag)) {
                    SlurmLines.squeue(String.join("|", java.util.Arrays.copyOf(f, 6)), table);
                } else if (TaskState.parse(f[3]).isActive()) {
                    others++;
                }
            } catch (IllegalArgumentException e) {
                throw new ClusterException(Kind.UNREACHABLE, "cannot read squeue line '" + line + "': " + e.getMessage(), e);
            }
        }
        Map<String, String> cfg = SlurmConfig.parse(String.join("\n", config.lines()));
        String cluster = cfg.getOrDefault("ClusterName", "");
        SubmitLimit limit = cluster.isEmpty() ? SubmitLimit.unknown("scontrol show config named no ClusterName")
            : SubmitLimitQuery.parse(cluster, account, qos, partition, assoc, qosSection, "");
        Integer room = limit.known() && limit.maxSubmit().isPresent()
            ? (int) Math.min(Integer.MAX_VALUE, Math.max(0, limit.maxSubmit().getAsLong() - others)) : null;
        String text = limit.describe() + "; " + others + " other queued or running job" + (others == 1 ? "" : "s")
            + " of yours there";
        return new ClusterInfo(slurm.maxArrayIndex(), slurm.description(), room, text, limit.known());
    }
}
