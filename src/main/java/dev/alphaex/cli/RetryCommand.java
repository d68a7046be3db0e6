package dev.alphaex.cli;

import dev.alphaex.campaign.OperatorRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "retry", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Puts failed tasks back to pending with fresh attempts (campaign.maxAttempts counts again), recorded",
                "in the ledger: all of them (--all), those with given outcomes (--outcome), or given indices (--indices);",
                "optionally with more memory or time for their next attempts (--mem, --time: a value, or x2 for twice what",
                "their last attempt had). A running controller picks them up at its next polls; with none running, the next",
                "start does.",
                "Exit codes: 0 done; 1 the running controller did not answer within --wait; 2 bad input (an unknown",
                "campaign, indices outside it, no failed task selected, a cancelled campaign)."})
final class RetryCommand implements Callable<Integer> {
    @Mixin
    CampaignOptions options;

    @Option(names = "--all", description = "Every failed task.")
    boolean all;

    @Option(names = "--outcome", split = ",", paramLabel = "OUTCOME", description = "Only failed tasks with these outcomes, e.g. TIMEOUT,OUT_OF_MEMORY.")
    List<String> outcomes;

    @Option(names = "--indices", paramLabel = "RANGES", description = "Only these indices, e.g. 0-9,15 (each must be in the campaign).")
    String indices;

    @Option(names = "--mem", paramLabel = "SIZE|x2", description = "Memory of the next attempts (sbatch --mem), or x2.")
    String mem;

    @Option(names = "--time", paramLabel = "TIME|x2", description = "Time of the next attempts (sbatch --time), or x2.")
    String time;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "30", description = "How long to wait for a running controller's answer (default ${DEFAULT-VALUE}).")
    long wait;

    @Override
    public Integer call() throws Exception {
        if (!all && outcomes == null && indices == null) {
            throw new IllegalArgumentException("say which failed tasks: --all, --outcome OUTCOME[,OUTCOME] or --indices RANGES");
        }
        try (Operator op = new Operator(options)) {
            op.view.ledger();
            OperatorRequest r = OperatorRequest.retry(Operator.requestId("retry"), Operator.by("retry"), indices, outcomes, mem, time);
            Changes.Outcome o = Changes.apply(op.view, r, Duration.ofSeconds(wait), c -> { });
            if (o.answer() == null) {
                return Report.noAnswer(options.json, "retry", op.view);
            }
            return o.answer().ok() ? Report.done(options.json, "retry", o, op.view.name()) : Report.refused(options.json, "retry", o.answer());
        }
    }
}
