package dev.alphaex.merge;

import dev.alphaex.sweep.Sweep;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MergeStoreTest {
    @TempDir
    Path dir;
    private MergeStore store;
    private final Sweep bandit = Sweep.parse(BanditLogs.SWEEP, "bandit-sweep.json", false);

    @AfterEach
    void close() throws IOException {
        if (store != null) {
            store.close();
        }
    }

    private MergeStore open(Sweep sweep, MergeStore.Options options) throws IOException {
        if (store != null) {
            store.close();
        }
        store = MergeStore.open(dir, sweep, options);
        return store;
    }

    private MergeResult merge(String name, String text) throws IOException {
        return store.merge(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (CSVParser p = CSVParser.parse(file, StandardCharsets.UTF_8, CSVFormat.DEFAULT.builder().setCommentMarker('#').get())) {
            return p.getRecords();
        }
    }

    @Test
    void mergesALogIntoTheTidyCsvKeepingTheJobsDigits() throws IOException {
        open(bandit, new MergeStore.Options());
        assertThat(merge("4.csv", "step,reward,optimal_action\n1,0.5,0\n2,1.25e0,1\n").kind())
                .isEqualTo(MergeResult.Kind.MERGED);
        assertThat(Files.readString(dir.resolve("merged.csv"))).isEqualTo(
                "index,run,epsilon,step,reward,optimal_action\n"
                        + "4,1,0.01,1,0.5,0\n"
                        + "4,1,0.01,2,1.25e0,1\n");
    }

    @Test
    void summariesAreMeanAndStandardErrorPerConfigurationAndStep() throws IOException {
        open(bandit, new MergeStore.Options());
        merge("0.csv", "step,reward,optimal_action\n1,1,0\n2,2,1\n");
        merge("3.csv", "step,reward,optimal_action\n1,3,1\n2,6,1\n");
        merge("6.csv", "step,reward,optimal_action\n1,5,1\n2,1,0\n");
        merge("1.csv", "step,reward,optimal_action\n1,7,1\n2,7,1\n");
        ConfigSummary greedy = store.snapshot().configurations().get(0);
        assertThat(greedy.configuration().values().get("epsilon").asDouble()).isEqualTo(0.0);
        assertThat(greedy.runs()).isEqualTo(3);
        assertThat(greedy.steps()).containsExactly(1, 2);
        assertThat(greedy.n()).containsExactly(3, 3);
        assertThat(greedy.mean(0)).containsExactly(3, 3);
        // sample sd of 1,3,5 is 2; se = 2/sqrt(3)
        assertThat(greedy.stdErr(0)[0]).isCloseTo(2 / Math.sqrt(3), within(1e-12));
        assertThat(store.snapshot().configurations().get(1).stdErr(0)[0]).isNaN();
    }

    @Test
    void welfordAgreesWithTwoPassStatisticsOnManyRuns() throws IOException {
        open(bandit, new MergeStore.Options().durable(false));
        int runs = 200;
        for (int r = 0; r < runs; r++) {
            store.merge((3 * r + 2) + ".csv", BanditLogs.bytes(3 * r + 2, 50));
        }
        ConfigSummary s = store.snapshot().configurations().get(0);
        double sum = 0;
        double[] x = new double[runs];
        for (int r = 0; r < runs; r++) {
            x[r] = store.readRun(3 * r + 2).values(0)[49];
            sum += x[r];
        }
        double mean = sum / runs;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        assertThat(s.mean(0)[49]).isCloseTo(mean, within(1e-12));
        assertThat(s.stdErr(0)[49]).isCloseTo(Math.sqrt(ss / (runs - 1) / runs), within(1e-12));
    }

    @Test
    void refusesANameThatIsNotAnIndexAndAnIndexOutsideTheCampaign() throws IOException {
        open(bandit, new MergeStore.Options().runs(2));
        MergeResult notIndex = merge("results.csv", "step,reward\n1,2\n");
        assertThat(notIndex.kind()).isEqualTo(MergeResult.Kind.REFUSED);
        assertThat(notIndex.reason()).startsWith("results.csv: the name is not <index>.csv");
        MergeResult outside = merge("6.csv", "step,reward\n1,2\n");
        assertThat(outside.reason()).contains("index 6 is outside the campaign", "3 configurations x 2 runs",
                "from 0 to 5");
        assertThat(merge("5.csv", "step,reward\n1,2\n").kind()).isEqualTo(MergeResult.Kind.MERGED);
    }

    @Test
    void aSecondLogForAnIndexIsRefusedAndTheSameBytesAgainAreARedelivery() throws IOException {
        open(bandit, new MergeStore.Options());
        merge("2.csv", "step,reward\n1,2\n");
        MergeResult again = merge("2.csv", "step,reward\n1,2\n");
        assertThat(again.kind()).isEqualTo(MergeResult.Kind.ALREADY_MERGED);
        MergeResult other = merge("2.csv", "step,reward\n1,3\n");
        assertThat(other.kind()).isEqualTo(MergeResult.Kind.REFUSED);
        assertThat(other.reason()).contains("index 2 was already merged", "this file differs");
        assertThat(store.snapshot().configurations().get(0).mean(0)).containsExactly(2);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void refusesMissingOrExtraColumnsAgainstTheFirstLog() throws IOException {
        open(bandit, new MergeStore.Options());
        merge("0.csv", "step,reward,optimal_action\n1,2,0\n");
        MergeResult missing = merge("1.csv", "step,reward\n1,2\n");
        assertThat(missing.reason()).contains("1.csv:1:", "missing: optimal_action", "fixed by 0.csv");
        MergeResult extra = merge("2.csv", "step,reward,optimal_action,loss\n1,2,0,3\n");
        assertThat(extra.reason()).contains("extra: loss");
        assertThat(merge("4.csv", "optimal_action,step,reward\n1,1,5\n").kind()).isEqualTo(MergeResult.Kind.MERGED);
        assertThat(Files.readString(dir.resolve("merged.csv"))).endsWith("4,1,0.01,1,5,1\n");
    }

    @Test
    void declaredColumnsFixTheSchemaBeforeTheFirstLog() throws IOException {
        open(bandit, new MergeStore.Options().columns(List.of("step", "reward")));
        assertThat(merge("0.csv", "step,loss\n1,2\n").reason()).contains("fixed by the declared columns");
    }

    @Test
    void aBadFileChangesNothing() throws IOException {
        open(bandit, new MergeStore.Options());
        merge("0.csv", "step,reward\n1,2\n");
        long before = Files.size(dir.resolve("merged.csv"));
        MergeResult bad = merge("3.csv", "step,reward\n1,2\n2,x\n");
        assertThat(bad.kind()).isEqualTo(MergeResult.Kind.REFUSED);
        assertThat(bad.line()).isEqualTo(3);
        assertThat(Files.size(dir.resolve("merged.csv"))).isEqualTo(before);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void logsWithoutAStepColumnCountRowsFromOne() throws IOException {
        open(bandit, new MergeStore.Options());
        merge("0.csv", "reward\n5\n6\n");
        assertThat(Files.readString(dir.resolve("merged.csv"))).isEqualTo(
                "index,run,epsilon,step,reward\n0,0,0,1,5\n0,0,0,2,6\n");
    }

    @Test
    void configurationValuesWithCommasQuotesListsAndCollidingKeysReadBackExactly() throws IOException {
        Sweep odd = Sweep.parse("{\"step\": [7], \"reward\": [0.5], \"name\": [\"a,b \\\"q\\\"\"], \"shape\": [[64, 64]],"
                + " \"flag\": [true], \"tiny\": [0.00001]}", "odd.json", false);
        open(odd, new MergeStore.Options());
        merge("0.csv", "step,reward\n1,2\n");
        List<CSVRecord> rows = csv(dir.resolve("merged.csv"));
        assertThat(rows.get(0).toList()).containsExactly("index", "run", "config.step", "config.reward", "name",
                "shape", "flag", "tiny", "step", "reward");
        assertThat(rows.get(1).toList()).containsExactly("0", "0", "7", "0.5", "a,b \"q\"", "[64,64]", "true",
                "1e-05", "1", "2");
    }

    @Test
    void survivesARestartWithSummariesReloadedNotRebuilt() throws IOException {
        open(bandit, new MergeStore.Options());
        for (int i = 0; i < 9; i++) {
            store.merge(i + ".csv", BanditLogs.bytes(i, 20));
        }
        ResultsSnapshot before = store.snapshot();
        store.close();
        String summary = Files.readString(dir.resolve("summaries/2.csv"));
        assertThat(summary).startsWith("# alphaex summary of configuration 2 {\"epsilon\":0.1}: 3 runs, store seq 9\n"
                + "epsilon,step,n,reward_mean,reward_se,reward_m2,optimal_action_mean,optimal_action_se,optimal_action_m2\n");
        open(bandit, new MergeStore.Options());
        ResultsSnapshot after = store.snapshot();
        assertThat(after.runs()).isEqualTo(9);
        for (int c = 0; c < 3; c++) {
            assertThat(after.configurations().get(c).mean(0)).containsExactly(before.configurations().get(c).mean(0));
            assertThat(after.configurations().get(c).stdErr(1)).containsExactly(before.configurations().get(c).stdErr(1));
            assertThat(after.configurations().get(c).indices()).containsExactly(before.configurations().get(c).indices());
        }
        assertThat(store.merge("9.csv", BanditLogs.bytes(9, 20)).kind()).isEqualTo(MergeResult.Kind.MERGED);
        assertThat(store.merge("3.csv", BanditLogs.bytes(3, 20)).kind()).isEqualTo(MergeResult.Kind.ALREADY_MERGED);
    }

    @Test
    void aSummaryBehindTheStoreIsRebuiltFromTheRuns() throws IOException {
        open(bandit, new MergeStore.Options());
        for (int i = 0; i < 6; i++) {
            store.merge(i + ".csv", BanditLogs.bytes(i, 20));
        }
        store.flush();
        ResultsSnapshot flushed = store.snapshot();
        store.merge("6.csv", BanditLogs.bytes(6, 20)); // merged, committed, summary not yet written
        double[] expected = store.snapshot().configurations().get(0).mean(0);
        store.crash(); // the process dies without close(); the store reopens from disk
        store = null;
        open(bandit, new MergeStore.Options());
        assertThat(store.snapshot().configurations().get(0).mean(0)).containsExactly(expected);
        assertThat(store.snapshot().configurations().get(0).runs()).isEqualTo(3);
        assertThat(store.snapshot().configurations().get(1).mean(0)).containsExactly(flushed.configurations().get(1).mean(0));
    }

    @Test
    void rowsOfABatchThatNeverCommittedAreCutFromMergedCsv() throws IOException {
        open(bandit, new MergeStore.Options());
        store.merge("0.csv", BanditLogs.bytes(0, 10));
        store.close();
        long tidy = Files.size(dir.resolve("merged.csv"));
        // what a kill between writing merged.csv and the commit leaves behind
        Files.writeString(dir.resolve("merged.csv"), "1,0,0.01,1,0.3,0\n1,0,0.0", StandardOpenOption.APPEND);
        store = null;
        open(bandit, new MergeStore.Options());
        assertThat(Files.size(dir.resolve("merged.csv"))).isEqualTo(tidy);
        assertThat(store.merge("1.csv", BanditLogs.bytes(1, 10)).kind()).isEqualTo(MergeResult.Kind.MERGED);
        assertThat(csv(dir.resolve("merged.csv"))).hasSize(21);
        assertThat(store.readRun(1).values(0)).hasSize(10);
    }

    @Test
    void aMergedCsvShorterThanTheStoreIsWrittenAgainFromIt() throws IOException {
        open(bandit, new MergeStore.Options());
        store.merge("0.csv", "step,reward\n1,0.5\n2,1.25e0\n".getBytes(StandardCharsets.UTF_8));
        store.merge("4.csv", "step,reward\n1,2\n".getBytes(StandardCharsets.UTF_8));
        store.close();
        store = null;
        Files.writeString(dir.resolve("merged.csv"), "index,run,epsilon,step,reward\n0,0,0,1,0.5\n"); // cut short
        open(bandit, new MergeStore.Options());
        assertThat(Files.readString(dir.resolve("merged.csv"))).isEqualTo(
                "index,run,epsilon,step,reward\n0,0,0,1,0.5\n0,0,0,2,1.25\n4,1,0.01,1,2\n");
        store.merge("5.csv", "step,reward\n1,3\n".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(dir.resolve("merged.csv"))).endsWith("4,1,0.01,1,2\n5,1,0.1,1,3\n");
    }

    @Test
    void refusesToOpenAStoreOfAnotherSweep() throws IOException {
        open(bandit, new MergeStore.Options());
        store.merge("0.csv", BanditLogs.bytes(0, 5));
        store.close();
        store = null;
        Sweep other = Sweep.parse("{\"alpha\": [0.1, 0.5]}", "other.json", false);
        assertThatThrownBy(() -> MergeStore.open(dir, other, new MergeStore.Options()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("built for the sweep bandit-sweep.json")
                .hasMessageContaining("other.json has 2 configurations");
    }

    @Test
    void runsOfUnequalLengthAndInterleavedStepsKeepTheirCountsPerStep() throws IOException {
        open(bandit, new MergeStore.Options());
        merge("0.csv", "step,reward\n1,1\n2,1\n3,1\n");
        merge("3.csv", "step,reward\n1,3\n2,3\n");
        merge("6.csv", "step,reward\n1.5,10\n3,5\n4,8\n");
        ConfigSummary s = store.snapshot().configurations().get(0);
        assertThat(s.steps()).containsExactly(1, 1.5, 2, 3, 4);
        assertThat(s.n()).containsExactly(2, 1, 2, 2, 1);
        assertThat(s.mean(0)).containsExactly(2, 10, 2, 3, 8);
    }

    @Test
    void accumulatorMatchesDirectStatisticsForRandomMixedLengths() {
        SplittableRandom rnd = new SplittableRandom(3);
        Accumulator acc = new Accumulator(0, 1);
        java.util.Map<Double, java.util.List<Double>> byStep = new java.util.TreeMap<>();
        for (int r = 0; r < 40; r++) {
            int len = rnd.nextInt(1, 30);
            int stride = rnd.nextInt(1, 3);
            double[] steps = new double[len];
            double[][] v = new double[1][len];
            for (int i = 0; i < len; i++) {
                steps[i] = (i + 1) * stride;
                v[0][i] = rnd.nextGaussian();
                byStep.computeIfAbsent(steps[i], k -> new java.util.ArrayList<>()).add(v[0][i]);
            }
            acc.add(r, r + 1, steps, v);
        }
        Accumulator.State st = acc.snapshot();
        int i = 0;
        for (java.util.Map.Entry<Double, java.util.List<Double>> e : byStep.entrySet()) {
            assertThat(st.steps[i]).isEqualTo(e.getKey());
            assertThat(st.n[i]).isEqualTo(e.getValue().size());
            double mean = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(st.mean[0][i]).isCloseTo(mean, within(1e-12));
            i++;
        }
        assertThat(i).isEqualTo(st.steps.length);
    }

    @Test
    void mergingFromSeveralThreadsCountsEveryRunOnceAndAgreesWithOneThread() throws Exception {
        open(bandit, new MergeStore.Options().durable(false));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.List<java.util.concurrent.Future<MergeResult>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            int index = i % 60; // every index twice: one merge, one redelivery
            results.add(pool.submit(() -> store.merge(index + ".csv", BanditLogs.bytes(index, 30))));
        }
        int merged = 0;
        int again = 0;
        for (var f : results) {
            switch (f.get().kind()) {
                case MERGED -> merged++;
                case ALREADY_MERGED -> again++;
                default -> throw new AssertionError(f.get());
            }
        }
        pool.shutdown();
        assertThat(merged).isEqualTo(60);
        assertThat(again).isEqualTo(60);
        ResultsSnapshot parallel = store.snapshot();
        store.close();
        store = MergeStore.open(dir.resolve("sequential"), bandit, new MergeStore.Options().durable(false));
        for (int i = 0; i < 60; i++) {
            store.merge(i + ".csv", BanditLogs.bytes(i, 30));
        }
        for (int c = 0; c < 3; c++) {
            double[] expected = store.snapshot().configurations().get(c).mean(0);
            double[] actual = parallel.configurations().get(c).mean(0);
            for (int k = 0; k < expected.length; k++) {
                assertThat(actual[k]).isCloseTo(expected[k], within(1e-12)); // summation order differs
            }
        }
        assertThat(csv(dir.resolve("merged.csv"))).hasSize(1 + 60 * 30);
    }

    @Test
    void logsPreparedMeanwhileShareOneTransaction() throws IOException {
        open(bandit, new MergeStore.Options());
        java.util.List<PreparedLog> logs = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            logs.add(store.prepare(i + ".csv", BanditLogs.bytes(i, 20)));
        }
        logs.add(store.prepare("3.csv", BanditLogs.bytes(3, 20))); // the same log twice in one group
        logs.add(store.prepare("4.csv", BanditLogs.bytes(4, 21))); // and a second log for an index
        java.util.List<MergeResult> results = store.commitAll(logs);
        assertThat(results.subList(0, 10)).allSatisfy(r -> assertThat(r.kind()).isEqualTo(MergeResult.Kind.MERGED));
        assertThat(results.get(10).kind()).isEqualTo(MergeResult.Kind.ALREADY_MERGED);
        assertThat(results.get(11).kind()).isEqualTo(MergeResult.Kind.REFUSED);
        assertThat(results.get(11).reason()).contains("index 4 was already merged");
        assertThat(store.groupCommits()).isEqualTo(1);
        assertThat(store.merge("10.csv", BanditLogs.bytes(10, 20)).kind()).isEqualTo(MergeResult.Kind.MERGED);
        assertThat(store.groupCommits()).isEqualTo(2);
        assertThat(csv(dir.resolve("merged.csv"))).hasSize(1 + 11 * 20);
    }

    @Test
    void aCrashKeepsEveryCommittedLogAndNothingElse() throws Exception {
        open(bandit, new MergeStore.Options());
        for (int i = 0; i < 4; i++) {
            store.merge(i + ".csv", BanditLogs.bytes(i, 20));
        }
        java.util.List<PreparedLog> pending = new java.util.ArrayList<>();
        for (int i = 4; i < 7; i++) {
            pending.add(store.prepare(i + ".csv", BanditLogs.bytes(i, 20))); // read, not committed
        }
        store.crash(); // the process dies before their commit: their files are still in the inbox
        store = null;
        open(bandit, new MergeStore.Options());
        for (int i = 0; i < 7; i++) {
            assertThat(store.contains(i)).as("log %d", i).isEqualTo(i < 4);
        }
        assertThat(csv(dir.resolve("merged.csv"))).hasSize(1 + 4 * 20);
        for (int i = 0; i < 7; i++) {
            assertThat(store.merge(i + ".csv", BanditLogs.bytes(i, 20)).kind())
                    .isEqualTo(i < 4 ? MergeResult.Kind.ALREADY_MERGED : MergeResult.Kind.MERGED);
        }
        assertThat(csv(dir.resolve("merged.csv"))).hasSize(1 + 7 * 20);
        assertThat(store.snapshot().runs()).isEqualTo(7);
    }

    @Test
    void concurrentPreparesAndCommitsLeaveEveryAcknowledgedLogInTheStore() throws Exception {
        open(bandit, new MergeStore.Options());
        java.util.concurrent.ExecutorService reading = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.ExecutorService committing = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.Set<Long> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<java.util.concurrent.Future<?>> done = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 90; i++) {
            long index = i;
            done.add(reading.submit(() -> {
                PreparedLog p = store.prepare(index + ".csv", BanditLogs.bytes(index, 20));
                done.add(committing.submit(() -> {
                    assertThat(store.commit(p).kind()).isEqualTo(MergeResult.Kind.MERGED);
                    acknowledged.add(index); // the route would move the log to done/ now
                    return null;
                }));
                return null;
            }));
        }
        reading.shutdown();
        assertThat(reading.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        committing.shutdown();
        assertThat(committing.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        for (var f : done) {
            f.get();
        }
        assertThat(acknowledged).hasSize(90);
        assertThat(store.groupCommits()).as("transactions shared").isLessThanOrEqualTo(90);
        store.crash();
        store = null;
        open(bandit, new MergeStore.Options());
        assertThat(store.size()).isEqualTo(90);
        for (long i : acknowledged) {
            assertThat(store.contains(i)).isTrue();
        }
        assertThat(csv(dir.resolve("merged.csv"))).hasSize(1 + 90 * 20);
    }

    @Test
    void theCompleteFileAfterAPartMergedWhileStillWrittenIsRefusedSayingSo() throws IOException {
        open(bandit, new MergeStore.Options());
        String log = BanditLogs.log(5, 40);
        int cut = log.indexOf('\n', log.length() / 2) + 1;
        store.merge("5.csv", log.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        MergeResult rest = store.merge("5.csv", log.getBytes(StandardCharsets.UTF_8));
        assertThat(rest.kind()).isEqualTo(MergeResult.Kind.REFUSED);
        assertThat(rest.reason()).contains("still being written", "is the beginning of this one");
    }

    @Test
    void aMetricNamedLikeAColumnOfTheMergedTableIsRefused() throws IOException {
        open(bandit, new MergeStore.Options());
        assertThat(merge("0.csv", "step,run,reward\n1,2,3\n").reason()).contains("'run' cannot be a metric");
        assertThat(merge("0.csv", "step,Reward,reward\n1,2,3\n").reason()).contains("only in case");
        assertThat(merge("0.csv", "step,reward\n1,2\n").kind()).isEqualTo(MergeResult.Kind.MERGED);
    }

    @Test
    void aLogWithItsColumnsInAnotherOrderOrWithQuotedCellsMergesInTheStoresOrder() throws IOException {
        open(bandit, new MergeStore.Options().durable(false));
        merge("0.csv", "step,reward,optimal_action\n1,0.5,0\n2,0.25,1\n");
        assertThat(merge("1.csv", "optimal_action,step,reward\r\n1,1,1e-3\r\n\r\n0, 2 ,\"-0.75\"\r\n").kind())
                .isEqualTo(MergeResult.Kind.MERGED);
        assertThat(merge("2.csv", "step,reward,optimal_action\n1,\"2.5\",1\n2,3.5,0").kind()).isEqualTo(MergeResult.Kind.MERGED);
        assertThat(Files.readString(dir.resolve("merged.csv"))).isEqualTo(
                "index,run,epsilon,step,reward,optimal_action\n"
                        + "0,0,0,1,0.5,0\n0,0,0,2,0.25,1\n"
                        + "1,0,0.01,1,1e-3,1\n1,0,0.01,2,-0.75,0\n"
                        + "2,0,0.1,1,2.5,1\n2,0,0.1,2,3.5,0\n");
        assertThat(store.readRun(1).values(0)).containsExactly(1e-3, -0.75);
    }
}
