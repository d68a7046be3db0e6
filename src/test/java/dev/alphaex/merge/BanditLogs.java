package dev.alphaex.merge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic logs of the example campaign's shape (10-armed testbed, Sutton &amp;
 * Barto section 2.3): {@code step,reward,optimal_action}, steps 1..N, for the sweep
 * {@code {"epsilon": [0, 0.01, 0.1]}} (index i: epsilon = [0, 0.01, 0.1][i % 3], run = i / 3).
 * The curves follow Figure 2.2's shape (greedy flat near 1, epsilon 0.1 fast to about 1.35,
 * epsilon 0.01 slow); rewards carry the testbed's unit noise; values are written with Java's
 * {@code Double.toString}, as a Java job would.
 */
public final class BanditLogs {
    public static final String SWEEP = "{\"epsilon\": [0, 0.01, 0.1]}";
    private static final double[] EPSILON = {0, 0.01, 0.1};
    private static final double[] ASYMPTOTE = {1.05, 1.3, 1.4};
    private static final double[] RATE = {60, 330, 110};
    private static final double[] OPTIMAL = {0.36, 0.7, 0.82};

    private BanditLogs() {
    }

    public static String log(long index, int steps) {
        SplittableRandom rnd = new SplittableRandom(0x5EEDL * 31 + index);
        int c = (int) (index % 3);
        StringBuilder sb = new StringBuilder(steps * 26 + 32);
        sb.append("step,reward,optimal_action\n");
        double runOffset = rnd.nextGaussian() * 0.15; // testbeds differ
        for (int t = 1; t <= steps; t++) {
            double progress = 1 - Math.exp(-t / RATE[c]);
            double mean = 0.1 + (ASYMPTOTE[c] - 0.1) * progress + runOffset * progress;
            double reward = mean + rnd.nextGaussian();
            double pOpt = 0.1 + (OPTIMAL[c] - 0.1) * progress;
            int optimal = rnd.nextDouble() < pOpt ? 1 : 0;
            sb.append(t).append(',').append(reward).append(',').append(optimal).append('\n');
        }
        return sb.toString();
    }

    public static byte[] bytes(long index, int steps) {
        return log(index, steps).getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code <index>.csv} atomically (temporary name, then rename), as a job does. */
    public static Path write(Path dir, long index, int steps) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + index + ".csv.tmp");
        Files.write(tmp, bytes(index, steps));
        return Files.move(tmp, dir.resolve(index + ".csv"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Delivers a log as a job and the route do: written into the inbox under its name, merged,
     * then moved where the merger says (done/ or error/).
     */
    public static Path deliver(InboxMerger merger, Path inbox, long index, int steps) throws IOException {
        Path log = write(inbox, index, steps);
        Path target = inbox.resolve(merger.merge(log.toString()));
        Files.createDirectories(target.getParent());
        return Files.move(log, target);
    }

    /**
     * A started, non-durable merger over the example's sweep, written to {@code work/sweep.json},
     * merging into {@code work/results}: the report tests' common start.
     */
    public static InboxMerger startMerger(Path work) throws IOException {
        Files.writeString(work.resolve("sweep.json"), SWEEP);
        InboxMerger merger = new InboxMerger();
        merger.setSweep(work.resolve("sweep.json").toString());
        merger.setResultsDir(work.resolve("results").toString());
        merger.setDurable(false);
        merger.start();
        return merger;
    }

    public static double epsilon(long index) {
        return EPSILON[(int) (index % 3)];
    }
}
