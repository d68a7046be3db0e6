package dev.alphaex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.campaign.StatusReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Iterator;
import java.util.concurrent.Callable;

@Command(name = "status", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Where a campaign stands: per cluster its tasks running, queued, completed and failed and its state",
                "(as the running controller last saw it), the totals and the rate, and every failed task with its outcome, exit",
                "code, reason, attempts, cluster and where its stdout/stderr are. Reads the ledger only: it never takes the",
                "controller's lock and works while a controller runs and after.",
                "Exit codes: 0 shown; 2 bad input (an unknown campaign or cluster, a bad configuration)."})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    CampaignOptions options;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster (as the routes file names it).")
    String cluster;

    @Option(names = "--all", description = "List every failed task (default: the first 20; --json lists them all).")
    boolean all;

    @Override
    public Integer call() throws Exception {
        try (Operator op = new Operator(options)) {
            op.view.select(cluster); // a name the routes file does not declare is an error
            StatusReport report = op.view.status();
            ObjectNode json = report.json();
            if (cluster != null) {
                keep(json.withArray("clusters"), "name");
                keep(json.withArray("failedTasks"), "cluster");
            }
            if (options.json) {
                try (JsonLines out = new JsonLines(System.out)) {
                    out.write(json);
                }
            } else {
                System.out.print(report.text(all ? Integer.MAX_VALUE : 20));
            }
        }
        return 0;
    }

    private void keep(ArrayNode array, String field) {
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            if (!cluster.equals(it.next().path(field).asText())) {
                it.remove();
            }
        }
    }
}
