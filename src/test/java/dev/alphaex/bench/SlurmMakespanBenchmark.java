package dev.alphaex.bench;

import dev.alphaex.it.LabCampaign;
import dev.alphaex.it.OtherUsersJob;
import dev.alphaex.it.QueueSampler;
import dev.alphaex.it.SshTrace;
import dev.alphaex.ssh.Lab;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The makespan benchmark on the Slurm lab (start it first: .ci/slurm-lab/start.sh): 300 tasks on cluster-a and
 * cluster-b through the real routes, where task i sleeps d(i) = 1 + (i*7919 mod 31)/10 s
 * (src/test/resources/jobs/makespan-job.sh; the durations sum to 749 s, so with 12 + 6 slots no schedule can beat
 * LB = max(749/18, 4.1) = 41.6 s). One campaign per setting, in the same run:
 * <ul>
 *   <li>{@code poll}: today's poll-driven setting, capacity 12 / 6 and running = capacity: a slot is refilled after a
 *       poll has seen its task end;</li>
 *   <li>{@code polite} (issue 11): running 12 / 6, capacity 36 / 18: Slurm refills the slots from the arrays'
 *       throttled queues between polls;</li>
 *   <li>{@code deep}: running 12 / 6, capacity 200 / 100: enough queued on each cluster for a whole poll period;</li>
 *   <li>{@code busy}: {@code polite} with another user's job filling every CPU of cluster-b before the campaign starts
 *       (lower bound: cluster-a alone, 749/12 = 62.4 s); the tasks queued on b are taken back at the tail.</li>
 * </ul>
 * All at the same poll period ({@code -Dbench.period}, default 30000 ms, the Slurm default). For each: the makespan
 * (from the moment Camel Main has started the routes to the moment the campaign knows its last task finished) and the
 * work span (first task's start to last task's end, from the jobs' own clocks), each over the lower bound; the
 * scheduler commands per cluster as the engine counted them (at start-up, per poll period on average, at most in one
 * period); the clusters' squeue sampled every 0.5 s over SSH sessions of the sampler's own (most running, most queued +
 * running, samples over a limit); and the targets (makespan at most 1.3 x LB, at most 4 commands at start-up and
 * 4 per period, no sample over a limit) next to two bounds no controller at this period can beat: the first poll after
 * LB (the campaign learns that its last task ended at a poll), and for a capacity C, ceil(tasks / C) - 1 refills a
 * poll period apart (between two polls a cluster runs at most what it holds).
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.alphaex.bench.SlurmMakespanBenchmark [-Dexec.args="poll polite deep busy"]</pre>
 * Arguments: settings (default {@code poll polite deep}); {@code -Dbench.tasks=N} (default 300),
 * {@code -Dbench.period=MS} (default 30000).
 */
public final class SlurmMakespanBenchmark {
    static final String JOB = "src/test/resources/jobs/makespan-job.sh";
    private static final Pattern COMMANDS = Pattern.compile(
        "(\\S+): (\\d+) scheduler commands? .*?: (\\d+) at start-up(?:, then ([0-9.]+) per poll period .*at most (\\d+) in one period)?");

    /** One campaign's setting: the two limits per cluster (running null: = capacity), and whether cluster-b is busy. */
    record Setting(String name, int capacityA, int capacityB, Integer runningA, Integer runningB, boolean busy) {
        Map<String, Integer> running() {
            return Map.of(Lab.A, runningA == null ? capacityA : runningA, Lab.B, runningB == null ? capacityB : runningB);
        }

        Map<String, Integer> capacity() {
            return Map.of(Lab.A, capacityA, Lab.B, capacityB);
        }

        String describe() {
            return (runningA == null ? "running = capacity, " : "running " + runningA + " / " + runningB + ", ") + "capacity "
                + capacityA + " / " + capacityB + (busy ? ", cluster-b full of another user's job" : "");
        }
    }

    static final Map<String, Setting> SETTINGS = Map.of(
        "poll", new Setting("poll", 12, 6, null, null, false),
        "polite", new Setting("polite", 36, 18, 12, 6, false),
        "deep", new Setting("deep", 200, 100, 12, 6, false),
        "busy", new Setting("busy", 36, 18, 12, 6, true));

    private SlurmMakespanBenchmark() {
    }

    /** The task duration, in seconds. */
    static double duration(long i) {
        return 1 + (i * 7919 % 31) / 10.0;
    }

    public static void main(String[] args) throws Exception {
        List<Setting> settings = new ArrayList<>();
        for (String a : args.length == 0 ? new String[] {"poll", "polite", "deep"} : args) {
            Setting s = SETTINGS.get(a);
            if (s == null) {
                throw new IllegalArgumentException("unknown setting '" + a + "'; use " + SETTINGS.keySet());
            }
            settings.add(s);
        }
        int tasks = Integer.getInteger("bench.tasks", 300);
        long period = Long.getLong("bench.period", 30_000);
        double sum = 0;
        double longest = 0;
        for (long i = 0; i < tasks; i++) {
            sum += duration(i);
            longest = Math.max(longest, duration(i));
        }
        System.out.printf(Locale.ROOT, "makespan benchmark: %d tasks, sum %.0f s, poll period %d ms: LB = %.1f s with 12 + 6 slots,"
            + " %.1f s with cluster-a's 12 alone%n", tasks, sum, period, Math.max(sum / 18, longest), Math.max(sum / 12, longest));
        List<String> table = new ArrayList<>();
        for (Setting s : settings) {
            double lb = Math.max(sum / (s.busy() ? 12 : 18), longest);
            table.add(run(s, period, tasks, lb));
        }
        System.out.println();
        System.out.println("setting  makespan/LB (bounds: poll grid, capacity)  work/LB  commands a: start-up, per period (max)"
            + "  b: start-up, per period (max)  samples over a limit  targets (<= 1.3 LB, <= 4 + 4/period, 0 over)");
        table.forEach(System.out::println);
        System.exit(0); // MINA and Camel threads
    }

    private static String run(Setting s, long period, int tasks, double lb) throws Exception {
        LabCampaign c = LabCampaign.prepare("bench", JOB, "[[0," + (tasks - 1) + "]]");
        c.set("slurmit.period", Long.toString(period));
        c.set("slurmit.capacityA", Integer.toString(s.capacityA())).set("slurmit.capacityB", Integer.toString(s.capacityB()));
        if (s.runningA() != null) {
            c.set("slurmit.runningA", Integer.toString(s.runningA())).set("slurmit.runningB", Integer.toString(s.runningB()));
        }
        c.set("campaign.exports", LabCampaign.exports(Map.of("RUNS_LOG", c.runsLog.toString())));
        System.out.printf(Locale.ROOT, "%n--- %s: %s, poll period %d ms (folder %s)%n", s.name(), s.describe(), period, c.shared);
        long boot = System.currentTimeMillis();
        long t0;
        long t1;
        Map<String, Integer> max;
        Map<String, Integer> maxRunning;
        int over;
        List<String> commands;
        List<SshTrace.Call> calls;
        try (OtherUsersJob busy = s.busy() ? OtherUsersJob.fillClusterB(c.lab) : null;
             c; QueueSampler sampler = QueueSampler.start(c.lab, c.start().campaign().tag(), Duration.ofMillis(500))) {
            t0 = System.currentTimeMillis(); // Camel Main started: routes running, first tick 0.1 s later
            LabCampaign.await(() -> c.campaign().finished(), Duration.ofMinutes(20), "the campaign to finish");
            t1 = System.currentTimeMillis();
            max = sampler.max();
            maxRunning = sampler.maxRunning();
            over = sampler.overLimits(s.running(), s.capacity());
            commands = c.campaign().commandLines();
            calls = c.trace().calls();
        }
        double makespan = (t1 - t0) / 1000.0;
        double firstStart = Double.MAX_VALUE;
        double lastEnd = 0;
        for (String line : Files.readAllLines(c.runsLog)) {
            String[] f = line.split(" ");
            firstStart = Math.min(firstStart, Double.parseDouble(f[3]));
            lastEnd = Math.max(lastEnd, Double.parseDouble(f[4]));
        }
        double work = lastEnd - firstStart;
        double gridBound = Math.ceil(lb * 1000 / period) * period / 1000.0;
        int capacity = s.busy() ? s.capacityA() : s.capacityA() + s.capacityB();
        double capacityBound = Math.max(lb, (Math.ceil(tasks / (double) capacity) - 1) * period / 1000.0);
        System.out.printf(Locale.ROOT, "makespan %.1f s = %.2f x LB (routes started -> last task known finished; Camel Main took %.1f s"
                + " to start before that); work %.1f s = %.2f x LB (first start -> last end); bounds at this period: %.2f x LB (the"
                + " first poll after LB), %.2f x LB (capacity %d: %d refills a period apart)%n  most running %s, most queued + running"
                + " %s, %d sample(s) over a limit of running %s / capacity %s%n  %s%n",
            makespan, makespan / lb, (t0 - boot) / 1000.0, work, work / lb, gridBound / lb, capacityBound / lb, capacity,
            (int) Math.ceil(tasks / (double) capacity) - 1, maxRunning, max, over, s.running(), s.capacity(),
            String.join("\n  ", commands));
        analyse(c, s, t0, t1, calls);
        c.delete();
        Map<String, double[]> perCluster = new java.util.TreeMap<>();
        for (String line : commands) {
            Matcher m = COMMANDS.matcher(line);
            if (m.find()) {
                perCluster.put(m.group(1), new double[] {Double.parseDouble(m.group(3)), m.group(4) == null ? 0 : Double.parseDouble(m.group(4)),
                    m.group(5) == null ? 0 : Double.parseDouble(m.group(5))});
            }
        }
        double[] a = perCluster.getOrDefault(Lab.A, new double[3]);
        double[] b = perCluster.getOrDefault(Lab.B, new double[3]);
        boolean commandsOk = a[0] <= 4 && b[0] <= 4 && a[1] <= 4 && b[1] <= 4;
        return String.format(Locale.ROOT, "%-7s  %5.2f (%4.2f, %4.2f)                      %5.2f    %1.0f, %.1f (%.0f)%24s%1.0f, %.1f (%.0f)"
                + "%23s%-20d  %s, %s, %s", s.name(), makespan / lb, gridBound / lb, capacityBound / lb, work / lb, a[0], a[1], a[2], "",
            b[0], b[1], b[2], "", over, makespan / lb <= 1.3 ? "PASS" : "FAIL", commandsOk ? "PASS" : "FAIL", over == 0 ? "PASS" : "FAIL");
    }

    private record Task(long index, String cluster, String job, String task, double start, double end) {
    }

    /** Where the time went: from runs.log (the jobs' start and end) and the routes' SSH exchanges. */
    private static void analyse(LabCampaign c, Setting setting, long t0, long t1, List<SshTrace.Call> calls) throws Exception {
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
            int cap = setting.running().get(cluster);
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
        if (setting.runningA() != null) {
            return; // the perfect poller below is the poll-driven design's floor
        }
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
