package dev.alphaex.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.TaskState;
import dev.alphaex.ssh.Lab;
import dev.alphaex.ssh.Shell;
import dev.alphaex.ssh.SshSessions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Array throttles and take-backs on the lab's real Slurm (22.05.8): the semantics issue 11's engine relies on.
 * Each test submits arrays of {@code sleep} tasks named by a tag of its own, and cancels them at the end.
 */
class TakeBackIT {
    private static final String CLUSTER = Lab.A;
    private static Lab lab;
    private static SshSessions ssh;
    private static final String TAG = "it-takeback-" + Long.toString(System.nanoTime(), 36);

    /** One task as squeue shows it. */
    record Task(TaskState state, String reason) {
    }

    @BeforeAll
    static void lab() {
        lab = Lab.require();
        ssh = lab.sessions();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (ssh != null) {
            ssh.exec(CLUSTER, "scancel -u \"$USER\" --name=" + Shell.quote(TAG));
            ssh.close();
        }
    }

    /** A queued array's throttle changed in place: raised, more run at once; lowered, none is stopped and none starts. */
    @Test
    void throttleChangedInPlaceRaisesAndLowersTheNumberRunning() throws Exception {
        String job = submit("0-11%2", "sleep 60");
        waitFor(job, "2 running", t -> running(t) == 2);

        assertThat(ThrottleUpdate.parse(job, 5, exec(ThrottleUpdate.command(job, 5)))).isEqualTo(ThrottleUpdate.Outcome.APPLIED);
        waitFor(job, "5 running after the throttle went up to 5", t -> running(t) == 5);

        assertThat(ThrottleUpdate.parse(job, 1, exec(ThrottleUpdate.command(job, 1)))).isEqualTo(ThrottleUpdate.Outcome.APPLIED);
        Thread.sleep(3000); // three scheduling passes of the lab (sched_interval=1)
        Map<Long, Task> after = queue(job);
        assertThat(running(after)).as("lowering stops no running task").isEqualTo(5);
        assertThat(after.values().stream().filter(t -> t.state() == TaskState.PENDING).count()).isEqualTo(7);
        assertThat(exec("scontrol show job " + job + " | grep -o 'ArrayTaskThrottle=[0-9]*' | head -1").stdout())
            .contains("ArrayTaskThrottle=1");
    }

    /**
     * Why the take-back holds tasks instead of lowering the throttle to the number running (issue 11's first
     * idea): the throttle caps how many run, so when a running task ends the next pending one starts.
     */
    @Test
    void throttleAtTheRunningCountDoesNotFreezeTheArray() throws Exception {
        String job = submit("0-5%2", "[ \"$SLURM_ARRAY_TASK_ID\" = 0 ] && sleep 2 || sleep 60");
        waitFor(job, "tasks 0 and 1 running", t -> running(t) == 2 && t.get(0L).state() == TaskState.RUNNING);
        ThrottleUpdate.parse(job, 2, exec(ThrottleUpdate.command(job, 2)));
        Map<Long, Task> later = waitFor(job, "task 0 ended", t -> t.get(0L).state().isFinal());
        later = waitFor(job, "task 2 started after task 0 ended", t -> t.get(2L).state() == TaskState.RUNNING);
        assertThat(later.get(2L).state()).isEqualTo(TaskState.RUNNING);
    }

    /**
     * The take-back of pending and running ids: the pending ones are cancelled (squeue: CANCELLED, reason
     * JobHeldUser; sacct: CANCELLED by the user, never started), the running ones keep running and are
     * reported started; the array's other tasks go on.
     */
    @Test
    void takeBackCancelsThePendingIdsAndLeavesStartedOnesRunning() throws Exception {
        String job = submit("0-19%4", "sleep 60");
        waitFor(job, "tasks 0-3 running", t -> running(t) == 4);
        List<Long> ids = List.of(2L, 3L, 8L, 9L, 10L, 15L, 19L);
        TakeBack takeBack = new TakeBack(3); // three chunks: 2-3,8 / 9-10,15 / 19
        String command = takeBack.command(job, ids);
        TakeBack.Result r = takeBack.parse(job, ids, exec(command));

        assertThat(r.takenBack()).containsExactly(8L, 9L, 10L, 15L, 19L);
        assertThat(r.started()).containsOnlyKeys(2L, 3L).containsValues(TaskState.RUNNING);
        assertThat(r.notTaken()).isEmpty();
        assertThat(r.notFound()).isEmpty();
        assertThat(r.notes()).isEmpty();

        Map<Long, Task> q = queue(job);
        for (long id : r.takenBack()) {
            assertThat(q.get(id)).as("task %d", id).isEqualTo(new Task(TaskState.CANCELLED, "JobHeldUser"));
        }
        assertThat(q.get(2L).state()).isEqualTo(TaskState.RUNNING);
        assertThat(q.get(3L).state()).isEqualTo(TaskState.RUNNING);
        // the release gave the running ones their priority back; the other pending tasks are untouched
        assertThat(q.get(4L)).isEqualTo(new Task(TaskState.PENDING, "JobArrayTaskLimit"));
        assertThat(exec("squeue -h -j " + job + "_3 -o %Q").stdout().strip()).isNotEqualTo("0");

        // sending the same command again (a lost answer, a restart) changes nothing and says the same
        TakeBack.Result again = takeBack.parse(job, ids, exec(command));
        assertThat(again.takenBack()).isEqualTo(r.takenBack());
        assertThat(again.started()).isEqualTo(r.started());

        Map<Long, String[]> acct = waitForAccounting(job, rows -> r.takenBack().stream().allMatch(id ->
            rows.containsKey(id) && rows.get(id)[0].startsWith("CANCELLED")));
        for (long id : r.takenBack()) {
            assertThat(acct.get(id)[0]).as("sacct State of %d", id).startsWith("CANCELLED by ");
            assertThat(acct.get(id)[1]).as("sacct Start of %d", id).isEqualTo("None");
        }
        assertThat(acct.get(3L)[1]).as("sacct Start of a started task").matches("\\d{4}-.*");
    }

    /**
     * The race: tasks of half a second, eight at a time, and take-backs of the next pending ids (the ones about
     * to start) every 0.2 s. Afterwards accounting shows every id taken back as never started, and every id
     * reported started (or not taken) as run to its end: no id is both taken back and run.
     */
    @Test
    void takeBackNeverLetsACancelledIdStart() throws Exception {
        String job = submit("0-99%8", "sleep 0.5");
        TakeBack takeBack = new TakeBack(2);
        Set<Long> taken = new TreeSet<>();
        Set<Long> started = new TreeSet<>();
        waitFor(job, "8 running", t -> running(t) == 8);
        for (int round = 0; round < 20; round++) {
            Map<Long, Task> q = queue(job);
            List<Long> next = new ArrayList<>();
            for (Map.Entry<Long, Task> e : new TreeMap<>(q).entrySet()) {
                if (e.getValue().state() == TaskState.PENDING && next.size() < 4) {
                    next.add(e.getKey()); // the lowest pending ids: the next ones slurmctld starts
                }
            }
            if (next.isEmpty()) {
                break;
            }
            TakeBack.Result r = takeBack.parse(job, next, exec(takeBack.command(job, next)));
            assertThat(r.notFound()).isEmpty();
            taken.addAll(r.takenBack());
            started.addAll(r.started().keySet());
            started.addAll(r.notTaken());
            Thread.sleep(200);
        }
        Map<Long, String[]> acct = waitForAccounting(job, rows -> rows.size() == 100
            && rows.values().stream().noneMatch(v -> v[0].equals("PENDING") || v[0].equals("RUNNING")));
        assertThat(taken).as("some ids were taken back").isNotEmpty();
        Set<Long> both = new HashSet<>(taken);
        both.retainAll(started);
        assertThat(both).as("ids reported both taken back and started").isEmpty();
        for (Map.Entry<Long, String[]> e : acct.entrySet()) {
            long id = e.getKey();
            String state = e.getValue()[0];
            String start = e.getValue()[1];
            if (taken.contains(id)) {
                assertThat(start).as("task %d was taken back: it never started (%s)", id, state).isEqualTo("None");
                assertThat(state).startsWith("CANCELLED");
            } else {
                assertThat(state).as("task %d was not taken back", id).isEqualTo("COMPLETED");
            }
        }
        System.out.printf("[TakeBackIT] race: %d of 100 ids taken back, %d found started; none of the taken ran%n",
            taken.size(), started.size());
    }

    /**
     * A chunk that covers the array's whole pending remainder: the hold keeps the remainder as one record,
     * the cancel ends it as one (squeue: one CANCELLED line without a task id); the result still names each id.
     */
    @Test
    void takeBackOfTheWholePendingRemainder() throws Exception {
        String job = submit("0-5%1", "sleep 60");
        waitFor(job, "task 0 running", t -> t.get(0L).state() == TaskState.RUNNING);
        List<Long> ids = List.of(0L, 1L, 2L, 3L, 4L, 5L);
        TakeBack.Result r = new TakeBack().parse(job, ids, exec(new TakeBack().command(job, ids)));
        assertThat(r.takenBack()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(r.started()).containsOnlyKeys(0L);
        String lines = exec("squeue -h -r -t all -j " + job + " -O 'JobID:|,ArrayTaskID:|,State:|,Reason:'").stdout();
        assertThat(lines).contains(job + "|N/A|CANCELLED|JobHeldUser");
    }

    /**
     * What a user's own cancels look like, for the engine to tell them from a take-back: {@code scancel J_5}
     * of a task in the pending remainder leaves no record of it in squeue; {@code scancel J} shows every task
     * CANCELLED, the pending ones with their last pending reason, the running ones with none: never the hold's
     * JobHeldUser.
     */
    @Test
    void aUsersOwnCancelsLeaveNoHoldMark() throws Exception {
        String job = submit("0-9%2", "sleep 60");
        waitFor(job, "2 running", t -> running(t) == 2);
        exec("scancel " + job + "_5");
        Map<Long, Task> q = waitFor(job, "task 5 gone", t -> !t.containsKey(5L));
        assertThat(q.get(4L).state()).isEqualTo(TaskState.PENDING);
        exec("scancel " + job);
        q = waitFor(job, "all cancelled", t -> t.values().stream().allMatch(x -> x.state() == TaskState.CANCELLED));
        assertThat(q).doesNotContainKey(5L).hasSize(9);
        assertThat(q.get(0L)).isEqualTo(new Task(TaskState.CANCELLED, "None"));
        assertThat(q.get(1L)).isEqualTo(new Task(TaskState.CANCELLED, "None"));
        for (long id : List.of(2L, 3L, 4L, 6L, 7L, 8L, 9L)) {
            assertThat(q.get(id)).as("task %d", id).isEqualTo(new Task(TaskState.CANCELLED, "JobArrayTaskLimit"));
        }
    }

    /** Ids of a job slurmctld does not know: nothing to take back, the ids are reported not found. */
    @Test
    void takeBackOfAnUnknownJobFindsNothing() throws Exception {
        List<Long> ids = List.of(1L, 2L);
        TakeBack.Result r = new TakeBack().parse("99999999", ids, exec(new TakeBack().command("99999999", ids)));
        assertThat(r.notFound()).containsExactly(1L, 2L);
        assertThat(r.takenBack()).isEmpty();
        assertThat(ThrottleUpdate.parse("99999999", 2, exec(ThrottleUpdate.command("99999999", 2))))
            .isEqualTo(ThrottleUpdate.Outcome.UNKNOWN_JOB);
    }

    // ------------------------------------------------------------------ helpers

    private static CommandResult exec(String command) throws Exception {
        return ssh.exec(CLUSTER, command, Duration.ofSeconds(60));
    }

    /** sbatch of {@code --wrap=script} as an array named by the test's tag; its job id. */
    private static String submit(String array, String script) throws Exception {
        CommandResult r = exec("mkdir -p ~/it-work && cd ~/it-work && sbatch --parsable -o /dev/null --array="
            + Shell.quote(array) + " --job-name=" + Shell.quote(TAG) + " --wrap=" + Shell.quote(script));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().strip();
    }

    /** The array's tasks in squeue (-t all): id -> state and reason; the remainder's own line (no task id) is left out. */
    static Map<Long, Task> queue(String job) throws Exception {
        CommandResult r = exec("squeue -h -r -t all -j " + Shell.quote(job) + " -O 'ArrayTaskID:|,State:|,Reason:'");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Map<Long, Task> tasks = new LinkedHashMap<>();
        for (String line : r.stdout().split("\\R")) {
            String[] f = line.split("\\|", -1);
            if (f.length >= 3 && !f[0].strip().equals("N/A") && !f[0].isBlank()) {
                tasks.put(Long.parseLong(f[0].strip()), new Task(TaskState.parse(f[1]), f[2].strip()));
            }
        }
        return tasks;
    }

    private static int running(Map<Long, Task> tasks) {
        return (int) tasks.values().stream().filter(t -> t.state() == TaskState.RUNNING).count();
    }

    private static Map<Long, Task> waitFor(String job, String what, Predicate<Map<Long, Task>> done) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Map<Long, Task> q = queue(job);
            try {
                if (done.test(q)) {
                    return q;
                }
            } catch (NullPointerException e) {
                // a task not listed yet
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 60 s: " + what + "; queue: " + q);
            }
            Thread.sleep(250);
        }
    }

    /** sacct rows of the job's tasks: id -> {State, Start} (sacct lags squeue by seconds). */
    private static Map<Long, String[]> waitForAccounting(String job, Predicate<Map<Long, String[]>> done) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            CommandResult r = exec("sacct -X -n -P -j " + Shell.quote(job) + " -o JobID,State,Start");
            Map<Long, String[]> rows = new TreeMap<>();
            for (String line : r.stdout().split("\\R")) {
                String[] f = line.split("\\|", -1);
                int us = f[0].indexOf('_');
                if (f.length == 3 && us > 0) { // 7_5, or 7_[57-59] for a remainder still one record
                    for (long id : SlurmLines.taskIds(f[0].substring(us + 1))) {
                        rows.put(id, new String[] {f[1], f[2]});
                    }
                }
            }
            if (done.test(rows)) {
                return rows;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("accounting not there within 90 s: " + r.stdout());
            }
            Thread.sleep(1000);
        }
    }
}
