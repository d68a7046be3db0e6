package dev.alphaex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.alphaex.sweep.Configuration;
import dev.alphaex.sweep.Sweep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sweeper figures on one core (a single thread):
 * parse throughput on a 1,000,000-combination sweep and on a 3-level nested sweep, and the time
 * of one search over the 1,000,000 combinations, next to a baseline measured in the same run:
 * AlphaEx's search algorithm (parse every combination and compare) on the same Java sweeper.
 * The reference Python sweeper (AlphaEx) does ~85,000 parses/s and one such search in ~13.7 s.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.bench.SweepBenchmark</pre>
 */
public final class SweepBenchmark {
    static final double PYTHON_PARSES_PER_S = 85_000;
    static final double PYTHON_SEARCH_S = 13.7;

    private SweepBenchmark() {
    }

    static final String MILLION = "{"
            + "\"lr\": [0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001],"
            + "\"batch\": [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096],"
            + "\"optimizer\": [\"sgd\", \"momentum\", \"nesterov\", \"adam\", \"adamw\", \"rmsprop\", \"adagrad\", \"adadelta\", \"lamb\", \"lion\"],"
            + "\"gamma\": [0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99],"
            + "\"hidden\": [16, 32, 48, 64, 96, 128, 192, 256, 384, 512],"
            + "\"env\": [\"cartpole\", \"acrobot\", \"mountaincar\", \"pendulum\", \"lunar\", \"breakout\", \"pong\", \"seaquest\", \"qbert\", \"freeway\"]"
            + "}";

    static final String NESTED = "{"
            + "\"env\": ["
            + "  {\"env\": [\"cartpole\", \"acrobot\"], \"agent\": ["
            + "    {\"agent\": [\"dqn\"], \"lr\": [0.001, 0.0003, 0.0001], \"target\": ["
            + "      {\"target_update\": [100, 500, 1000]},"
            + "      {\"target_update\": [\"soft\"], \"tau\": [0.005, 0.01, 0.05]}],"
            + "     \"hidden\": [64, 128, 256]},"
            + "    {\"agent\": [\"sarsa\"], \"alpha\": [0.1, 0.3, 0.5], \"lambda\": [0.0, 0.5, 0.9], \"tiles\": [8, 16]}]},"
            + "  {\"env\": [\"mountaincar\"], \"agent\": ["
            + "    {\"agent\": [\"sarsa\"], \"alpha\": [0.1, 0.5], \"tiles\": [8, 16, 32]},"
            + "    {\"agent\": [\"dqn\"], \"lr\": [0.001], \"hidden\": [64, 128]}]}],"
            + "\"replay\": [10000, 100000],"
            + "\"seed_block\": [0, 1, 2, 3]"
            + "}";

    public static void main(String[] args) {
        Sweep million = Sweep.parse(MILLION, "million.json", false);
        Sweep nested = Sweep.parse(NESTED, "nested.json", false);
        System.out.printf("sweeper benchmark, one thread, %s%n", System.getProperty("java.vm.name") + " " + Runtime.version());
        System.out.printf("1M sweep: %,d combinations; 3-level nested sweep: %,d combinations%n", million.total(), nested.total());

        // warm up both paths
        parseRate(million, 2_000_000);
        parseRate(nested, 2_000_000);
        double rateMillion = best(() -> parseRate(million, 5_000_000));
        double rateNested = best(() -> parseRate(nested, 5_000_000));
        System.out.printf("parse, 1M sweep:     %,.0f parses/s = %.0f x AlphaEx's ~85,000/s (target >= 50 x)%n",
                rateMillion, rateMillion / PYTHON_PARSES_PER_S);
        System.out.printf("parse, nested sweep: %,.0f parses/s = %.0f x AlphaEx's ~85,000/s (target >= 50 x)%n",
                rateNested, rateNested / PYTHON_PARSES_PER_S);

        Map<String, JsonNode> three = new LinkedHashMap<>();
        three.put("lr", DoubleNode.valueOf(0.01));
        three.put("optimizer", TextNode.valueOf("adam"));
        three.put("env", TextNode.valueOf("pong"));
        Map<String, JsonNode> one = Map.of("hidden", IntNode.valueOf(128));

        for (int i = 0; i < 200; i++) {
            million.search(three, 5);
        }
        double structural = best(() -> time(() -> million.search(three, 5)));
        int matches = million.search(three, 5).size();
        double scan = time(() -> scanSearch(million, three, 5));
        int scanMatches = scanSearch(million, three, 5);
        System.out.printf("search lr=0.01 optimizer=adam env=pong (%,d matches, 5 runs): %.3f ms; "
                        + "AlphaEx's scan of every combination in the same run: %.1f ms (%,d matches) -> %.0f x faster; "
                        + "AlphaEx in Python: ~13.7 s -> %,.0f x (target < 10 ms)%n",
                matches, structural * 1e3, scan * 1e3, scanMatches, scan / structural, PYTHON_SEARCH_S / structural);
        for (int i = 0; i < 5; i++) {
            million.search(one, 1);
        }
        double wide = best(() -> time(() -> million.search(one, 1)));
        System.out.printf("search hidden=128 (%,d matches): %.1f ms (output-bound: one configuration built per match)%n",
                million.search(one, 1).size(), wide * 1e3);
    }

    interface Measure {
        double run();
    }

    /** Median of 5 runs. */
    static double best(Measure m) {
        double[] all = new double[5];
        for (int i = 0; i < all.length; i++) {
            all[i] = m.run();
        }
        java.util.Arrays.sort(all);
        return all[all.length / 2];
    }

    static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static long sink;

    static double parseRate(Sweep s, int n) {
        long t0 = System.nanoTime();
        long acc = 0;
        for (int i = 0; i < n; i++) {
            Configuration c = s.parse(i);
            acc += c.size() + c.value(c.size() - 1).hashCode(); // keep the configuration alive
        }
        sink += acc;
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** AlphaEx's search: parse every combination and compare (here with the Java sweeper). */
    static int scanSearch(Sweep s, Map<String, JsonNode> constraints, int runs) {
        int found = 0;
        for (long i = 0; i < s.total(); i++) {
            Configuration c = s.parse(i);
            boolean ok = true;
            for (Map.Entry<String, JsonNode> e : constraints.entrySet()) {
                JsonNode v = c.get(e.getKey());
                if (v == null || !v.equals(e.getValue())) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                found++;
            }
        }
        return found;
    }
}
