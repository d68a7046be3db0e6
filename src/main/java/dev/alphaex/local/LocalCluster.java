package dev.alphaex.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.files.AtomicFile;
import dev.alphaex.sweep.Sweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A cluster made of this machine's processes, the embedded default. It keeps Slurm's contract:
 * an array job's tasks run the job script with {@code SLURM_ARRAY_TASK_ID}, {@code SLURM_ARRAY_JOB_ID},
 * {@code ALPHAEX_INDEX} = base + task id, {@code ALPHAEX_BASE}, {@code ALPHAEX_CAMPAIGN} and the
 * campaign's exports; stdout and stderr go to files; at most {@code slots} tasks run at a time and
 * the rest wait in its queue.
 *
 * <p>Like a real cluster it outlives the controller: each task runs under a small shell wrapper that
 * writes the task's exit status to a file, so a task that was running when the controller was
 * killed is found again (by its pid and start time) and its exit status read when it ends. Every
 * job's folder holds its description, so tasks that had not started are queued again on restart.
 *
 * <p>A queued task can be taken back ({@link #takeBack}): it leaves the queue, never starts, and is reported
 * CANCELLED; a task that has started keeps running.
 *
 * <p>Layout under its root: {@code jobs/<job id>/job.json}, and per task {@code <task>.pid},
 * {@code <task>.exit}, {@code <task>.out}, {@code <task>.err}, {@code <task>.cancelled} (taken back).
 */
final class LocalCluster {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The content of a task's {@code .cancelled} file written by {@code alphaex cancel} (a take-back writes it empty). */
    private static final String CANCELLED_BY_OPERATOR = "cancelled";
    /**
     * Writes its own pid to $1.pid first (so a task started just before the controller died is
     * never started twice), runs "$@", then writes its exit status atomically to $1.exit. It runs
     * on when the controller is killed.
     */
    private static final String WRAPPER = "p=$1; shift; echo $$ > \"$p.pid.tmp\" && mv -f \"$p.pid.tmp\" \"$p.pid\"; "
            + "\"$@\"; rc=$?; printf '%s\\n' \"$rc\" > \"$p.exit.tmp\" && mv -f \"$p.exit.tmp\" \"$p.exit\"; exit $rc";

    private final String name;
    private final Path root;
    private final Map<Long, Job> jobs = new TreeMap<>();
    private final Deque<Task> queue = new ArrayDeque<>();
    private final Map<String, Sweep> sweeps = new HashMap<>();
    /** Per failed task ("job/task"), the first lines of its stderr (read once). */
    private final Map<String, String> failureReasons = new HashMap<>();
    private int slots = 1;
    private int running;
    private long nextJobId = 1;

    private static final class Job {
        final long id;
        final Path dir;
        final ObjectNode spec;
        final String tag;
        final long base;

        Job(long id, Path dir, ObjectNode spec) {
            this.id = id;
            this.dir = dir;
            this.spec = spec;
            this.tag = spec.get("tag").asText();
            this.base = spec.get("base").asLong();
        }
    }

    private record Task(Job job, long taskId) {
    }

    LocalCluster(String name, Path root) {
        this.name = name;
        this.root = root;
        recover();
    }

    /** Finds the jobs of a previous controller: running tasks are watched again, unstarted ones queued again. */
    private void recover() {
        Path jobsDir = root.resolve("jobs");
        if (!Files.isDirectory(jobsDir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(jobsDir)) {
            for (Path dir : ds) {
                long id;
                try {
                    id = Long.parseLong(dir.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                Path specFile = dir.resolve("job.json");
                if (!Files.exists(specFile)) {
                    continue; // a submission that never finished writing its description never started
                }
                Job job = new Job(id, dir, (ObjectNode) JSON.readTree(specFile.toFile()));
                jobs.put(id, job);
                nextJobId = Math.max(nextJobId, id + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("local cluster " + name + ": cannot read " + jobsDir, e);
        }
        for (Job job : jobs.values()) {
            for (long t : ArrayRanges.expand(job.spec.get("array").asText())) {
                if (Files.exists(exitFile(job, t)) || Files.exists(cancelledFile(job, t))) {
                    continue;
                }
                Optional<ProcessHandle> live = liveProcess(job, t);
                if (live.isPresent()) {
                    running++;
                    live.get().onExit().thenRunAsync(this::taskEnded);
                } else if (!Files.exists(pidFile(job, t))) {
                    queue.add(new Task(job, t));
                }
            }
        }
        if (!jobs.isEmpty()) {
            LOG.info("local cluster {}: found {} job(s) of a previous run: {} task(s) running, {} queued", name, jobs.size(),
                    running, queue.size());
        }
    }

    synchronized void slots(int slots) {
        this.slots = Math.max(1, slots);
        startQueued();
    }

    /**
     * Submits an array job; returns its id. The job's description is on disk, and its results folder
     * ({@code ALPHAEX_RESULTS}, relative to its workDir) exists, before any task starts.
     */
    synchronized long submit(ObjectNode request) throws IOException {
        String results = request.path("env").path("ALPHAEX_RESULTS").asText("");
        if (!results.isEmpty()) {
            Files.createDirectories(Path.of(request.path("workDir").asText(".")).resolve(results));
        }
        long id = nextJobId++;
        Path dir = root.resolve("jobs").resolve(Long.toString(id));
        Files.createDirectories(dir);
        AtomicFile.write(dir.resolve("job.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(request));
        Job job = new Job(id, dir, request);
        jobs.put(id, job);
        for (long t : ArrayRanges.expand(request.get("array").asText())) {
            queue.add(new Task(job, t));
        }
        startQueued();
        return id;
    }

    /** Reports the tasks of the listed jobs, and with {@code byTag} of every job carrying the tag. */
    synchronized ArrayNode poll(String tag, List<String> jobIds, boolean byTag) {
        ArrayNode out = JSON.createArrayNode();
        List<Job> selected = new ArrayList<>();
        for (Job job : jobs.values()) {
            if (job.tag.equals(tag) && (byTag || jobIds.contains(Long.toString(job.id)) || hasActiveTasks(job))) {
                selected.add(job);
            }
        }
        for (Job job : selected) {
            for (long t : ArrayRanges.expand(job.spec.get("array").asText())) {
                ObjectNode r = out.addObject().put("job", Long.toString(job.id)).put("task", t);
                // one consistent order of observations: the pid file, then liveness, then the exit
                // file. The wrapper writes its pid first and its exit file just before it exits, so
                // a pid seen with its process gone and no exit file after that is really lost.
                boolean started = Files.exists(pidFile(job, t));
                boolean alive = started && liveProcess(job, t).isPresent();
                Integer exit = readExit(job, t);
                String mark = cancelMark(job, t); // taken back (empty) or cancelled by alphaex cancel
                if (mark != null && (!started || mark.equals(CANCELLED_BY_OPERATOR) && (exit != null || !alive))) {
                    r.put("state", "CANCELLED").put("reason", mark.isEmpty() ? "taken back" : "cancelled (alphaex cancel)");
                } else if (exit != null) {
                    r.put("state", exit == 0 ? "COMPLETED" : "FAILED").put("exit", exit);
                    if (exit != 0) {
                        r.put("reason", failureReasons.computeIfAbsent(job.id + "/" + t, k -> stderrExcerpt(job, t)));
                    }
                } else if (!started || queue.contains(new Task(job, t))) {
                    r.put("state", "PENDING"); // queued, or starting (its wrapper has not written its pid yet)
                } else if (alive) {
                    r.put("state", "RUNNING");
                } else {
                    r.put("state", "FAILED").put("reason", "the task's process ended without recording an exit status (killed?)");
                }
            }
        }
        return out;
    }

    /**
     * Cancels every task of the jobs carrying {@code tag} that has not ended: a queued one never starts, a running one
     * is killed with its children (the wrapper first, so that it starts nothing more). Each is marked, so a poll
     * reports it CANCELLED. Returns how many tasks were cancelled.
     */
    synchronized int cancel(String tag) throws IOException {
        int n = 0;
        for (Job job : jobs.values()) {
            if (!job.tag.equals(tag)) {
                continue;
            }
            for (long t : ArrayRanges.expand(job.spec.get("array").asText())) {
                if (Files.exists(exitFile(job, t)) || Files.exists(cancelledFile(job, t))) {
                    continue;
                }
                Files.writeString(cancelledFile(job, t), CANCELLED_BY_OPERATOR);
                n++;
                if (queue.remove(new Task(job, t))) {
                    writeExit(job, t, 143, "cancelled before it started (alphaex cancel)");
                    continue;
                }
                Optional<ProcessHandle> live = liveProcess(job, t);
                if (live.isPresent()) {
                    List<ProcessHandle> children = live.get().descendants().toList();
                    live.get().destroyForcibly();
                    children.forEach(ProcessHandle::destroyForcibly);
                } else if (!Files.exists(pidFile(job, t))) {
                    writeExit(job, t, 143, "cancelled before it started (alphaex cancel)");
                }
            }
        }
        return n;
    }

    /**
     * Takes queued tasks of a job back: each one still in the queue leaves it for good (marked, so a restart does not
     * queue it again) and is reported CANCELLED; one that has started is reported with its state; one the job does
     * not have is not found.
     */
    synchronized void takeBack(long jobId, List<Long> tasks, ObjectNode out) throws IOException {
        ArrayNode taken = out.putArray("takenBack");
        ObjectNode started = out.putObject("started");
        ArrayNode notFound = out.putArray("notFound");
        Job job = jobs.get(jobId);
        for (long t : tasks) {
            if (job == null || java.util.Arrays.binarySearch(ArrayRanges.expand(job.spec.get("array").asText()), t) < 0) {
                notFound.add(t);
            } else if (queue.remove(new Task(job, t)) || Files.exists(cancelledFile(job, t))) {
                AtomicFile.write(cancelledFile(job, t), new byte[0]);
                taken.add(t);
            } else {
                Integer exit = readExit(job, t);
                started.put(Long.toString(t), exit == null ? "RUNNING" : exit == 0 ? "COMPLETED" : "FAILED");
            }
        }
    }

    private boolean hasActiveTasks(Job job) {
        for (long t : ArrayRanges.expand(job.spec.get("array").asText())) {
            if (!Files.exists(exitFile(job, t)) && !Files.exists(cancelledFile(job, t))) {
                return true;
            }
        }
        return false;
    }

    private void startQueued() {
        while (running < slots && !queue.isEmpty()) {
            Task task = queue.poll();
            running++;
            try {
                start(task);
            } catch (IOException e) {
                running--;
                LOG.warn("local cluster {}: job {} task {} could not start: {}", name, task.job.id, task.taskId, e.getMessage());
                writeExit(task.job, task.taskId, 127, e.getMessage());
            }
        }
    }

    private synchronized void taskEnded() {
        running--;
        startQueued();
    }

    private void start(Task task) throws IOException {
        Job job = task.job;
        ObjectNode spec = job.spec;
        long t = task.taskId;
        long index = job.base + t;
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "alphaex-task", job.dir.resolve(Long.toString(t)).toString()));
        cmd.add(spec.get("script").asText());
        for (JsonNode a : spec.withArray("args")) {
            cmd.add(a.asText());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        File workDir = new File(spec.path("workDir").asText("."));
        pb.directory(workDir);
        Map<String, String> env = pb.environment();
        spec.with("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put("SLURM_ARRAY_TASK_ID", Long.toString(t));
        env.put("SLURM_ARRAY_JOB_ID", Long.toString(job.id));
        env.put("SLURM_JOB_ID", Long.toString(job.id));
        env.put("ALPHAEX_INDEX", Long.toString(index));
        String config = configOf(env.get("ALPHAEX_SWEEP"), index);
        if (config != null) {
            env.put("ALPHAEX_CONFIG", config);
        }
        pb.redirectOutput(job.dir.resolve(t + ".out").toFile());
        pb.redirectError(job.dir.resolve(t + ".err").toFile());
        Process p = pb.start();
        // the start time tells a live task from a recycled pid after a restart
        Files.writeString(job.dir.resolve(t + ".start"), p.toHandle().info().startInstant().map(Instant::toString).orElse(""));
        p.onExit().thenRunAsync(this::taskEnded);
    }

    /** The configuration of the index as JSON, when the job names its sweep (local convenience). */
    private String configOf(String sweepFile, long index) {
        if (sweepFile == null || sweepFile.isEmpty()) {
            return null;
        }
        try {
            Sweep sweep = sweeps.computeIfAbsent(sweepFile, f -> Sweep.load(Path.of(f)));
            return sweep.parse(index).toJson(true).toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Why a task failed, as far as it said: the first lines of its stderr and where the rest is (a reason that
     * was only in the .err file, e.g. "Permission denied", was invisible).
     */
    private static String stderrExcerpt(Job job, long t) {
        Path err = job.dir.resolve(t + ".err");
        List<String> lines = new ArrayList<>();
        try (java.io.InputStream in = Files.newInputStream(err)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            for (String line : head.split("\n")) {
                if (!line.isBlank() && lines.size() < 3) {
                    lines.add(line.strip().length() > 200 ? line.strip().substring(0, 200) + "..." : line.strip());
                }
            }
        } catch (IOException e) {
            return "no stderr file " + err;
        }
        return lines.isEmpty() ? "nothing on stderr (" + err + "; stdout: " + job.dir.resolve(t + ".out") + ")"
                : "stderr: " + String.join(" | ", lines) + " (" + err + ")";
    }

    private Optional<ProcessHandle> liveProcess(Job job, long t) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile(job, t)).trim());
            Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            Path startFile = job.dir.resolve(t + ".start");
            if (h.isEmpty() || !Files.exists(startFile)) {
                return h;
            }
            String recorded = Files.readString(startFile).trim();
            String started = h.get().info().startInstant().map(Instant::toString).orElse("");
            return recorded.isEmpty() || recorded.equals(started) ? h : Optional.empty(); // not a recycled pid
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Integer readExit(Job job, long t) {
        try {
            return Integer.parseInt(Files.readString(exitFile(job, t)).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private void writeExit(Job job, long t, int code, String why) {
        try {
            Files.writeString(job.dir.resolve(t + ".err"), why + "\n", StandardCharsets.UTF_8);
            AtomicFile.write(exitFile(job, t), (code + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path exitFile(Job job, long t) {
        return job.dir.resolve(t + ".exit");
    }

    private static Path cancelledFile(Job job, long t) {
        return job.dir.resolve(t + ".cancelled");
    }

    /** What a task's {@code .cancelled} file says: null when none, "" taken back, {@link #CANCELLED_BY_OPERATOR}. */
    private static String cancelMark(Job job, long t) {
        Path f = cancelledFile(job, t);
        try {
            return Files.exists(f) ? Files.readString(f).strip() : null;
        } catch (IOException e) {
            return ""; // there, unreadable: as a take-back's (the task does not start)
        }
    }

    private static Path pidFile(Job job, long t) {
        return job.dir.resolve(t + ".pid");
    }
}
