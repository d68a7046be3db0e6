package dev.alphaex.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.campaign.DryRun;
import dev.alphaex.campaign.OperatorView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "plan", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"The dry run: what the first poll of each cluster would submit now, with the exact sbatch command",
                "lines, each cluster's budget (capacity, its tasks there, free slots, tasks per submission, MaxArraySize, the",
                "submit limit), the number of indices, and each cluster's doctor. Nothing is submitted and the ledger is not",
                "touched (before the first start there is none: the plan is the configuration's).",
                "Exit codes: 0 every cluster passed its doctor; 1 a cluster failed (it would get nothing); 2 bad input."})
final class PlanCommand implements Callable<Integer> {
    @Mixin
    CampaignOptions options;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster.")
    String cluster;

    @Override
    public Integer call() {
        try (Operator op = new Operator(options)) {
            Map<String, OperatorView.Doctor> doctors = new LinkedHashMap<>();
            for (String name : op.view.select(cluster)) {
                doctors.put(name, op.view.doctor(name, false));
            }
            DryRun plan = op.view.plan(doctors);
            if (options.json) {
                ObjectNode n = plan.json();
                ArrayNode ds = n.putArray("doctor");
                doctors.values().forEach(d -> ds.add(DoctorCommand.json(d)));
                JsonLines.print(n);
            } else {
                doctors.values().forEach(DoctorCommand::print);
                System.out.print(plan.text());
            }
            return plan.ok() ? 0 : 1;
        }
    }
}
