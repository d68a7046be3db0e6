package dev.alphaex.bench;

import dev.alphaex.it.LabCampaign;
import dev.alphaex.it.QueueSampler;
import dev.alphaex.it.SshTrace;
import dev.alphaex.ssh.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The makespan benchmark on the Slurm lab (start it first: .ci/slurm-lab/start.sh): scenario (a),
 * 300 tasks on cluster-a (capacity 12) and cluster-b (capacity 6) through the real routes, where task i
 * sleeps d(i) = 1 + (i*7919 mod 31)/10 s (src/test/resources/jobs/makespan-job.sh; the durations sum to
 * 749 s, so no schedule can beat LB = max(749/18, 4) = 41.6 s). One campaign per poll period given.
 *
 * <p>For each it prints the makespan (from the moment Camel Main has started the routes to the moment the
 * campaign knows its last task finished; the JVM's and Camel's own start-up, 1-3 s, is printed apart), LB, their ratio,
 * the most of the campaign's tasks seen at once on each cluster (its squeue sampled every 0.5 s over SSH
 * sessions of the sampler's own) and the controller's SSH logins per cluster; then where the time went,
 * from the jobs' own start/end times and the routes' SSH exchanges: how long a finished task waits until
 * a poll sees it, how long polls and sbatch take, how long Slurm takes from sbatch to the task's start,
 * and how busy each cluster's slots were.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.alphaex.bench.SlurmMakespanBenchmark [-Dexec.args="2000 500"]</pre>
 * Arguments: poll periods in ms (default 2000 500); {@code -Dbench.tasks=N} (default 300).
 */
public final class SlurmMakespanBenchmark {
    static final String JOB = "src/test/resources/jobs/makespan-job.sh";

    private SlurmMakespanBenchmark() {
    }

    /** The task duration, in seconds. */
    static double duration(long i) {
        return 1 + (i * 7919 % 31) / 10.0;
    }

    public static void main(String[] args) throws Exception {
        List<Long> periods = new ArrayList<>();
        for (String a : args.length == 0 ? new String[] {"2000", "500"} : args) {
            periods.add(Long.parseLong(a));
        }
        int tasks = Integer.getInteger("bench.tasks", 300);
        double sum = 0;
        double longest = 0;
        for (long i = 0; i < tasks; i++) {
            sum += duration(i);
            longest = Math.max(longest, duration(i));
        }
        int slots = LabCampaign.CAPACITY.values().stream().mapToInt(Integer::intValue).sum();
        double lb = Math.max(sum / slots, longest);
        System.out.printf(Locale.ROOT, "makespan benchmark: %d tasks, sum %.0f s, %d slots (cluster-a 12, cluster-b 6): LB = %.1f s%n",
            tasks, sum, slots, lb);
        List<String> summary = new ArrayList<>();
        for (long period : periods) {
            summary.add(run(period, tasks, lb));
        }
        System.out.println();
        System.out.println("period   makespan   LB      ratio   max active a/b   logins a/b");
        summary.forEach(System.out::println);
        System.exit(0); // MINA and Camel threads
    }

    private static String run(long period, int tasks, double lb) throws Exception {
        LabCampaign c = LabCampaign.prepare("bench", JOB, "[[0," + (tasks - 1) + "]]");
        c.set("slurmit.period", Long.toString(period));
        c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString())));
        System.out.printf(Locale.ROOT, "%n--- poll period %d ms (folder %s)%n", period, c.shared);
        long boot = System.currentTimeMillis();
        long t0;
        long t1;
        Map<String, Integer> max;
        Map<String, Integer> logins;
        List<SshTrace.Call> calls;
        try (c; QueueSampler sampler = QueueSampler.start(c.lab, c.start().campaign().tag(), Duration.ofMillis(500))) {
            t0 = System.currentTimeMillis(); // Camel Main started: routes running, first tick 0.1 s later
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofMinutes(10), "the campaign to finish");
            t1 = System.currentTimeMillis();
            max = sampler.max();
            logins = c.sessions().logins();
            calls = c.trace().calls();
        }
        double makespan = (t1 - t0) / 1000.0;
        System.out.printf(Locale.ROOT, "makespan %.1f s (routes started -> last task known finished; Camel Main took %.1f s"
                + " to start before that), LB %.1f s, ratio %.2f; most tasks seen at once: %s; ssh logins: %s%n",
            makespan, (t0 - boot) / 1000.0, lb, makespan / lb, max, logins);
        analyse(c, t0, t1, calls);
        c.delete();
        return String.format(Locale.ROOT, "%5d ms  %6.1f s  %5.1f s  %5.2f   %3d / %-3d        %d / %d", period, makespan, lb,
            makespan / lb, max.get(Lab.A), max.get(Lab.B), logins.getOrDefault(Lab.A, 0), logins.getOrDefault(Lab.B, 0));
    }

    private record Task(long index, String cluster, String job, String task, double start, double end) {
    }

    /** Where the time went: from runs.log (the jobs' start and end) and the routes' SSH exchanges. */
    private static void analyse(LabCampaign c, long t0, long t1, List<SshTrace.Call> calls) throws Exception {
        Map<String, String> clusterOf = Map.of(c.lab.env.get("AX_LAB_A_CLUSTER"), Lab.A, c.lab.env.get("AX_LAB_B_CLUSTER"), Lab.B);
        List<Task> tasks = new ArrayList<>();
        for (String line : Files.readAllLines(c.runsLog)) {
            String[] f = line.split(" ");
            tasks.add(new Task(Long.parseLong(f[0]), clusterOf.getOrDefault(f[5], f[5]), f[1], f[2], Double.parseDouble(f[3]) * 1000,
                Double.parseDouble(f[4]) * 1000));
        }
        double latency = 0;
        int latencyN = 0;
        double firstStart = tasks.stream().mapToDouble(Task::start).min().orElse(t0);
        double lastEnd = tasks.stream().mapToDouble(Task::end).max().orElse(t1);
        System.out.printf(Locale.ROOT, "  controller start -> first task starts %.1f s; last task ends -> controller knows %.1f s%n",
            (firstStart - t0) / 1000, (t1 - lastEnd) / 1000);
        for (String cluster : List.of(Lab.A, Lab.B)) {
            List<SshTrace.Call> polls = calls.stream().filter(x -> x.cluster().equals(cluster) && x.kind() == SshTrace.Kind.POLL).toList();
            List<SshTrace.Call> submits = calls.stream().filter(x -> x.cluster().equals(cluster) && x.kind() == SshTrace.Kind.SUBMIT).toList();
            Map<String, SshTrace.Call> byJob = new HashMap<>();
            for (SshTrace.Call s : submits) {
                if (s.ok()) {
                    byJob.put(s.stdout(), s);
                }
            }
            List<Task> mine = tasks.stream().filter(t -> t.cluster().equals(cluster)).toList();
            double seen = 0;
            int seenN = 0;
            double sched = 0;
            int schedN = 0;
            double busy = 0;
            double ended = 0;
            int endedN = 0;
            int late = 0;
            List<Map<String, String>> answers = polls.stream().map(SlurmMakespanBenchmark::queue).toList();
            for (Task t : mine) {
                busy += t.end() - t.start();
                boolean first = true;
                for (int k = 0; k < polls.size(); k++) {
                    SshTrace.Call p = polls.get(k);
                    if (p.startMillis() < t.end()) {
                        continue;
                    }
                    if (first) { // the first poll sent after the task's script ended
                        seen += p.endMillis() - t.end();
                        seenN++;
                        first = false;
                    }
                    String state = answers.get(k).get(t.job() + "_" + t.task());
                    if (state != null && !dev.alphaex.cluster.TaskState.parse(state).isActive()) {
                        ended += p.endMillis() - t.end(); // the first poll that showed it ended
                        endedN++;
                        break;
                    }
                    late++;
                }
                SshTrace.Call s = byJob.get(t.job());
                if (s != null) {
                    sched += t.start() - s.endMillis();
                    schedN++;
                    latency += t.start() - s.endMillis();
                    latencyN++;
                }
            }
            int cap = LabCampaign.CAPACITY.get(cluster);
            double span = lastEnd - firstStart;
            System.out.printf(Locale.ROOT, "  %s: %d tasks in %d submissions (%.1f per sbatch), %d polls (%.0f ms each), sbatch %.0f ms each;"
                    + " the first poll after a task's script ends answers %.0f ms later, the first that shows it ended %.0f ms later"
                    + " (%d times a task was still active at the first poll after its end), Slurm starts a task %.0f ms after"
                    + " sbatch answered; slots busy %.0f%%%n",
                cluster, mine.size(), submits.size(), mine.size() / (double) Math.max(1, submits.size()), polls.size(),
                polls.stream().mapToLong(x -> x.endMillis() - x.startMillis()).average().orElse(0),
                submits.stream().mapToLong(x -> x.endMillis() - x.startMillis()).average().orElse(0),
                seen / Math.max(1, seenN), ended / Math.max(1, endedN), late, sched / Math.max(1, schedN), 100 * busy / (cap * span));
        }
        double l = latency / Math.max(1, latencyN) / 1000;
        double exchange = calls.stream().filter(x -> x.kind() != SshTrace.Kind.OTHER)
            .mapToLong(x -> x.endMillis() - x.startMillis()).average().orElse(0) / 1000;
        long period = calls.stream().filter(x -> x.kind() == SshTrace.Kind.POLL).count() > 1 ? periodOf(calls) : 0;
        System.out.printf(Locale.ROOT, "  a perfect poller at this period (sees a task's end at its next poll, then one poll + one"
                + " sbatch of %.0f ms each, Slurm's %.0f ms to start it; simulated over 200 poll phases) would take %.2f x LB%n",
            exchange * 1000, l * 1000, floor(period / 1000.0, 2 * exchange + l, tasks.size()));
    }

    /** squeue's section of a poll answer: "job_task" -> state. */
    private static Map<String, String> queue(SshTrace.Call poll) {
        Map<String, String> out = new HashMap<>();
        for (String line : poll.stdout().split("\n")) {
            if (line.startsWith("@@alphaex:squeue")) {
                break;
            }
            String[] f = line.split("\\|");
            if (f.length >= 4) {
                out.put(f[1] + "_" + f[2], f[3]);
            }
        }
        return out;
    }

    /** The median gap between two polls of cluster-a, in ms. */
    private static long periodOf(List<SshTrace.Call> calls) {
        List<Long> starts = calls.stream().filter(x -> x.cluster().equals(Lab.A) && x.kind() == SshTrace.Kind.POLL)
            .map(SshTrace.Call::startMillis).sorted().toList();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < starts.size(); i++) {
            gaps.add(starts.get(i) - starts.get(i - 1));
        }
        gaps.sort(null);
        return gaps.get(gaps.size() / 2);
    }

    /**
     * The makespan / LB of an ideal controller that polls each cluster every {@code period} s (random phase),
     * sees every task that ended before the poll, fills the free slots with the lowest pending indices at once,
     * and whose tasks start {@code delay} s after the poll (exchanges + Slurm's start latency); averaged over
     * 200 phase pairs. The time to notice the last end is counted, as in the measured makespan.
     */
    static double floor(double period, double delay, int tasks) {
        java.util.Random random = new java.util.Random(1);
        double sum = 0;
        double work = 0;
        double longest = 0;
        for (long i = 0; i < tasks; i++) {
            work += duration(i);
            longest = Math.max(longest, duration(i));
        }
        double lb = Math.max(work / 18, longest);
        int rounds = 200;
        for (int r = 0; r < rounds; r++) {
            int[] cap = {12, 6};
            double[] next = {random.nextDouble() * period, random.nextDouble() * period};
            List<List<Double>> running = List.of(new ArrayList<>(), new ArrayList<>());
            long pending = 0;
            double known = 0;
            while (pending < tasks || !running.get(0).isEmpty() || !running.get(1).isEmpty()) {
                int c = next[0] <= next[1] ? 0 : 1;
                double t = next[c];
                running.get(c).removeIf(end -> end <= t);
                if (pending >= tasks && running.get(c).isEmpty()) {
                    known = Math.max(known, t);
                    next[c] = Double.MAX_VALUE;
                    continue;
                }
                while (running.get(c).size() < cap[c] && pending < tasks) {
                    running.get(c).add(t + delay + duration(pending++));
                }
                next[c] = t + period;
            }
            sum += known / lb;
        }
        return sum / rounds;
    }
}
