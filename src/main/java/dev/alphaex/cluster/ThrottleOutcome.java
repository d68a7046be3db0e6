package dev.alphaex.cluster;

/** What became of a change of a queued array's throttle ({@link ClusterProtocol#throttleCommand}). */
public enum ThrottleOutcome {
    /** The array's live tasks (queued or running) have the new throttle. */
    APPLIED,
    /** Every task of the array has ended: nothing to throttle. */
    ENDED,
    /** The cluster does not know the job (ended and forgotten): nothing to throttle. */
    UNKNOWN_JOB
}
