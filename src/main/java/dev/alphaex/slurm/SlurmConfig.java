package dev.alphaex.slurm;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the {@code Key = Value} lines of {@code scontrol show config}. */
final class SlurmConfig {
    private SlurmConfig() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> config = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (!key.isEmpty() && key.indexOf(' ') < 0) {
                config.putIfAbsent(key, line.substring(eq + 1).strip());
            }
        }
        return config;
    }
}
