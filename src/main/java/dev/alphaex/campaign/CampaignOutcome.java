package dev.alphaex.campaign;

/** How a run of a campaign ended, for the process's exit code. */
public enum CampaignOutcome {
    /** Every job completed. */
    COMPLETED,
    /** Every job ended, some failed for good (the summary lists them). */
    FAILED,
    /** Stopped before every job ended (the ledger keeps the state: start again to go on). */
    UNFINISHED,
    /** The campaign was cancelled (alphaex cancel) and nothing of it runs any more; alphaex resume goes on. */
    CANCELLED
}
