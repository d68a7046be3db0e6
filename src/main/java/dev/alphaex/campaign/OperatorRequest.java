package dev.alphaex.campaign;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What an operator's command asks of a campaign ({@code alphaex cancel}, {@code retry}, {@code resume}), as one JSON
 * file in {@code <campaign.dir>/requests} while a controller runs, or applied at once by the command itself when none
 * runs ({@link Campaign#request}).
 *
 * @param id       names the request and its answer (requests/answers/&lt;id&gt;.json)
 * @param op       cancel, retry or resume
 * @param by       who asked (user, host, pid), recorded in the ledger
 * @param indices  retry: index ranges ("0-9,15"), or null for every failed task
 * @param outcomes retry: only failed tasks with one of these outcomes (TIMEOUT, OUT_OF_MEMORY, FAILED, ...), or null
 * @param mem      retry: the memory of the next attempts: a size ("8G"), or "x2" (twice what the last attempt had)
 * @param time     retry: the time of the next attempts: a Slurm time ("2:00:00"), or "x2"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperatorRequest(String id, String op, String by, String indices, List<String> outcomes, String mem, String time) {
    public static OperatorRequest cancel(String id, String by) {
        return new OperatorRequest(id, "cancel", by, null, null, null, null);
    }

    public static OperatorRequest resume(String id, String by) {
        return new OperatorRequest(id, "resume", by, null, null, null, null);
    }

    public static OperatorRequest retry(String id, String by, String indices, List<String> outcomes, String mem, String time) {
        return new OperatorRequest(id, "retry", by, indices, outcomes, mem, time);
    }
}
