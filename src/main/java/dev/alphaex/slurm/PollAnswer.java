package dev.alphaex.slurm;

import dev.alphaex.cluster.CommandResult;
import java.util.ArrayList;
import java.util.List;

/** Splits a poll's stdout into its sections: the lines before each {@code @@alphaex:name:rc} marker. */
final class PollAnswer {
    record Section(String name, int exitCode, List<String> lines) {
    }

    private PollAnswer() {
    }

    static List<Section> sections(CommandResult result) {
        List<Section> sections = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String line : result.stdout().split("\\R")) {
            if (line.startsWith(SlurmProtocol.MARK)) {
                String rest = line.substring(SlurmProtocol.MARK.length()).strip();
                int colon = rest.lastIndexOf(':');
                int rc;
                try {
                    rc = Integer.parseInt(rest.substring(colon + 1));
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    rc = -1;
                }
                sections.add(new Section(colon < 0 ? rest : rest.substring(0, colon), rc, List.copyOf(lines)));
                lines.clear();
            } else if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return sections;
    }
}
