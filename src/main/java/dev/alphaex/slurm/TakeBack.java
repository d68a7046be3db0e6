package dev.alphaex.slurm;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;
import dev.alphaex.ssh.Shell;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Takes queued tasks of an array back from a cluster without racing a start, in one command (one SSH round
 * trip): per chunk of task ids, {@code scontrol hold J_[ids]}, then (only if every id got an answer)
 * {@code scancel --state=PENDING J_[ids]}, then {@code scontrol release J_[ids]}; finally {@code squeue} of
 * the array tells which ids were taken back and which had started. Pure: builds the command and reads its
 * answer; the same (job, ids) can be sent again after a lost answer or a restart (every step is idempotent).
 *
 * <p>Why this sequence (measured on the lab's Slurm 22.05.8, see TakeBackIT):
 * <ul>
 *   <li>A hold is atomic in slurmctld: a pending task held cannot start; a task already running stays
 *       running (the hold only sets its priority to 0; the release puts it back). Held pending tasks are split
 *       out of the array's pending remainder into job records of their own.</li>
 *   <li>{@code scancel --state=PENDING} filters in the client: it loads the queue, then kills what was pending
 *       when it looked. Without the hold a task may start in between; and an id still inside the array's
 *       pending remainder makes it kill that whole remainder ({@code scancel --state=PENDING J_[18-19]}
 *       cancelled tasks 6-8,10,12,18-19). So it only runs once the hold answered for every id.</li>
 *   <li>Plain {@code scancel J_[9-11]} cancels just those ids, but also a task that started since the
 *       engine last looked; lowering the array's throttle to the number running does not close that window
 *       either (the throttle caps the number running: when one ends, the next pending one starts).</li>
 * </ul>
 * A hold costs slurmctld time per task (it splits the task's record out of the array): 1.4 s for 10 tasks on
 * the lab, and 2000 in one call kept clusterb's slurmctld busy for 4.5 min (every other client got "Socket
 * timed out"). Hence chunks (default {@value #DEFAULT_CHUNK} ids per call): take back only what can run
 * elsewhere soon.
 *
 * <p>What the cluster shows afterwards: squeue lists each task taken back as CANCELLED with reason
 * JobHeldUser in a record of its own; sacct shows it {@code CANCELLED by <uid>} with Start {@code None} and
 * Elapsed 0. (When a chunk covered the array's whole pending remainder, the hold keeps it as one record:
 * squeue then shows one CANCELLED line for the array with no task id, sacct {@code J_[ids]} CANCELLED.)
 * A user's own {@code scancel J_5} of a task still in the pending remainder leaves no record at all, and
 * {@code scancel J} shows the remainder as one CANCELLED record: Slurm cannot tell who cancelled (the same
 * uid), so the engine tells a take-back by its own ledger, written before the command is sent.
 */
public final class TakeBack {
    /** Task ids per hold/scancel/release call. */
    public static final int DEFAULT_CHUNK = 20;

    /**
     * What became of the ids.
     *
     * @param takenBack cancelled while pending: never started there; run them elsewhere
     * @param started   had started before the hold (running or ended, with the state squeue shows): not
     *                  taken back, keep following them there
     * @param notTaken  still queued there (the scheduler did not answer the hold or the cancel): try again
     * @param notFound  not in the queue at all (not a task of this array, or ended longer than MinJobAge ago):
     *                  look them up in accounting
     * @param notes     what the scheduler said when a step did not go through, one line each
     */
    public record Result(String jobId, SortedSet<Long> takenBack, SortedMap<Long, TaskState> started,
                         SortedSet<Long> notTaken, SortedSet<Long> notFound, List<String> notes) {
        public Result {
            takenBack = Collections.unmodifiableSortedSet(new TreeSet<>(takenBack));
            started = Collections.unmodifiableSortedMap(new TreeMap<>(started));
            notTaken = Collections.unmodifiableSortedSet(new TreeSet<>(notTaken));
            notFound = Collections.unmodifiableSortedSet(new TreeSet<>(notFound));
            notes = List.copyOf(notes);
        }
    }

    private final int chunk;

    public TakeBack() {
        this(DEFAULT_CHUNK);
    }

    /** @param chunk task ids per hold/scancel/release call, at least 1 */
    public TakeBack(int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, got " + chunk);
        }
        this.chunk = chunk;
    }

    /** The whole sequence for the given task ids of array job {@code jobId} (see the class comment). */
    public String command(String jobId, Collection<Long> taskIds) {
        ControlErrors.checkJobId(jobId);
        List<String> specs = TaskIdList.specs(jobId, taskIds, chunk);
        // ignore a dropped connection: the sequence runs to its end rather than leave ids held
        StringBuilder cmd = new StringBuilder("trap '' HUP PIPE");
        for (String spec : specs) {
            String q = Shell.quote(spec);
            cmd.append("; o=$(scontrol hold ").append(q).append(" 2>&1); r=$?; [ -z \"$o\" ] || printf '%s\\n' \"$o\"; ")
                .append(marker("hold", "$r"))
                // only when every id got an answer: running (no error), ended, or not known
                .append("; if [ \"$r\" = 0 ] || ! printf '%s\\n' \"$o\" | grep -qv -e ': No error$' -e 'Job has already finished'")
                .append(" -e 'Invalid job id specified'; then scancel --state=PENDING ").append(q).append(" 2>&1; ")
                .append(marker("scancel", "$?")).append("; fi; scontrol release ").append(q).append(" 2>&1; ")
                .append(marker("release", "$?"));
        }
        cmd.append("; squeue -h -r -t all -j ").append(Shell.quote(jobId)).append(" -O ")
            .append(Shell.quote(SlurmProtocol.SQUEUE_FORMAT)).append("; ").append(marker("squeue", "$?"));
        return cmd.toString();
    }

    private static String marker(String section, String rc) {
        return "echo \"" + SlurmProtocol.MARK + section + ":" + rc + "\"";
    }

    /**
     * Reads the answer of {@link #command}.
     *
     * @throws ClusterException UNREACHABLE (or BUSY) when the final squeue did not answer or the answer is cut
     *     short: what was taken back is unknown, send the same command again
     */
    public Result parse(String jobId, Collection<Long> taskIds, CommandResult result) throws ClusterException {
        SortedSet<Long> ids = TaskIdList.sorted(taskIds);
        List<PollAnswer.Section> sections = PollAnswer.sections(result);
        String what = "take-back of job " + jobId + " tasks " + TaskIdList.ranges(ids);
        PollAnswer.Section queue = sections.isEmpty() ? null : sections.get(sections.size() - 1);
        if (queue == null || !queue.name().equals("squeue")) {
            throw new ClusterException(Kind.UNREACHABLE, what + ": answer cut short (exit " + result.exitCode()
                + "); send it again: " + SlurmProtocol.firstLines(result.stderr()));
        }
        if (queue.exitCode() != 0 && result.stderr().contains("Invalid job id specified")) {
            // squeue -j of a job slurmctld does not know (never, or purged MinJobAge after it ended)
            return new Result(jobId, new TreeSet<>(), new TreeMap<>(), new TreeSet<>(), ids, notes(sections));
        }
        if (queue.exitCode() != 0) {
            Kind kind = ControlErrors.schedulerTrouble(result.stderr());
            throw new ClusterException(kind == null ? Kind.UNREACHABLE : kind, what + ": squeue did not answer (exit "
                + queue.exitCode() + "), so what was taken back is unknown; send it again: "
                + SlurmProtocol.firstLines(result.stderr()));
        }
        List<String> notes = notes(sections);
        TaskTable table = new TaskTable();
        boolean remainderCancelled = false;
        for (String line : queue.lines()) {
            String[] f = line.split("\\|", -1);
            if (f.length >= 4 && f[2].strip().equals("N/A")) {
                // the array's pending remainder as one record: held and cancelled as a whole
                remainderCancelled |= f[1].strip().equals(jobId) && TaskState.parse(f[3]) == TaskState.CANCELLED;
                continue;
            }
            try {
                SlurmLines.squeue(line, table);
            } catch (IllegalArgumentException e) {
                throw new ClusterException(Kind.UNREACHABLE, what + ": cannot read squeue line '" + line + "': "
                    + e.getMessage(), e);
            }
        }
        Map<Long, TaskState> states = new java.util.HashMap<>();
        for (TaskReport r : table.reports()) {
            if (r.jobId().equals(jobId)) {
                states.put(r.taskId(), r.state());
            }
        }
        SortedSet<Long> taken = new TreeSet<>();
        SortedMap<Long, TaskState> started = new TreeMap<>();
        SortedSet<Long> notTaken = new TreeSet<>();
        SortedSet<Long> notFound = new TreeSet<>();
        for (long id : ids) {
            TaskState state = states.get(id);
            if (state == null) {
                (remainderCancelled ? taken : notFound).add(id);
            } else if (state == TaskState.CANCELLED) {
                taken.add(id);
            } else if (state == TaskState.PENDING || state == TaskState.REQUEUED) {
                notTaken.add(id);
            } else {
                started.put(id, state);
            }
        }
        return new Result(jobId, taken, started, notTaken, notFound, notes);
    }

    /** One line per hold/scancel/release that did not go through. */
    private static List<String> notes(List<PollAnswer.Section> sections) {
        List<String> notes = new ArrayList<>();
        for (PollAnswer.Section s : sections.subList(0, sections.size() - 1)) {
            if (s.exitCode() != 0 && !benign(s.lines())) {
                notes.add(s.name() + " exit " + s.exitCode() + ": " + SlurmProtocol.firstLines(String.join("; ", s.lines())));
            }
        }
        return notes;
    }

    /** Exit 1 of hold/scancel/release that only says some ids had ended or were unknown. */
    private static boolean benign(List<String> lines) {
        for (String l : lines) {
            if (!(l.endsWith(": No error") || l.contains("Job has already finished") || l.contains("Invalid job id specified"))) {
                return false;
            }
        }
        return true;
    }
}
