package dev.alphaex.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cluster as its {@code templatedRoute} declares it: the parameters of the {@code cluster} route template
 * (routes/alphaex.yaml), bound into typed values and checked in one place ({@link #bind}). The components are the
 * template's parameters, in its order ({@link #PARAMETERS}; a test holds the two together).
 *
 * @param name      the cluster's name (for Slurm, by default also its ssh alias)
 * @param kind      the {@link ClusterKind}'s name
 * @param capacity  at most this many of the campaign's tasks queued or running there (the submit budget)
 * @param running   at most this many of them running at once (null: the capacity); Slurm enforces it with array
 *                  throttles ({@code --array=...%N}), the local runner with its number of slots
 * @param period    ms between polls (null: the kind's default, {@link ClusterKind#defaultPeriodMillis()})
 * @param host      ssh alias ("" : the name)
 * @param workDir   folder jobs are submitted from ("" : the kind's default)
 * @param script    job script ("" : campaign.script)
 * @param results   folder jobs write their logs to ("" : the kind's default)
 * @param sweep     the sweep file as the jobs see it ("" : the kind's default)
 * @param maxTasks  at most this many tasks per array submission
 * @param timeout   ms one remote command may take
 * @param account   sbatch --account ("" : not given), likewise partition, time, mem, gres
 * @param extra     more sbatch options, split at white space
 * @param file      the routes file that declares the cluster (named in errors)
 * @param transport the {@link Transport}'s name ("" : the kind's default)
 * @param sync      how the code gets to workDir before the cluster's first submission: "" (by hand), git or upload
 * @param repo      sync git: the repository's URL as the cluster reaches it ("" : the local repository's origin)
 * @param commit    sync git: the commit to check out ("" : the local repository's HEAD)
 * @param source    the local folder: sync upload copies it; sync git reads its repository's defaults ("" : ".")
 * @param java      the java command the jobs run (checked by the doctor; "" : java, when a jar is named)
 * @param jar       the slim jar (alphaex-sweep.jar) as the jobs use it, relative to workDir; checked by the doctor
 *                  and, with sync upload, put in place ("" : none)
 */
public record ClusterSettings(String name, String kind, Integer capacity, Integer running, Long period, String host,
                              String workDir, String script, String results, String sweep, Integer maxTasks, Long timeout,
                              String account, String partition, String time, String mem, String gres, String extra, String file,
                              String transport, String sync, String repo, String commit, String source, String java,
                              String jar) {
    /** The cluster template's parameters, in its order. */
    public static final List<String> PARAMETERS = Arrays.stream(ClusterSettings.class.getRecordComponents())
            .map(RecordComponent::getName).toList();
    private static final ObjectMapper BINDER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ClusterSettings {
        name = text(name);
        kind = text(kind);
        host = text(host);
        workDir = text(workDir);
        script = text(script);
        results = text(results);
        sweep = text(sweep);
        account = text(account);
        partition = text(partition);
        time = text(time);
        mem = text(mem);
        gres = text(gres);
        extra = text(extra);
        file = text(file);
        transport = text(transport);
        sync = text(sync);
        repo = text(repo);
        commit = text(commit);
        source = text(source);
        java = text(java);
        jar = text(jar);
        maxTasks = maxTasks == null ? 1000 : maxTasks;
        timeout = timeout == null ? 60_000L : timeout;
    }

    private static String text(String s) {
        return s == null ? "" : s.trim();
    }

    /**
     * Binds a cluster's template parameters (text, as Camel gives them) and checks them.
     *
     * @param file the routes file that declares the cluster, named in errors when the parameters do not name it
     * @throws IllegalArgumentException "routes/campaign.yaml, cluster 'gpu': capacity must be 1 or more, got 0"
     */
    public static ClusterSettings bind(Map<String, ?> parameters, String file) {
        Map<String, Object> values = new LinkedHashMap<>(parameters);
        values.putIfAbsent("file", file);
        Object named = values.get("name");
        String where = where(String.valueOf(values.get("file")), named == null ? null : named.toString().trim());
        ClusterSettings s;
        try {
            s = BINDER.convertValue(values, ClusterSettings.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + problem(e.getCause() == null ? e : e.getCause()), e);
        }
        s.check();
        return s;
    }

    private static String problem(Throwable e) {
        if (e instanceof InvalidFormatException f && !f.getPath().isEmpty()) {
            return f.getPath().get(0).getFieldName() + " must be a whole number, got '" + f.getValue() + "'";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown parameter '" + u.getPropertyName() + "'; the cluster template's parameters are "
                    + String.join(", ", PARAMETERS);
        }
        return e.getMessage();
    }

    /** The checks every kind shares; a kind adds its own ({@link ClusterKind#check}). */
    private void check() {
        if (name.isEmpty() || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(where() + ": name must be letters, digits, '_', '-' or '.', got '" + name + "'");
        }
        positive("capacity", capacity == null ? null : (long) capacity);
        if (running != null) {
            positive("running", (long) running);
            if (running > capacity) {
                throw new IllegalArgumentException(where() + ": running must be at most capacity (" + capacity + "), got " + running
                        + ": capacity counts the tasks queued and running there");
            }
        }
        if (period != null) {
            positive("period", period);
        }
        positive("maxTasks", (long) maxTasks);
        positive("timeout", timeout);
        if (!sync.isEmpty() && !sync.equals("git") && !sync.equals("upload")) {
            throw new IllegalArgumentException(where() + ": sync must be git or upload (or left out: the code is put there by hand),"
                    + " got '" + sync + "'");
        }
        if (sync.equals("upload") && source.isEmpty()) {
            throw new IllegalArgumentException(where() + ": sync upload needs source, the local folder to copy to workDir"
                    + " (e.g. {name: source, value: jobs})");
        }
        if (sync.isEmpty() && !(repo + commit).isEmpty()) {
            throw new IllegalArgumentException(where() + ": repo and commit are for sync git; add {name: sync, value: git}");
        }
    }

    private void positive(String what, Long v) {
        if (v == null) {
            throw new IllegalArgumentException(where() + ": " + what + " must be a whole number, got ''");
        }
        if (v < 1) {
            throw new IllegalArgumentException(where() + ": " + what + " must be 1 or more, got " + v);
        }
    }

    /** At most this many of the campaign's tasks run at once there: {@code running}, else the capacity. */
    public int runningBudget() {
        return running == null ? capacity : running;
    }

    /** The ms between polls: {@code period}, else {@code kindDefault} (the kind's). */
    public long periodOr(long kindDefault) {
        return period == null ? kindDefault : period;
    }

    /** "routes/campaign.yaml, cluster 'gpu'": where the cluster is declared, for messages. */
    public String where() {
        return where(file, name);
    }

    private static String where(String file, String name) {
        return (file == null || file.isBlank() || file.equals("null") ? "routes" : file) + ", cluster '" + name + "'";
    }

    /** The routes file that declares the cluster. */
    public String routesFile() {
        return file.isBlank() ? "routes" : file;
    }

    /** The ssh alias: host, else the name. */
    public String alias() {
        return host.isBlank() ? name : host;
    }

    /** Scheduler options (Slurm: account, partition, time, mem, gres, extra), the blank ones left out. */
    public Map<String, String> options() {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> keys = List.of("account", "partition", "time", "mem", "gres", "extra");
        List<String> values = new ArrayList<>(List.of(account, partition, time, mem, gres, extra));
        for (int i = 0; i < keys.size(); i++) {
            if (!values.get(i).isBlank()) {
                out.put(keys.get(i), values.get(i));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " (" + kind + ", capacity " + capacity + (running == null ? "" : ", running " + running) + ")";
    }
}
