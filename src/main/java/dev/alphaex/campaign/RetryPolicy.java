package dev.alphaex.campaign;

import dev.alphaex.cluster.TaskState;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What to do when a task ends: a task that completed is done; a task that ended otherwise is
 * run again if its outcome is one to retry and it has had fewer than {@code maxAttempts}
 * attempts, else it is recorded as failed with its reason.
 *
 * <p>By default FAILED (a non-zero exit), NODE_FAIL, PREEMPTED, BOOT_FAIL and VANISHED (the task
 * left the cluster without a trace) are retried; TIMEOUT and OUT_OF_MEMORY are not (the same
 * limits would give the same end), nor CANCELLED (somebody cancelled it) or DEADLINE.
 */
public final class RetryPolicy {
    /** Outcome of a task that disappeared from the cluster's queue and accounting. */
    public static final String VANISHED = "VANISHED";

    /** The decision for one ended attempt. */
    public enum Decision { COMPLETE, RETRY, FAIL }

    private final int maxAttempts;
    private final Set<TaskState> retried;
    private final boolean retryVanished;

    public RetryPolicy(int maxAttempts, Set<TaskState> retried, boolean retryVanished) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be 1 or more, got " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.retried = retried.isEmpty() ? EnumSet.noneOf(TaskState.class) : EnumSet.copyOf(retried);
        this.retryVanished = retryVanished;
    }

    /** The default policy with the given number of attempts. */
    public static RetryPolicy defaults(int maxAttempts) {
        return new RetryPolicy(maxAttempts,
                EnumSet.of(TaskState.FAILED, TaskState.NODE_FAIL, TaskState.PREEMPTED, TaskState.BOOT_FAIL), true);
    }

    /**
     * Parses a comma list of outcomes to retry, e.g. {@code FAILED,NODE_FAIL,PREEMPTED,VANISHED}.
     *
     * @throws IllegalArgumentException naming an unknown outcome
     */
    public static RetryPolicy parse(int maxAttempts, String retryOn) {
        EnumSet<TaskState> states = EnumSet.noneOf(TaskState.class);
        boolean vanished = false;
        for (String part : retryOn.split(",")) {
            String p = part.trim().toUpperCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            if (p.equals(VANISHED)) {
                vanished = true;
                continue;
            }
            TaskState s;
            try {
                s = TaskState.valueOf(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("campaign.retryOn: unknown outcome '" + part.trim() + "'; use final states such as "
                        + "FAILED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED, BOOT_FAIL, CANCELLED, DEADLINE, VANISHED");
            }
            if (s.isActive() || s == TaskState.COMPLETED) {
                throw new IllegalArgumentException("campaign.retryOn: " + s + " is not a failure outcome");
            }
            states.add(s);
        }
        return new RetryPolicy(maxAttempts, states, vanished);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Decides for an attempt that ended with {@code outcome} (a final TaskState name or VANISHED). */
    public Decision decide(String outcome, Integer exitCode, int attempts) {
        if (outcome.equals(TaskState.COMPLETED.name()) && (exitCode == null || exitCode == 0)) {
            return Decision.COMPLETE;
        }
        if (cannotRun(outcome, exitCode)) {
            return Decision.FAIL; // the same wall every time: not retried
        }
        boolean retry = outcome.equals(VANISHED) ? retryVanished
                : outcome.equals(TaskState.COMPLETED.name()) || retried.contains(TaskState.valueOf(outcome));
        return retry && attempts < maxAttempts ? Decision.RETRY : Decision.FAIL;
    }

    /**
     * Exit 126 (a command found but not executable) or 127 (not found): the shell's own codes, before the experiment
     * does anything, so a retry runs into the same wall; such a task is not retried whatever campaign.retryOn says.
     */
    public static boolean cannotRun(String outcome, Integer exitCode) {
        return TaskState.FAILED.name().equals(outcome) && exitCode != null && (exitCode == 126 || exitCode == 127);
    }

    @Override
    public String toString() {
        return "retry " + retried + (retryVanished ? " and VANISHED" : "") + " up to " + maxAttempts + " attempts";
    }
}
