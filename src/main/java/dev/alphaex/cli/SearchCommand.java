package dev.alphaex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alphaex.sweep.Constraints;
import dev.alphaex.sweep.Match;
import dev.alphaex.sweep.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "search", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print, as a JSON array like AlphaEx's search, every configuration that has the given values,",
                "each with the indices of its runs (ids). Keys the sweep does not have are ignored, as in AlphaEx."})
final class SearchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The sweep file (.json, or .yaml/.yml).")
    Path file;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE",
            description = "Constraints; VALUE is read as JSON when it parses (0.1, true, [64,64], null), else as a string.")
    List<String> words;

    @Option(names = "--json", paramLabel = "OBJECT", description = "Constraints as one JSON object, e.g. '{\"lr\": 0.1}'.")
    String json;

    @Option(names = "--runs", defaultValue = "1", paramLabel = "R", description = "Runs (seeds) per configuration (default ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws IOException {
        if (json != null && words != null && !words.isEmpty()) {
            throw new IllegalArgumentException("give either KEY=VALUE words or --json, not both");
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be 1 or more, got " + runs);
        }
        Map<String, JsonNode> constraints = json != null ? Constraints.parseJson(json)
                : Constraints.parseWords(words == null ? List.of() : words);
        Sweep sweep = Sweep.load(file);
        List<Match> matches = sweep.search(constraints, runs);
        try (JsonLines out = new JsonLines(System.out)) {
            out.raw("[");
            for (int i = 0; i < matches.size(); i++) {
                out.raw(i == 0 ? "\n" : ",\n");
                out.value(matches.get(i).toJson());
            }
            out.raw(matches.isEmpty() ? "]\n" : "\n]\n");
        }
        return 0;
    }
}
