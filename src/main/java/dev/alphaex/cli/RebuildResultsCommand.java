package dev.alphaex.cli;

import dev.alphaex.merge.MergeStore;
import dev.alphaex.sweep.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "rebuild-results", sortOptions = false,
        description = {"Build the results store (results.db, merged.csv, summaries) again from the logs in the",
                "inbox's done/ folder: after a log there was replaced, or when the store is damaged. The current",
                "results.db is moved into set-aside-<time>/, merged.csv and summaries/ into replaced-<time>/;",
                "nothing is deleted. Refused while a campaign merges into the folder. Use the campaign's values:",
                "campaign.sweep, campaign.runs, campaign.inbox, results.dir (and merge.stepColumn, merge.columns)."})
final class RebuildResultsCommand implements Callable<Integer> {
    @Option(names = "--sweep", required = true, paramLabel = "FILE", description = "The sweep file (campaign.sweep).")
    Path sweep;

    @Option(names = "--runs", defaultValue = "0", paramLabel = "R", description = "Runs per configuration (campaign.runs; 0: not bounded).")
    long runs;

    @Option(names = "--inbox", required = true, paramLabel = "DIR", description = "The campaign's inbox (campaign.inbox).")
    Path inbox;

    @Option(names = "--results", required = true, paramLabel = "DIR", description = "The results folder (results.dir).")
    Path results;

    @Option(names = "--step-column", defaultValue = "step", paramLabel = "NAME", description = "merge.stepColumn (default ${DEFAULT-VALUE}).")
    String stepColumn;

    @Option(names = "--columns", paramLabel = "A,B", description = "merge.columns, when the campaign sets it.")
    String columns;

    @Override
    public Integer call() throws IOException {
        if (runs < 0) {
            throw new IllegalArgumentException("--runs must be 0 or more, got " + runs);
        }
        MergeStore.Options options = new MergeStore.Options().runs(runs).stepColumn(stepColumn).inbox(inbox);
        if (columns != null && !columns.isBlank()) {
            options.columns(Arrays.stream(columns.split(",")).map(String::trim).toList());
        }
        MergeStore.Rebuilt rebuilt = MergeStore.rebuild(results, Sweep.load(sweep), options);
        try (MergeStore store = rebuilt.store()) {
            System.out.println("results store " + results + " rebuilt: " + store.size() + " runs from "
                    + inbox.resolve("done") + (rebuilt.setAside() == null ? "" : "; the previous results.db is in "
                    + rebuilt.setAside()));
        }
        return 0;
    }
}
