package dev.alphaex.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterInfo;
import dev.alphaex.cluster.ClusterProtocol;
import dev.alphaex.cluster.ClusterSnapshot;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.PollRequest;
import dev.alphaex.cluster.SubmitRequest;
import dev.alphaex.cluster.TakeBackReport;
import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The local cluster's commands: small JSON requests that {@link LocalClusters#exec} answers with
 * JSON, so the local kind travels the same route steps (command out, result back) as Slurm.
 */
public final class LocalProtocol implements ClusterProtocol {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Local task ids have no practical limit. */
    static final long MAX_ARRAY_INDEX = 1_000_000_000L;

    private final int slots;

    /** @param slots how many tasks run at a time (the cluster's running limit) */
    public LocalProtocol(int slots) {
        this.slots = slots;
    }

    @Override
    public String infoCommand() {
        return JSON.createObjectNode().put("op", "info").put("slots", slots).toString();
    }

    @Override
    public ClusterInfo parseInfo(CommandResult result) throws ClusterException {
        JsonNode n = answer(result);
        return new ClusterInfo(n.path("maxArrayIndex").asLong(MAX_ARRAY_INDEX), n.path("description").asText("local"));
    }

    @Override
    public String pollCommand(PollRequest request) {
        ObjectNode n = JSON.createObjectNode().put("op", "poll").put("tag", request.tag()).put("byTag", request.byTag());
        if (request.facts()) {
            n.put("facts", true).put("slots", slots);
        }
        request.accountJobs().forEach(n.putArray("jobs")::add);
        return n.toString();
    }

    @Override
    public ClusterSnapshot parsePoll(PollRequest request, CommandResult result) throws ClusterException {
        JsonNode n = answer(result);
        List<TaskReport> tasks = new ArrayList<>();
        for (JsonNode t : n.path("tasks")) {
            tasks.add(new TaskReport(t.get("job").asText(), t.get("task").asLong(), TaskState.parse(t.get("state").asText()),
                    t.hasNonNull("exit") ? t.get("exit").asInt() : null, t.path("reason").asText("")));
        }
        JsonNode facts = n.path("facts");
        ClusterInfo info = facts.isObject() ? new ClusterInfo(facts.path("maxArrayIndex").asLong(MAX_ARRAY_INDEX),
                facts.path("description").asText("local")) : null;
        return new ClusterSnapshot(tasks, info);
    }

    @Override
    public String submitCommand(SubmitRequest r) {
        ObjectNode n = JSON.createObjectNode().put("op", "submit").put("slots", slots).put("tag", r.tag()).put("base", r.base())
                .put("array", r.array()).put("script", r.script()).put("workDir", r.workDir());
        r.args().forEach(n.putArray("args")::add);
        ObjectNode env = n.putObject("env");
        r.env().forEach(env::put);
        return n.toString();
    }

    @Override
    public String parseSubmit(SubmitRequest request, CommandResult result) throws ClusterException {
        return answer(result).get("job").asText();
    }

    @Override
    public String cancelCommand(String tag) {
        return JSON.createObjectNode().put("op", "cancel").put("tag", tag).toString();
    }

    @Override
    public void parseCancel(String tag, CommandResult result) throws ClusterException {
        answer(result);
    }

    /** Takes queued tasks of the job out of the local queue; a task that has started keeps running. */
    @Override
    public String takeBackCommand(String jobId, Collection<Long> taskIds) {
        ObjectNode n = JSON.createObjectNode().put("op", "takeback").put("job", jobId);
        taskIds.forEach(n.putArray("tasks")::add);
        return n.toString();
    }

    @Override
    public TakeBackReport parseTakeBack(String jobId, Collection<Long> taskIds, CommandResult result) throws ClusterException {
        JsonNode n = answer(result);
        SortedSet<Long> taken = new TreeSet<>();
        n.path("takenBack").forEach(t -> taken.add(t.asLong()));
        SortedMap<Long, TaskState> started = new TreeMap<>();
        n.path("started").fields().forEachRemaining(e -> started.put(Long.parseLong(e.getKey()), TaskState.parse(e.getValue().asText())));
        SortedSet<Long> notFound = new TreeSet<>();
        n.path("notFound").forEach(t -> notFound.add(t.asLong()));
        return new TakeBackReport(jobId, taken, started, new TreeSet<>(), notFound, List.of());
    }

    private static JsonNode answer(CommandResult result) throws ClusterException {
        if (result.exitCode() != 0) {
            throw new ClusterException(ClusterException.Kind.REJECTED, "local cluster: " + result.stderr().trim());
        }
        try {
            return JSON.readTree(result.stdout());
        } catch (JsonProcessingException e) {
            throw new ClusterException(ClusterException.Kind.REJECTED, "local cluster: unreadable answer: " + e.getOriginalMessage());
        }
    }
}
