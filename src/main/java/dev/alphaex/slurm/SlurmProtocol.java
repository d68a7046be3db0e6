package dev.alphaex.slurm;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterProtocol;
import dev.alphaex.cluster.ClusterSnapshot;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.cluster.TakeBackReport;
import dev.alphaex.cluster.ThrottleOutcome;
import dev.alphaex.ssh.Shell;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link ClusterProtocol} of a Slurm cluster reached through a login shell: builds the text of
 * {@code scontrol}, {@code squeue}/{@code sacct} and {@code sbatch} commands and reads their answers.
 * Pure: no network, no clock, stateless and thread-safe.
 *
 * <p>A poll is one command made of sections, each followed by a marker line
 * {@code @@alphaex:<section>:<exit status>}, so that a failed {@code squeue} (slurmctld down: rc 1
 * after ~18 s) is told apart from an empty queue: it raises {@link Kind#UNREACHABLE}, never "0 jobs".
 *
 * <p>sbatch errors map to kinds as follows ({@link #classifySubmitError}):
 * <ul>
 *   <li>BUSY, back off and reconcile before resubmitting (the job may exist): "Socket timed out",
 *       "temporarily unable to accept job", "Resource temporarily unavailable", submit limits
 *       (AssocMaxSubmitJobLimit, QOSMaxSubmitJobPerUserLimit, Assoc/QOS Grp submit limits, MaxSubmit),
 *       "Job violates accounting/QOS policy"; also exit 0 without a readable job id;</li>
 *   <li>UNREACHABLE: "Unable to contact slurm controller" (slurmctld down: nothing was submitted);</li>
 *   <li>REJECTED, for good: everything else, e.g. invalid options, partition, time or array
 *       specification, a missing script or project folder. Not retried blindly; the message carries stderr.</li>
 * </ul>
 */
public final class SlurmProtocol implements ClusterProtocol {
    /** Marker that ends each section of a poll answer. */
    static final String MARK = "@@alphaex:";
    /**
     * Accounting queries start this long before the campaign began: {@code -S} is read in the
     * cluster's clock, which may be off from ours.
     */
    static final Duration SINCE_MARGIN = Duration.ofHours(1);
    /**
     * squeue's fields (--Format: a ':' with no width prints the whole value, '|' ends it): job id, array job id,
     * array task id, state, exit status (the raw wait status, as squeue has it for an ended task: 768 = exit 3,
     * 9 = killed by signal 9), reason. With the exit status an ended task is complete in squeue alone.
     */
    static final String SQUEUE_FORMAT = "JobID:|,ArrayJobID:|,ArrayTaskID:|,State:|,exit_code:|,Reason:";
    static final String SACCT_FORMAT = "JobID,JobIDRaw,JobName,State,ExitCode,Reason";

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern JOB_ID = Pattern.compile("[0-9]+");
    private static final Pattern ARRAY = Pattern.compile("[0-9]+(-[0-9]+(:[0-9]+)?)?(,[0-9]+(-[0-9]+(:[0-9]+)?)?)*(%[0-9]+)?");
    private static final Pattern OPTION = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern PARSABLE = Pattern.compile("([0-9]+)(;\\S*)?");
    private static final List<String> RESERVED = List.of("array", "job-name", "parsable", "export", "wrap");
    private static final DateTimeFormatter SACCT_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
        .withZone(ZoneOffset.UTC);

    private final String account;
    private final String qos;
    private final String partition;

    /** A cluster whose jobs go to the user's default account, QOS and partition. */
    public SlurmProtocol() {
        this(null, null, null);
    }

    /**
     * @param account   the cluster's sbatch {@code --account} (null: the user's default), for its submit limit
     * @param qos       its {@code --qos} (null: the association's default)
     * @param partition its {@code --partition} (null: the default)
     */
    public SlurmProtocol(String account, String qos, String partition) {
        this.account = account;
        this.qos = qos;
        this.partition = partition;
    }

    // ------------------------------------------------------------------ info

    @Override
    public String infoCommand() {
        return "scontrol show config";
    }

    @Override
    public ClusterInfo parseInfo(CommandResult result) throws ClusterException {
        return parseConfig(result);
    }

    /** MaxArraySize and the description from {@code scontrol show config}. */
    static ClusterInfo parseConfig(CommandResult result) throws ClusterException {
        if (result.exitCode() != 0) {
            throw new ClusterException(Kind.UNREACHABLE, "scontrol show config failed (exit " + result.exitCode()
                + "): " + firstLines(result.stderr()));
        }
        Map<String, String> config = SlurmConfig.parse(result.stdout());
        String max = config.get("MaxArraySize");
        if (max == null) {
            throw new ClusterException(Kind.REJECTED, "scontrol show config printed no MaxArraySize: is this Slurm? "
                + firstLines(result.stdout()));
        }
        long maxArraySize;
        try {
            maxArraySize = Long.parseLong(max.trim());
        } catch (NumberFormatException e) {
            throw new ClusterException(Kind.REJECTED, "MaxArraySize is not a number: '" + max + "'");
        }
        if (maxArraySize < 1) {
            throw new ClusterException(Kind.REJECTED, "job arrays are disabled on this cluster (MaxArraySize="
                + maxArraySize + ")");
        }
        String description = "Slurm " + config.getOrDefault("SLURM_VERSION", "?") + ", cluster "
            + config.getOrDefault("ClusterName", "?") + ", MaxArraySize " + maxArraySize;
        return new ClusterInfo(maxArraySize - 1, description);
    }

    // ------------------------------------------------------------------ poll

    /**
     * {@code squeue} (this user's tasks named {@code tag}, one line per array task, explicit format; with
     * {@code -t all}, so a task that just ended shows its final state and exit status at once instead of
     * waiting for accounting, which lags by seconds), then at most one {@code sacct -X -n -P}: with
     * {@code byTag} every job named {@code tag} (which covers the asked jobs), else the asked jobs; each section ends
     * with its marker and exit status. So a poll costs one squeue and at most one sacct, whatever the number of
     * tasks. With {@code facts}, the facts come first ({@link SlurmFacts}) and the squeue lists all the user's jobs
     * (the others count against the submit limit). sacct runs with {@code TZ=UTC} so that {@code -S} (without it
     * sacct looks back only to midnight) means the same instant on any cluster.
     */
    @Override
    public String pollCommand(PollRequest request) {
        String tag = checkTag(request.tag());
        if (request.since() == null) {
            throw new IllegalArgumentException("poll request for " + tag + " has no 'since' time");
        }
        String since = SACCT_TIME.format(request.since().minus(SINCE_MARGIN).truncatedTo(ChronoUnit.SECONDS));
        String sacct = "TZ=UTC sacct -X -n -P -S " + since + " -o " + SACCT_FORMAT;
        StringBuilder cmd = new StringBuilder();
        if (request.facts()) {
            cmd.append(SlurmFacts.command());
        } else {
            cmd.append("squeue -h -r -t all -u \"$USER\" --name=").append(Shell.quote(tag))
                .append(" -O ").append(Shell.quote(SQUEUE_FORMAT)).append("; ").append(marker("squeue"));
        }
        List<String> jobs = request.accountJobs();
        for (String job : jobs) {
            if (job == null || !JOB_ID.matcher(job).matches()) {
                throw new IllegalArgumentException("poll request for " + tag + ": not a Slurm job id: '" + job + "'");
            }
        }
        if (request.byTag()) {
            cmd.append("; ").append(sacct).append(" --name=").append(Shell.quote(tag)).append("; ").append(marker("sacct"));
        } else if (!jobs.isEmpty()) {
            cmd.append("; ").append(sacct).append(" -j ").append(String.join(",", jobs)).append("; ").append(marker("sacct"));
        }
        return cmd.toString();
    }

    private static String marker(String section) {
        return "echo \"" + MARK + section + ":$?\"";
    }

    /**
     * Reads the answer of {@link #pollCommand}. A task both in the queue and in accounting: the final
     * state wins when squeue shows it running (it ended between the two calls), squeue wins when it shows
     * it pending or requeued (Slurm requeued it under the same id; sacct shows the previous run's
     * NODE_FAIL for a few seconds).
     *
     * @throws ClusterException UNREACHABLE when squeue or sacct failed or the answer is cut short
     */
    @Override
    public ClusterSnapshot parsePoll(PollRequest request, CommandResult result) throws ClusterException {
        List<PollAnswer.Section> sections = PollAnswer.sections(result);
        int expected = (request.facts() ? 4 : 1) + (request.byTag() || !request.accountJobs().isEmpty() ? 1 : 0);
        if (sections.size() != expected) {
            throw new ClusterException(Kind.UNREACHABLE, "incomplete poll answer: " + sections.size() + " of "
                + expected + " sections (exit " + result.exitCode() + "): " + firstLines(result.stderr()));
        }
        ClusterInfo info = null;
        TaskTable table = new TaskTable();
        if (request.facts()) {
            info = SlurmFacts.read(sections, request.tag(), account, qos, partition, result.stderr(), table);
        }
        for (PollAnswer.Section section : sections) {
            if (section.exitCode() != 0) {
                String what = section.name().equals("squeue") ? "squeue (the controller)" : "sacct (the accounting)";
                throw new ClusterException(Kind.UNREACHABLE, what + " did not answer (exit " + section.exitCode()
                    + "): " + firstLines(result.stderr()));
            }
            boolean queue = section.name().equals("squeue");
            for (String line : section.lines()) {
                try {
                    if (queue) {
                        SlurmLines.squeue(line, table);
                    } else {
                        SlurmLines.sacct(line, table);
                    }
                } catch (IllegalArgumentException e) {
                    throw new ClusterException(Kind.UNREACHABLE, "cannot read " + section.name() + " line '" + line
                        + "': " + e.getMessage(), e);
                }
            }
        }
        return new ClusterSnapshot(table.reports(), info);
    }

    // ------------------------------------------------------------------ submit

    /**
     * {@code cd <workDir> && K='v' ... sbatch --parsable --array=.. --job-name=<tag> --export=ALL [options]
     * <script> [args]}. The variables are assignments in front of sbatch, so they are in sbatch's own
     * environment and {@code --export=ALL} hands them to the job: unlike {@code --export=ALL,K=V}, which
     * sbatch splits at commas, any value reaches the job verbatim. Every value is quoted for the shell.
     * Options: each entry {@code name: value} becomes {@code --name='value'} (a blank value: left out);
     * the entry {@code extra} is split at white space into separately quoted words (flags such as
     * {@code --exclusive} go there).
     * ALPHAEX_CAMPAIGN (the tag) and ALPHAEX_BASE are added when the request's env lacks them.
     */
    @Override
    public String submitCommand(SubmitRequest request) {
        String tag = checkTag(request.tag());
        String where = "submission of " + tag;
        if (request.array() == null || !ARRAY.matcher(request.array()).matches()) {
            throw new IllegalArgumentException(where + ": not a Slurm array specification: '" + request.array() + "'");
        }
        if (request.script() == null || request.script().isBlank()) {
            throw new IllegalArgumentException(where + ": no job script");
        }
        if (request.workDir() == null || request.workDir().isBlank()) {
            throw new IllegalArgumentException(where + ": no project folder (workDir)");
        }
        StringBuilder cmd = new StringBuilder("cd ").append(Shell.quotePath(request.workDir())).append(" &&");
        String results = request.env().get("ALPHAEX_RESULTS");
        if (results != null && !results.isBlank()) { // the job contract: the folder exists when a job starts
            cmd.append(" mkdir -p ").append(Shell.quotePath(results)).append(" &&");
        }
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("ALPHAEX_CAMPAIGN", tag);
        env.put("ALPHAEX_BASE", Long.toString(request.base()));
        env.putAll(request.env());
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException(where + ": variable " + e.getKey() + " has no value");
            }
            cmd.append(' ').append(Shell.checkVariableName(e.getKey())).append('=').append(Shell.quote(e.getValue()));
        }
        String array = request.throttle() > 0 ? ArrayThrottle.withThrottle(request.array(), request.throttle()) : request.array();
        cmd.append(" sbatch --parsable --array=").append(Shell.quote(array))
            .append(" --job-name=").append(Shell.quote(tag)).append(" --export=ALL");
        for (Map.Entry<String, String> o : request.options().entrySet()) {
            appendOption(cmd, where, o.getKey(), o.getValue());
        }
        cmd.append(' ').append(Shell.quotePath(request.script()));
        for (String arg : request.args()) {
            cmd.append(' ').append(Shell.quote(arg));
        }
        return cmd.toString();
    }

    private static void appendOption(StringBuilder cmd, String where, String name, String value) {
        if (name == null || !OPTION.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": not an sbatch option name: '" + name
                + "' (use the long name without dashes, e.g. partition, time, mem, gres)");
        }
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException(where + ": option '" + name + "' is set by the campaign itself");
        }
        String v = value == null ? "" : value.trim();
        if (name.equals("extra")) {
            for (String word : v.split("\\s+")) {
                if (!word.isEmpty()) {
                    cmd.append(' ').append(Shell.quote(word));
                }
            }
        } else if (!v.isEmpty()) { // blank: not set (a flag without value goes in extra)
            cmd.append(" --").append(name).append('=').append(Shell.quote(v));
        }
    }

    @Override
    public String parseSubmit(SubmitRequest request, CommandResult result) throws ClusterException {
        if (result.exitCode() != 0) {
            Kind kind = classifySubmitError(result.stderr() + "\n" + result.stdout());
            throw new ClusterException(kind, "sbatch for " + request.tag() + " [" + request.array() + "] refused (exit "
                + result.exitCode() + ", " + kind + "): " + firstLines(result.stderr() + result.stdout()));
        }
        String answer = lastLine(result.stdout());
        Matcher m = PARSABLE.matcher(answer);
        if (!m.matches()) {
            throw new ClusterException(Kind.BUSY, "sbatch for " + request.tag() + " [" + request.array()
                + "] exited 0 but printed no job id ('" + answer + "'); reconcile by tag before resubmitting");
        }
        return m.group(1);
    }

    // ------------------------------------------------------------------ cancel

    /**
     * {@code scancel -u "$USER" --name=<tag>}: every job of this user carrying the campaign's tag, queued or running,
     * in one call; its exit status follows in a marker line (scancel says nothing when no job matches).
     */
    @Override
    public String cancelCommand(String tag) {
        return "scancel -u \"$USER\" --name=" + Shell.quote(checkTag(tag)) + "; " + marker("scancel");
    }

    @Override
    public void parseCancel(String tag, CommandResult result) throws ClusterException {
        List<PollAnswer.Section> sections = PollAnswer.sections(result);
        if (sections.isEmpty()) {
            throw new ClusterException(Kind.UNREACHABLE, "scancel for " + tag + ": no answer (exit " + result.exitCode() + "): "
                + firstLines(result.stderr()));
        }
        int rc = sections.get(0).exitCode();
        if (rc != 0) {
            throw new ClusterException(Kind.UNREACHABLE, "scancel --name=" + tag + " failed (exit " + rc + "): "
                + firstLines(result.stderr() + " " + String.join(" ", sections.get(0).lines())));
        }
    }

    /** What an sbatch error text means for the campaign (see the class comment). */
    public static Kind classifySubmitError(String text) {
        String t = text == null ? "" : text;
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("unable to contact slurm controller")) {
            return Kind.UNREACHABLE;
        }
        if (lower.contains("socket timed out") || lower.contains("temporarily unable to accept job")
            || lower.contains("resource temporarily unavailable") || lower.contains("job violates accounting/qos policy")
            || t.contains("AssocMaxSubmitJobLimit") || t.contains("QOSMaxSubmitJobPerUserLimit")
            || t.contains("AssocGrpSubmitJobsLimit") || t.contains("QOSGrpSubmitJobsLimit")
            || t.contains("MaxSubmitJobs") || lower.contains("max_submit")) {
            return Kind.BUSY;
        }
        return Kind.REJECTED;
    }

    // ------------------------------------------------------------------ throttles and take-backs

    /** Every array carries a throttle ({@code --array=...%N}), changed in place with {@link ThrottleUpdate}. */
    @Override
    public boolean throttles() {
        return true;
    }

    @Override
    public String throttleCommand(String jobId, int throttle) {
        return ThrottleUpdate.command(jobId, throttle);
    }

    @Override
    public ThrottleOutcome parseThrottle(String jobId, int throttle, CommandResult result) throws ClusterException {
        return ThrottleOutcome.valueOf(ThrottleUpdate.parse(jobId, throttle, result).name());
    }

    /** {@link TakeBack}: hold, cancel the pending ones, release, one squeue; ids {@value TakeBack#DEFAULT_CHUNK} per call. */
    @Override
    public String takeBackCommand(String jobId, Collection<Long> taskIds) {
        return new TakeBack().command(jobId, taskIds);
    }

    @Override
    public TakeBackReport parseTakeBack(String jobId, Collection<Long> taskIds, CommandResult result) throws ClusterException {
        TakeBack.Result r = new TakeBack().parse(jobId, taskIds, result);
        return new TakeBackReport(r.jobId(), r.takenBack(), r.started(), r.notTaken(), r.notFound(), r.notes());
    }

    // ------------------------------------------------------------------ helpers

    static String checkTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("not a usable campaign tag (Slurm job name): '" + tag
                + "' (1-100 of A-Z a-z 0-9 . _ -, starting with a letter or digit; squeue --name splits at commas)");
        }
        return tag;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines[lines.length - 1].strip();
    }

    static String firstLines(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return "(no output)";
        }
        return t.length() > 500 ? t.substring(0, 500) + "..." : t;
    }
}
