package dev.alphaex.cli;

import dev.alphaex.campaign.OperatorRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "resume", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Goes on with a cancelled campaign: the tasks the cancel stopped are pending again with fresh attempts,",
                "and the pending ones are submitted again (by the running controller at its next polls, else at the next",
                "start). Recorded in the ledger.",
                "Exit codes: 0 resumed; 1 the running controller did not answer within --wait; 2 bad input (an unknown",
                "campaign, a campaign that is not cancelled)."})
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    CampaignOptions options;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "30", description = "How long to wait for a running controller's answer (default ${DEFAULT-VALUE}).")
    long wait;

    @Override
    public Integer call() throws Exception {
        try (Operator op = new Operator(options)) {
            op.view.ledger();
            OperatorRequest r = OperatorRequest.resume(Operator.requestId("resume"), Operator.by("resume"));
            Changes.Outcome o = Changes.apply(op.view, r, Duration.ofSeconds(wait), c -> { });
            if (o.answer() == null) {
                return Report.noAnswer(options.json, "resume", op.view);
            }
            return o.answer().ok() ? Report.done(options.json, "resume", o, op.view.name()) : Report.refused(options.json, "resume", o.answer());
        }
    }
}
