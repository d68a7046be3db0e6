package dev.alphaex.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.campaign.LedgerState;
import dev.alphaex.campaign.OperatorRequest;
import dev.alphaex.campaign.OperatorView;
import dev.alphaex.campaign.Phase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

@Command(name = "cancel", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Stops the campaign everywhere: every job carrying its tag is cancelled on every cluster (one scancel",
                "--name per cluster), the ledger records it, and nothing more is submitted. A running controller does it",
                "(it takes the request from <campaign.dir>/requests); with none running, this command does it itself (it",
                "takes the controller lock while it works). Starting the campaign again submits nothing: it says how to",
                "resume (alphaex resume). Tasks that already completed keep their logs.",
                "Exit codes: 0 cancelled on every cluster, nothing of it left queued or running; 1 not everywhere within",
                "--wait (a cluster did not answer: the cancel is kept and sent when it answers); 2 bad input (an unknown",
                "campaign, a campaign that has finished)."})
final class CancelCommand implements Callable<Integer> {
    @Mixin
    CampaignOptions options;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for every cluster to cancel (default ${DEFAULT-VALUE}).")
    long wait;

    @Override
    public Integer call() throws Exception {
        try (Operator op = new Operator(options)) {
            OperatorView view = op.view;
            view.ledger(); // an unknown campaign is an error before anything is asked
            List<String> clusters = view.clusterNames();
            Predicate<LedgerState> done = s -> clusters.stream().noneMatch(s::owesCancel) && active(s) == 0;
            Duration limit = Duration.ofSeconds(wait);
            long t0 = System.nanoTime();
            OperatorRequest request = OperatorRequest.cancel(Operator.requestId("cancel"), Operator.by("cancel"));
            boolean[] settled = {false};
            Changes.Outcome o = Changes.apply(view, request, limit, c -> {
                try {
                    settled[0] = OperatorView.drive(c, limit, done);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            if (o.answer() == null) {
                return Report.noAnswer(options.json, "cancel", view);
            }
            if (!o.answer().ok()) {
                return Report.refused(options.json, "cancel", o.answer());
            }
            if (o.byController()) { // the controller works: follow it in its ledger
                long end = t0 + limit.toNanos();
                while (!(settled[0] = done.test(view.ledger())) && System.nanoTime() < end) {
                    Thread.sleep(500);
                }
            }
            LedgerState s = view.ledger();
            ObjectNode n = Report.answer("cancel", o).put("complete", settled[0]).put("active", active(s));
            ArrayNode cs = n.putArray("clusters");
            for (String c : clusters) {
                cs.addObject().put("name", c).put("cancelled", !s.owesCancel(c))
                        .put("active", s.counts(c).get(Phase.QUEUED) + s.counts(c).get(Phase.RUNNING) + s.counts(c).get(Phase.SUBMITTING));
            }
            if (options.json) {
                JsonLines.print(n);
            } else {
                System.out.println("campaign " + view.name() + " " + o.answer().message());
                for (String c : clusters) {
                    System.out.println("  cluster " + c + ": " + (s.owesCancel(c) ? "NOT cancelled yet (it did not answer; the cancel is"
                            + " sent again at its next poll)" : "its jobs cancelled") + "; " + (s.counts(c).get(Phase.QUEUED)
                            + s.counts(c).get(Phase.RUNNING) + s.counts(c).get(Phase.SUBMITTING)) + " task(s) still queued or running there");
                }
                System.out.println(settled[0] ? "nothing of the campaign is queued or running any more"
                        : "not finished within " + wait + " s: alphaex status shows where it stands; alphaex cancel again sends it again");
            }
            return settled[0] ? 0 : 1;
        }
    }

    static int active(LedgerState s) {
        return s.count(Phase.SUBMITTING) + s.count(Phase.QUEUED) + s.count(Phase.RUNNING);
    }

}
