package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.cluster.ArrayRanges;
import dev.alphaex.cluster.Check;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.SubmitRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code alphaex plan}: what the first poll of each cluster would submit, with the exact command lines, from the ledger
 * as it is (or the configuration, before the first start) and each cluster's preflight; nothing is submitted and the
 * ledger is not touched (read only, or not there at all). The clusters take the lowest pending indices in the routes
 * file's order, as their first polls would from the shared queue; each one's submissions are split as the controller
 * splits them ({@link Planner}, {@link JobRequest}), so the lines are the ones it would send.
 */
public final class DryRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One submission: its array, indices, and the command the cluster would get. */
    public record Submission(String array, long base, int tasks, String resources, String command) {
    }

    /** One cluster: its budget, its preflight's verdict, its submissions. */
    public record ClusterPlan(String name, String kind, int capacity, int occupying, int free, int maxTasks, Long maxArraySize,
                              String limit, boolean ready, String why, List<Submission> submissions) {
        public int tasks() {
            return submissions.stream().mapToInt(Submission::tasks).sum();
        }
    }

    private final String campaign;
    private final String tag;
    private final boolean started;
    private final long total;
    private final long pending;
    private final String cancelled;
    private final List<ClusterPlan> clusters;

    private DryRun(String campaign, String tag, boolean started, long total, long pending, String cancelled, List<ClusterPlan> clusters) {
        this.campaign = campaign;
        this.tag = tag;
        this.started = started;
        this.total = total;
        this.pending = pending;
        this.cancelled = cancelled;
        this.clusters = List.copyOf(clusters);
    }

    static DryRun of(CampaignConfig config, LedgerState ledger, Map<String, ClusterRuntime> declared, Map<String, OperatorView.Doctor> doctors) {
        LedgerState s = ledger;
        boolean started = s != null;
        if (s == null) { // not started yet: the configuration's indices, all pending, under the tag's form
            s = new LedgerState("(no ledger yet)");
            s.apply(new LedgerEvent.Open(LedgerEvent.VERSION, config.settings.name(), "ax-" + config.settings.name().toLowerCase(
                    java.util.Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_") + "-NEWTAG", java.time.Instant.now().toString(),
                    ArrayRanges.compress(config.indices)));
        }
        Set<Long> taken = new HashSet<>();
        List<ClusterPlan> out = new ArrayList<>();
        for (ClusterRuntime rt : declared.values()) {
            if (!doctors.containsKey(rt.name())) {
                continue;
            }
            out.add(plan(config, s, rt, doctors.get(rt.name()), taken));
        }
        LedgerEvent.Cancel c = s.cancelled();
        return new DryRun(config.settings.name(), s.tag(), started, s.size(), s.count(Phase.PENDING), c == null ? null : c.at(), out);
    }

    private static ClusterPlan plan(CampaignConfig config, LedgerState s, ClusterRuntime rt, OperatorView.Doctor doctor, Set<Long> taken) {
        ClusterInfo info = doctor.preflight() == null ? null : doctor.preflight().info();
        String limit = doctor.checks().stream().filter(ch -> ch.name().equals("limit")).map(Check::detail).findFirst().orElse(null);
        int occupying = s.occupying(rt.name());
        int free = Math.max(0, rt.def.capacity() - occupying);
        String why = null;
        if (!doctor.ok()) {
            why = "its preflight failed: " + String.join(" | ", doctor.checks().stream().filter(ch -> ch.status() == Check.Status.FAIL)
                    .map(ch -> ch.name() + ": " + ch.detail()).toList());
        } else if (info == null) {
            why = "its largest array index is unknown (its preflight read no facts)";
        } else if (s.cancelled() != null) {
            why = "the campaign is cancelled (alphaex resume goes on)";
        } else if (s.submissions().stream().anyMatch(sub -> sub.cluster.equals(rt.name()) && sub.open())) {
            why = "a submission's fate is unknown: its first poll looks the campaign's jobs up by tag, and submits at the next";
        }
        List<Submission> subs = new ArrayList<>();
        if (why == null) {
            long[] head = pendingHead(s, free, taken);
            // as the controller plans a cluster that answered (Planning), from the ledger alone: no take-backs
            Planner.Snapshot view = new Planner.Snapshot(true, true, false, rt.protocol.throttles(), rt.def.capacity(),
                    rt.def.runningBudget(), Planning.arrays(s, rt.name(), 0, Long.MAX_VALUE, false), head, head.length == 0, 0,
                    info.maxArrayIndex(), rt.def.maxTasks());
            List<Planner.Submission> planned = new ArrayList<>();
            for (Planner.Submission sub : Planner.plan(view).submissions()) {
                planned.addAll(JobRequest.byResources(sub, s, rt.name(), info.maxArrayIndex(), rt.def.maxTasks()));
            }
            for (Planner.Submission sub : planned) {
                ArrayRanges.Chunk c = sub.chunk();
                Resources with = JobRequest.resources(s, c, rt.name());
                SubmitRequest r = JobRequest.of(config, s.tag(), c, rt.paths, with.options(rt.name(), rt.def.options()), sub.throttle());
                subs.add(new Submission(c.array(), c.base(), c.indices().length, with.isNone() ? null : with.toString(),
                        rt.protocol.submitCommand(r)));
                for (long i : c.indices()) {
                    taken.add(i);
                }
            }
        }
        return new ClusterPlan(rt.name(), rt.def.kind(), rt.def.capacity(), occupying, free, rt.def.maxTasks(),
                info == null ? null : info.maxArrayIndex() + 1, limit, doctor.ok(), why, subs);
    }

    private static long[] pendingHead(LedgerState s, int n, Set<Long> taken) {
        long[] head = s.pendingHead(n + taken.size());
        return java.util.Arrays.stream(head).filter(i -> !taken.contains(i)).limit(n).toArray();
    }

    public List<ClusterPlan> clusters() {
        return clusters;
    }

    /** Every cluster passed its preflight. */
    public boolean ok() {
        return clusters.stream().allMatch(ClusterPlan::ready);
    }

    public ObjectNode json() {
        ObjectNode n = JSON.createObjectNode().put("campaign", campaign).put("tag", started ? tag : null).put("started", started)
                .put("total", total).put("pending", pending).put("cancelled", cancelled);
        long planned = 0;
        ArrayNode cs = n.putArray("clusters");
        for (ClusterPlan c : clusters) {
            ObjectNode o = cs.addObject().put("name", c.name()).put("kind", c.kind()).put("ready", c.ready()).put("why", c.why())
                    .put("capacity", c.capacity()).put("occupying", c.occupying()).put("free", c.free()).put("maxTasks", c.maxTasks())
                    .put("maxArraySize", c.maxArraySize()).put("submitLimit", c.limit()).put("tasks", c.tasks());
            ArrayNode subs = o.putArray("submissions");
            for (Submission sub : c.submissions()) {
                subs.addObject().put("array", sub.array()).put("base", sub.base()).put("tasks", sub.tasks())
                        .put("resources", sub.resources()).put("command", sub.command());
            }
            planned += c.tasks();
        }
        n.put("planned", planned).put("leftPending", pending - planned);
        return n;
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("plan for campaign ").append(campaign).append(started ? " (tag " + tag + ")" : " (not started yet: its tag is chosen"
                + " at the first start; NEWTAG stands for it)").append(": ").append(total).append(" indices, ").append(pending)
                .append(" pending").append(cancelled == null ? "" : "; CANCELLED at " + cancelled).append('\n');
        long planned = 0;
        for (ClusterPlan c : clusters) {
            sb.append("cluster ").append(c.name()).append(" (").append(c.kind()).append("): capacity ").append(c.capacity()).append(", ")
                    .append(c.occupying()).append(" of the campaign's tasks there, ").append(c.free()).append(" free; at most ")
                    .append(c.maxTasks()).append(" tasks per submission")
                    .append(c.maxArraySize() == null ? "" : "; MaxArraySize " + c.maxArraySize())
                    .append(c.limit() == null ? "" : "; " + c.limit()).append('\n');
            if (c.why() != null) {
                sb.append("  nothing: ").append(c.why()).append('\n');
            }
            for (Submission sub : c.submissions()) {
                sb.append("  ").append(sub.tasks()).append(" task(s), array ").append(sub.array())
                        .append(sub.base() == 0 ? "" : " + base " + sub.base())
                        .append(sub.resources() == null ? "" : " with " + sub.resources()).append(":\n    ").append(sub.command()).append('\n');
            }
            planned += c.tasks();
        }
        sb.append(planned).append(" task(s) would go out at the first polls; ").append(pending - planned)
                .append(" stay pending for later polls. Nothing was submitted.\n");
        return sb.toString();
    }
}
