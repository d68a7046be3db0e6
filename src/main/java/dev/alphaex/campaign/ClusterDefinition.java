package dev.alphaex.campaign;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cluster as its {@code templatedRoute} declares it. The route template creates one of these
 * per cluster as a template-local bean and calls {@link #register()} while the route is created,
 * so a bad definition stops start-up (or a routes reload) with an error that names the routes
 * file and the cluster. The setters take text because they receive template parameters;
 * {@link #register()} checks them.
 */
public final class ClusterDefinition {
    private Campaign campaign;
    private String file = "";
    private String name;
    private String kind;
    private String capacity;
    private String period = "2000";
    private String host = "";
    private String workDir = "";
    private String script = "";
    private String results = "";
    private String sweep = "";
    private String maxTasks = "1000";
    private final Map<String, String> options = new LinkedHashMap<>();

    int capacityValue;
    long periodMillis;
    int maxTasksValue;

    public void setCampaign(Campaign campaign) {
        this.campaign = campaign;
    }

    /** The routes file that declares the cluster (for error messages). */
    public void setFile(String file) {
        this.file = file;
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public void setCapacity(String capacity) {
        this.capacity = capacity;
    }

    public void setPeriod(String period) {
        this.period = period;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public void setWorkDir(String workDir) {
        this.workDir = workDir;
    }

    public void setScript(String script) {
        this.script = script;
    }

    public void setResults(String results) {
        this.results = results;
    }

    public void setSweep(String sweep) {
        this.sweep = sweep;
    }

    public void setMaxTasks(String maxTasks) {
        this.maxTasks = maxTasks;
    }

    /** Scheduler options (Slurm: account, partition, time, mem, gres, extra); blank ones are ignored. */
    public void setAccount(String v) {
        option("account", v);
    }

    public void setPartition(String v) {
        option("partition", v);
    }

    public void setTime(String v) {
        option("time", v);
    }

    public void setMem(String v) {
        option("mem", v);
    }

    public void setGres(String v) {
        option("gres", v);
    }

    public void setExtra(String v) {
        option("extra", v);
    }

    private void option(String key, String v) {
        if (v != null && !v.isBlank()) {
            options.put(key, v.trim());
        }
    }

    /** Checks the definition and registers the cluster with the campaign. */
    public void register() {
        if (campaign == null) {
            throw new IllegalStateException(where() + ": no campaign bean");
        }
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(where() + ": name must be letters, digits, '_', '-' or '.', got '" + name + "'");
        }
        capacityValue = positive("capacity", capacity);
        periodMillis = positive("period", period);
        maxTasksValue = positive("maxTasks", maxTasks);
        campaign.register(this);
    }

    /** Called when the cluster's route is removed (routes reload): the campaign stops polling it. */
    public void unregister() {
        if (campaign != null && name != null) {
            campaign.unregister(this);
        }
    }

    private int positive(String what, String text) {
        int v;
        try {
            v = Integer.parseInt(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where() + ": " + what + " must be a whole number, got '" + text + "'");
        }
        if (v < 1) {
            throw new IllegalArgumentException(where() + ": " + what + " must be 1 or more, got " + v);
        }
        return v;
    }

    /** The routes file that declares the cluster. */
    String file() {
        return file.isBlank() ? "routes" : file;
    }

    String where() {
        return (file.isBlank() ? "routes" : file) + ", cluster '" + name + "'";
    }

    public String name() {
        return name;
    }

    public String kind() {
        return kind == null ? "" : kind.trim();
    }

    public String host() {
        return host.isBlank() ? name : host.trim();
    }

    String workDir() {
        return workDir;
    }

    String script() {
        return script;
    }

    String results() {
        return results;
    }

    String sweep() {
        return sweep;
    }

    Map<String, String> options() {
        return options;
    }

    @Override
    public String toString() {
        return name + " (" + kind + ", capacity " + capacity + ")";
    }
}
