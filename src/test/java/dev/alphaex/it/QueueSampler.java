package dev.alphaex.it;

import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.TaskState;
import dev.alphaex.ssh.Lab;
import dev.alphaex.ssh.Shell;
import dev.alphaex.ssh.SshSessions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An observer of the campaign from outside: every {@code every} it asks each cluster's own squeue, over
 * SSH sessions of its own (not the controller's, whose logins are counted), how many of the campaign's
 * tasks (jobs named by its tag) are active there: pending, running, completing, configuring, suspended
 * or requeued, as {@link TaskState#isActive()} reads Slurm's states; and how many of those run (running or
 * configuring; a completing task has ended its script and is not counted). A failed sample (the cluster is down) is counted, not fatal.
 */
public final class QueueSampler implements AutoCloseable {
    /** One answered sample. */
    public record Sample(long atMillis, String cluster, int active, int running) {
    }

    /**
     * What to sample: the campaign's tasks of {@code user} (a shell word: {@code "$USER"} is the alias's own user),
     * asked over the key-only ssh alias {@code alias}, reported as {@code cluster}.
     */
    public record Target(String cluster, String alias, String user) {
        /** The alias's own user's tasks, reported under the alias. */
        public static Target own(String alias) {
            return new Target(alias, alias, "\"$USER\"");
        }
    }

    private final SshSessions ssh;
    private final List<Target> targets;
    private final String tag;
    private final Duration every;
    private final Thread thread;
    private final Map<String, Integer> max = new ConcurrentHashMap<>();
    private final Map<String, Integer> maxRunning = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;

    private QueueSampler(Lab lab, List<Target> targets, String tag, Duration every) {
        this.ssh = lab.sessions(SshSessions.Settings.defaults().withCommandTimeout(Duration.ofSeconds(5)));
        this.targets = List.copyOf(targets);
        this.tag = tag;
        this.every = every;
        for (Target t : targets) {
            max.put(t.cluster(), 0);
            maxRunning.put(t.cluster(), 0);
            failures.put(t.cluster(), 0);
        }
        this.thread = new Thread(this::loop, "queue-sampler-" + tag);
        thread.setDaemon(true);
    }

    /** Starts sampling the lab's clusters for the tasks of campaign tag {@code tag}. */
    public static QueueSampler start(Lab lab, String tag, Duration every) {
        return start(lab, tag, every, List.of(Target.own(Lab.A), Target.own(Lab.B)));
    }

    /** Starts sampling {@code targets} for the tasks of campaign tag {@code tag}. */
    public static QueueSampler start(Lab lab, String tag, Duration every, List<Target> targets) {
        QueueSampler s = new QueueSampler(lab, targets, tag, every);
        s.thread.start();
        return s;
    }

    private void loop() {
        while (running) {
            long next = System.currentTimeMillis() + every.toMillis();
            for (Target t : targets) {
                String cluster = t.cluster();
                String command = "squeue -h -r -t all -u " + t.user() + " --name=" + Shell.quote(tag) + " -o '%i|%T'";
                try {
                    CommandResult r = ssh.exec(t.alias(), command);
                    if (r.exitCode() != 0) {
                        failures.merge(cluster, 1, Integer::sum);
                        continue;
                    }
                    int active = 0;
                    int running = 0;
                    for (String line : r.stdout().split("\n")) {
                        int bar = line.indexOf('|');
                        TaskState state = bar > 0 ? TaskState.parse(line.substring(bar + 1)) : null;
                        if (state != null && state.isActive()) {
                            active++;
                            running += state == TaskState.RUNNING ? 1 : 0; // and CONFIGURING (a starting task)
                        }
                    }
                    samples.add(new Sample(System.currentTimeMillis(), cluster, active, running));
                    max.merge(cluster, active, Math::max);
                    maxRunning.merge(cluster, running, Math::max);
                } catch (Exception e) {
                    failures.merge(cluster, 1, Integer::sum);
                }
            }
            long wait = next - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The most tasks seen active at once, by cluster. */
    public Map<String, Integer> max() {
        return new LinkedHashMap<>(max);
    }

    /** The most tasks seen running at once, by cluster. */
    public Map<String, Integer> maxRunning() {
        return new LinkedHashMap<>(maxRunning);
    }

    /** Answered samples over a limit: more than {@code running} running, or more than {@code capacity} active. */
    public int overLimits(Map<String, Integer> running, Map<String, Integer> capacity) {
        int n = 0;
        for (Sample s : samples()) {
            n += s.running() > running.get(s.cluster()) || s.active() > capacity.get(s.cluster()) ? 1 : 0;
        }
        return n;
    }

    /** Answered samples, by cluster. */
    public Map<String, Integer> answered() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Target t : targets) {
            out.put(t.cluster(), 0);
        }
        synchronized (samples) {
            for (Sample s : samples) {
                out.merge(s.cluster(), 1, Integer::sum);
            }
        }
        return out;
    }

    public Map<String, Integer> failures() {
        return new LinkedHashMap<>(failures);
    }

    public List<Sample> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        ssh.close();
    }
}
