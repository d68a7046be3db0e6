package dev.alphaex.plot.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The RL statistics agree with an independent computation in numpy and scipy
 * ({@code src/test/python/rliable_reference.py}, written from rliable's definitions): the point
 * estimates and the bootstrap intervals, on the same resamples (the fixture holds the run indices
 * the production generator draws), within 1e-12 (relative to the value's size).
 */
class RliableReferenceTest {
    private static final Path CASES = Path.of("src/test/resources/rliable/cases.json");
    private static final Path EXPECTED = Path.of("src/test/resources/rliable/expected.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void estimatesAndIntervalsAgreeWithTheNumpyScipyReference() throws IOException {
        JsonNode cases = JSON.readTree(CASES.toFile()).get("cases");
        JsonNode expected = JSON.readTree(EXPECTED.toFile()).get("cases");
        assertThat(expected.size()).isEqualTo(cases.size()).isGreaterThanOrEqualTo(4);
        for (int i = 0; i < cases.size(); i++) {
            check(cases.get(i), expected.get(i));
        }
    }

    @Test
    void theFixtureResamplesAreTheOnesTheProductionGeneratorDraws() throws IOException {
        for (JsonNode c : JSON.readTree(CASES.toFile()).get("cases")) {
            Scores x = Scores.of(JSON.treeToValue(c.get("x"), double[][].class));
            int[][][] fixture = JSON.treeToValue(c.get("xIndices"), int[][][].class);
            int resamples = c.get("resamples").asInt();
            assertThat(Resampler.indices(x.strata(), c.get("seed").asLong(), resamples)).isDeepEqualTo(fixture);
            Resampler random = Resampler.random(x.strata(), c.get("seed").asLong());
            Resampler given = Resampler.of(x.strata(), fixture);
            int[][] a = random.newCounts();
            int[][] b = given.newCounts();
            for (int k = 0; k < resamples; k++) {
                random.next(a);
                given.next(b);
                assertThat(a).as("resample %d of %s", k, c.get("name").asText()).isDeepEqualTo(b);
            }
        }
    }

    /**
     * Reruns the reference script (python3 with numpy and scipy) and compares its output with the
     * committed fixture, so that a change to the script or the fixture's input cannot go unseen.
     * Skipped where no such python3 exists, except with ALPHAEX_PYTHON_TESTS=required (CI).
     */
    @Test
    void theReferenceScriptStillGivesTheFixture() throws Exception {
        String python = python();
        Path out = Files.createTempFile("rliable-expected", ".json");
        Path err = Files.createTempFile("rliable-expected", ".err");
        try {
            Process p = new ProcessBuilder(python, "src/test/python/rliable_reference.py", CASES.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the reference script did not finish within 120 s");
            }
            assertThat(p.exitValue()).as("exit of the reference script: %s", Files.readString(err)).isZero();
            JsonNode now = JSON.readTree(out.toFile()).get("cases");
            JsonNode committed = JSON.readTree(EXPECTED.toFile()).get("cases");
            assertThat(now.size()).isEqualTo(committed.size());
            for (int i = 0; i < now.size(); i++) {
                compareTrees(now.get(i), committed.get(i), committed.get(i).get("name").asText());
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void compareTrees(JsonNode a, JsonNode b, String where) {
        if (a.isNumber()) {
            close(a.asDouble(), b.asDouble(), where);
        } else if (a.isContainerNode()) {
            assertThat(a.size()).as(where).isEqualTo(b.size());
            if (a.isArray()) {
                for (int i = 0; i < a.size(); i++) {
                    compareTrees(a.get(i), b.get(i), where + "/" + i);
                }
            } else {
                a.fieldNames().forEachRemaining(f -> compareTrees(a.get(f), b.get(f), where + "/" + f));
            }
        } else {
            assertThat(a).as(where).isEqualTo(b);
        }
    }

    private static void check(JsonNode c, JsonNode e) throws IOException {
        String name = c.get("name").asText();
        Scores x = Scores.of(JSON.treeToValue(c.get("x"), double[][].class));
        Scores y = Scores.of(JSON.treeToValue(c.get("y"), double[][].class));
        double gamma = c.get("gamma").asDouble();
        double[] taus = JSON.treeToValue(c.get("taus"), double[].class);
        double confidence = c.get("confidence").asDouble();
        int resamples = c.get("resamples").asInt();
        int[][][] xIndices = JSON.treeToValue(c.get("xIndices"), int[][][].class);

        Bootstrap.Statistic[] stats = {
                k -> Aggregates.iqm(x, k), k -> Aggregates.median(x, k), k -> Aggregates.mean(x, k),
                k -> Aggregates.optimalityGap(x, k, gamma)};
        String[] names = {"iqm", "median", "mean", "optimalityGap"};
        Interval[] got = Bootstrap.intervals(stats, x.once(), Resampler.of(x.strata(), xIndices), resamples, confidence,
                x.size());
        for (int s = 0; s < names.length; s++) {
            JsonNode want = e.get(names[s]);
            close(got[s].estimate(), want.get("estimate").asDouble(), name + " " + names[s]);
            close(got[s].lo(), want.get("interval").get(0).asDouble(), name + " " + names[s] + " lo");
            close(got[s].hi(), want.get("interval").get(1).asDouble(), name + " " + names[s] + " hi");
        }

        Bootstrap.Statistic[] profile = new Bootstrap.Statistic[taus.length];
        for (int t = 0; t < taus.length; t++) {
            int tt = t;
            profile[t] = k -> Aggregates.fractionAbove(x, k, new double[]{taus[tt]})[0];
        }
        Interval[] prof = Bootstrap.intervals(profile, x.once(), Resampler.of(x.strata(), xIndices), resamples,
                confidence, x.size());
        double[] direct = Aggregates.fractionAbove(x, x.once(), taus);
        for (int t = 0; t < taus.length; t++) {
            close(prof[t].estimate(), e.get("profile").get("estimate").get(t).asDouble(), name + " profile " + taus[t]);
            close(direct[t], prof[t].estimate(), name + " profile (all taus at once) " + taus[t]);
            close(prof[t].lo(), e.get("profile").get("lo").get(t).asDouble(), name + " profile lo " + taus[t]);
            close(prof[t].hi(), e.get("profile").get("hi").get(t).asDouble(), name + " profile hi " + taus[t]);
        }

        Improvement poi = new Improvement(x, y);
        Interval p = poi.interval(Resampler.of(poi.strata(), JSON.treeToValue(c.get("pairIndices"), int[][][].class)),
                resamples, confidence);
        JsonNode want = e.get("probabilityOfImprovement");
        close(p.estimate(), want.get("estimate").asDouble(), name + " P(X>Y)");
        close(p.lo(), want.get("interval").get(0).asDouble(), name + " P(X>Y) lo");
        close(p.hi(), want.get("interval").get(1).asDouble(), name + " P(X>Y) hi");
    }

    private static void close(double got, double want, String what) {
        assertThat(Math.abs(got - want)).as("%s: %s against the reference's %s", what, got, want)
                .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(want)));
    }

    /**
     * A python3 that has numpy and scipy: $PYTHON, Debian's /usr/bin/python3, or python3 on the
     * PATH. Without one the test is skipped with the reason, except where
     * ALPHAEX_PYTHON_TESTS=required (CI): there it fails.
     */
    static String python() throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("PYTHON");
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        candidates.add("/usr/bin/python3");
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            candidates.add(new File(dir, "python3").getPath());
        }
        for (String c : candidates) {
            if (!new File(c).canExecute()) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(c, "-c", "import numpy, scipy.stats").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return c;
                }
            } catch (IOException e) {
                // not this one
            }
        }
        String why = "the rliable reference needs python3 with numpy and scipy: `apt-get install python3-numpy "
                + "python3-scipy` (.ci/run does this on CI)";
        if ("required".equals(System.getenv("ALPHAEX_PYTHON_TESTS"))) {
            fail(why);
        }
        org.junit.jupiter.api.Assumptions.abort(why + "; skipped here (ALPHAEX_PYTHON_TESTS=required makes it fail)");
        return null;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
