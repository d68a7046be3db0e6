package dev.alphaex.plot.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the input of the rliable reference computation ({@code src/test/resources/rliable/cases.json}):
 * scores, and the bootstrap resamples as run indices, drawn by the production {@link Resampler}
 * with each case's seed, so the Python script resamples exactly as the Java code does.
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.plot.stats.RliableFixture
 * python3 src/test/python/rliable_reference.py src/test/resources/rliable/cases.json &gt; src/test/resources/rliable/expected.json
 * </pre>
 */
public final class RliableFixture {
    static final int RESAMPLES = 300;

    private RliableFixture() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode cases = root.putArray("cases");
        // runs x tasks as in rliable (rectangular), with ties across X and Y (values on a 0.25 grid)
        cases.add(make(json, "rectangular-10-runs-5-tasks-with-ties", new int[]{10, 10, 10, 10, 10},
                new int[]{10, 10, 10, 10, 10}, 0.25, 11));
        // ragged: tasks with different numbers of runs (a campaign still running)
        cases.add(make(json, "ragged-3-7-12-runs", new int[]{3, 7, 12}, new int[]{5, 2, 9}, 0, 12));
        // one task (no task key): an odd number of runs, so int(0.25 n) truncates
        cases.add(make(json, "one-task-37-runs", new int[]{37}, new int[]{30}, 0, 13));
        // a run count where 0.25 n is whole, and every Y run equal to an X run (P = 0.5 on the data)
        cases.add(make(json, "one-task-8-runs-identical", new int[]{8}, new int[]{8}, 1, 14));
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/rliable/cases.json");
        Files.writeString(out, json.writeValueAsString(root) + "\n");
        System.out.println("wrote " + out);
    }

    private static ObjectNode make(ObjectMapper json, String name, int[] xRuns, int[] yRuns, double grid, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 7919);
        ObjectNode c = json.createObjectNode();
        c.put("name", name).put("seed", seed).put("resamples", RESAMPLES).put("confidence", 0.95).put("gamma", 1.0);
        ArrayNode taus = c.putArray("taus");
        for (double tau : new double[]{-1, 0, 0.25, 0.5, 1, 1.5, 3}) {
            taus.add(tau);
        }
        double[][] x = scores(rnd, xRuns, 0.6, grid);
        double[][] y = grid == 1 ? x : scores(rnd, yRuns, 0.4, grid);
        c.set("x", json.valueToTree(x));
        c.set("y", json.valueToTree(y));
        int[] both = new int[x.length + y.length];
        for (int t = 0; t < x.length; t++) {
            both[t] = x[t].length;
            both[x.length + t] = y[t].length;
        }
        c.set("xIndices", json.valueToTree(Resampler.indices(Scores.of(x).strata(), seed, RESAMPLES)));
        c.set("pairIndices", json.valueToTree(Resampler.indices(both, seed, RESAMPLES)));
        return c;
    }

    private static double[][] scores(SplittableRandom rnd, int[] runs, double mean, double grid) {
        double[][] s = new double[runs.length][];
        for (int t = 0; t < runs.length; t++) {
            s[t] = new double[runs[t]];
            double taskScale = 0.5 + t;
            for (int r = 0; r < runs[t]; r++) {
                double v = (mean + rnd.nextGaussian() * 0.7) * taskScale;
                s[t][r] = grid > 0 && grid < 1 ? Math.rint(v / grid) * grid : grid == 1 ? Math.rint(v * 4) / 4 : v;
            }
        }
        return s;
    }
}
