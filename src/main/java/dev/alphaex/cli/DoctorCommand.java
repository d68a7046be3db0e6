package dev.alphaex.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.campaign.OperatorView;
import dev.alphaex.cluster.Check;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "doctor", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"A preflight of each cluster of the campaign: the ssh alias resolves, the host key is known, the login",
                "works (and whether it asks for a second factor); then on the cluster, in one command that changes nothing:",
                "sbatch/squeue/sacct answer, the Slurm version, MaxArraySize, the submit limit, workDir, the job script, the",
                "results folder (writable), the sweep file and the slim jar. A local cluster gets the same checks here.",
                "The campaign runs the same checks before a cluster's first submission: a cluster that fails one gets no work.",
                "Exit codes: 0 every check passed (warnings allowed); 1 a check failed (each says what to do); 2 bad input."})
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    CampaignOptions options;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster.")
    String cluster;

    @Option(names = "--sync", description = "Also run the clusters' code sync (git checkout or upload) now, as the campaign would.")
    boolean sync;

    @Override
    public Integer call() {
        try (Operator op = new Operator(options)) {
            List<OperatorView.Doctor> doctors = new ArrayList<>();
            for (String name : op.view.select(cluster)) {
                OperatorView.Doctor d = op.view.doctor(name, sync);
                doctors.add(d);
                if (!options.json) {
                    print(d);
                }
            }
            if (options.json) {
                JsonLines.print(json(op.view.name(), doctors));
            }
            return doctors.stream().allMatch(OperatorView.Doctor::ok) ? 0 : 1;
        }
    }

    static void print(OperatorView.Doctor d) {
        System.out.println("cluster " + d.cluster() + " (" + d.kind() + ", transport " + d.transport() + "): "
                + (d.ok() ? "ready" : d.checks().stream().filter(c -> c.status() == Check.Status.FAIL).count() + " check(s) failed"));
        for (Check c : d.checks()) {
            System.out.println("  " + c.line());
        }
    }

    static ObjectNode json(String campaign, List<OperatorView.Doctor> doctors) {
        ObjectNode n = new ObjectMapper().createObjectNode().put("campaign", campaign)
                .put("ok", doctors.stream().allMatch(OperatorView.Doctor::ok));
        ArrayNode cs = n.putArray("clusters");
        for (OperatorView.Doctor d : doctors) {
            cs.add(json(d));
        }
        return n;
    }

    static ObjectNode json(OperatorView.Doctor d) {
        ObjectNode o = new ObjectMapper().createObjectNode().put("name", d.cluster()).put("kind", d.kind())
                .put("transport", d.transport()).put("ok", d.ok());
        ArrayNode checks = o.putArray("checks");
        for (Check c : d.checks()) {
            checks.addObject().put("name", c.name()).put("status", c.status().name()).put("detail", c.detail()).put("fix", c.fix());
        }
        return o;
    }
}
