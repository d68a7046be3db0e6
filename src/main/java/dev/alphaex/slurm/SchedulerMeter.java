package dev.alphaex.slurm;

import dev.alphaex.cluster.CommandMeter;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@link CommandMeter} of one Slurm cluster: the scheduler commands (squeue, sacct, sbatch, scontrol, scancel,
 * sacctmgr) read off each command line as it goes out ({@link SchedulerCommand#in}), counted by
 * {@link SchedulerCommandCounter}: those of the cluster's first exchange (its facts and first poll) as start-up, the
 * later ones per poll period.
 */
final class SchedulerMeter implements CommandMeter {
    private final String cluster;
    private final SchedulerCommandCounter counter = new SchedulerCommandCounter();

    SchedulerMeter(String cluster) {
        this.cluster = cluster;
    }

    @Override
    public void sent(String command, Instant at) {
        counter.sent(cluster, command, at);
    }

    @Override
    public void polled(Instant started, Duration period) {
        counter.pollStarted(cluster, started, period);
    }

    @Override
    public String summary(Instant now) {
        return counter.summary(cluster, now).line();
    }
}
