package dev.alphaex.slurm;

import dev.alphaex.cluster.CommandResult;
import dev.alphaex.ssh.Shell;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads the login user's submit and running limits on one cluster from accounting, in one command with two
 * {@code sacctmgr} calls: the user's associations on that cluster (with the user's default account) and every
 * QOS's per-user limits. Pure: builds the command and reads its answer.
 *
 * <p>Which limit applies, as slurmctld decides it (Slurm's resource limits: "the point in this list where the
 * limit is first defined will be used", QOS before association):
 * <ol>
 *   <li>the association: the campaign's {@code account} (else the user's default account), for its
 *       {@code partition} when it has an association of its own (else the one without a partition);
 *       an account's MaxSubmitJobs is copied into its users' associations, so the user's row has it;</li>
 *   <li>the job's QOS: the campaign's {@code qos}, else the association's default QOS, else its only QOS,
 *       else {@code normal} (slurmctld's own order);</li>
 *   <li>the QOS's MaxSubmitJobsPerUser / MaxJobsPerUser when set, else the association's MaxSubmitJobs /
 *       MaxJobs, else no limit.</li>
 * </ol>
 * Not read: group limits (GrpSubmit of an account or QOS, shared with other users), per-account QOS limits,
 * partition QOS. Accounting absent ("You are not running a supported accounting_storage plugin") or not
 * answering (slurmdbd down: "Connection refused") gives an unknown limit, never "no limit".
 * A user with no association on the cluster (the lab: AccountingStorageEnforce=none) has no limit.
 */
public final class SubmitLimitQuery {
    static final String ASSOC_FORMAT = "User,DefaultAccount,Cluster,Account,Partition,MaxSubmit,MaxJobs,QOS,DefaultQOS";
    static final String QOS_FORMAT = "Name,MaxSubmitPU,MaxJobsPU";

    private SubmitLimitQuery() {
    }

    /** The command for the login user on {@code cluster} (Slurm's ClusterName, as scontrol show config prints it). */
    public static String command(String cluster) {
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException("the cluster's name (ClusterName) is needed to read its limits");
        }
        return commandFor(Shell.quote(cluster.strip()), "");
    }

    /** The two sacctmgr calls with their markers; {@code clusterWord} is a shell word, {@code redirect} e.g. " 2>&1". */
    static String commandFor(String clusterWord, String redirect) {
        return "sacctmgr -n -P show user \"$USER\" withassoc where cluster=" + clusterWord
            + " format=" + ASSOC_FORMAT + redirect + "; echo \"" + SlurmProtocol.MARK + "assoc:$?\"; "
            + "sacctmgr -n -P show qos format=" + QOS_FORMAT + redirect + "; echo \"" + SlurmProtocol.MARK + "qos:$?\"";
    }

    /**
     * Reads the answer of {@link #command}.
     *
     * @param account   the campaign's {@code --account}, or null/blank for the user's default account
     * @param qos       the campaign's {@code --qos}, or null/blank
     * @param partition the campaign's {@code --partition}, or null/blank
     */
    public static SubmitLimit parse(String cluster, String account, String qos, String partition, CommandResult result) {
        List<PollAnswer.Section> sections = PollAnswer.sections(result);
        if (sections.isEmpty() || !sections.get(0).name().equals("assoc")) {
            return SubmitLimit.unknown("sacctmgr gave no answer (exit " + result.exitCode() + "): "
                + SlurmProtocol.firstLines(result.stderr()));
        }
        return parse(cluster, account, qos, partition, sections.get(0), sections.size() > 1 ? sections.get(1) : null,
            result.stderr());
    }

    /** The "assoc" and "qos" sections of an answer (qos null when missing); stderr for the reason of a failure. */
    static SubmitLimit parse(String cluster, String account, String qos, String partition, PollAnswer.Section assoc,
                             PollAnswer.Section qosSection, String stderr) {
        if (assoc.exitCode() != 0) {
            return SubmitLimit.unknown("sacctmgr failed (exit " + assoc.exitCode() + "): "
                + SlurmProtocol.firstLines(firstLine(stderr, assoc.lines())));
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : assoc.lines()) {
            String[] f = line.split("\\|", -1);
            if (f.length >= 9 && f[2].strip().equalsIgnoreCase(cluster.strip())) {
                rows.add(f);
            }
        }
        if (rows.isEmpty()) {
            return new SubmitLimit(true, OptionalLong.empty(), OptionalLong.empty(), "",
                "no association for this user on " + cluster + " (accounting does not limit this user there)");
        }
        String user = rows.get(0)[0].strip();
        String acct = blank(account) ? rows.get(0)[1].strip() : account.strip();
        List<String[]> mine = rows.stream().filter(f -> f[3].strip().equalsIgnoreCase(acct)).toList();
        if (mine.isEmpty()) {
            return SubmitLimit.unknown("user " + user + " has no association with account " + acct + " on " + cluster
                + " (sbatch --account=" + acct + " may be refused)");
        }
        String[] row = mine.stream().filter(f -> !blank(partition) && f[4].strip().equalsIgnoreCase(partition.strip()))
            .findFirst().orElse(mine.stream().filter(f -> f[4].isBlank()).findFirst().orElse(mine.get(0)));
        String qosName = jobQos(qos, row[7], row[8]);
        String where = "association " + user + "/" + acct + (row[4].isBlank() ? "" : "/" + row[4].strip()) + " on "
            + cluster + ", QOS " + qosName;
        List<String> notes = new ArrayList<>();
        OptionalLong assocSubmit = number(row[5], "MaxSubmitJobs", notes);
        OptionalLong assocJobs = number(row[6], "MaxJobs", notes);
        OptionalLong qosSubmit = OptionalLong.empty();
        OptionalLong qosJobs = OptionalLong.empty();
        if (qosSection == null || qosSection.exitCode() != 0) {
            notes.add("QOS limits not read (" + (qosSection == null ? "no answer" : "exit " + qosSection.exitCode()) + ")");
        } else {
            String[] q = qosSection.lines().stream().map(l -> l.split("\\|", -1))
                .filter(f -> f.length >= 3 && f[0].strip().equalsIgnoreCase(qosName)).findFirst().orElse(null);
            if (q == null) {
                notes.add("QOS " + qosName + " not found");
            } else {
                qosSubmit = number(q[1], "MaxSubmitJobsPerUser", notes);
                qosJobs = number(q[2], "MaxJobsPerUser", notes);
            }
        }
        OptionalLong submit = qosSubmit.isPresent() ? qosSubmit : assocSubmit;
        OptionalLong running = qosJobs.isPresent() ? qosJobs : assocJobs;
        String source = where + (qosSubmit.isPresent() ? ": MaxSubmitJobsPerUser of the QOS" : assocSubmit.isPresent()
            ? ": MaxSubmitJobs of the association" : "");
        return new SubmitLimit(true, submit, running, source, String.join("; ", notes));
    }

    /** slurmctld's choice of a job's QOS when the job names none. */
    private static String jobQos(String asked, String list, String defaultQos) {
        if (!blank(asked)) {
            return asked.strip();
        }
        if (!blank(defaultQos)) {
            return defaultQos.strip();
        }
        String[] all = list.strip().split(",");
        return all.length == 1 && !all[0].isBlank() ? all[0].strip() : "normal";
    }

    private static OptionalLong number(String text, String what, List<String> notes) {
        String t = text.strip();
        if (t.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long v = Long.parseLong(t);
            return v < 0 ? OptionalLong.empty() : OptionalLong.of(v); // -1: cleared
        } catch (NumberFormatException e) {
            notes.add(what + " '" + t + "' is not a number");
            return OptionalLong.empty();
        }
    }

    /** stderr's distinct lines (two sacctmgr calls say the same), else the section's lines. */
    private static String firstLine(String stderr, List<String> lines) {
        List<String> distinct = (stderr == null ? "" : stderr).lines().map(String::strip).filter(l -> !l.isEmpty())
            .distinct().toList();
        return String.join(" ", distinct.isEmpty() ? lines : distinct);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
