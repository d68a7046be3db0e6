package dev.alphaex.campaign;

/** Where an index stands. RESERVED lives in memory only (chosen for a submission not yet announced). */
public enum Phase {
    PENDING, RESERVED, SUBMITTING, QUEUED, RUNNING, COMPLETED, FAILED;

    /** Counts against a cluster's capacity. */
    public boolean occupies() {
        return this == RESERVED || this == SUBMITTING || this == QUEUED || this == RUNNING;
    }
}
