package dev.alphaex.campaign;

import java.util.Locale;

/** Where a registered cluster stands, as status.json and the report page show it. */
public enum ClusterState {
    /** Registered, not asked yet. */
    STARTING,
    /** Its last poll was answered: its state is known. Shown as "ok". */
    ANSWERED,
    /** Its last command got no answer: its state is unknown (never "0 jobs"); polled again with back-off. */
    UNREACHABLE,
    /** It refused a submission for load or a limit: backing off, reconciled by tag before the next one. */
    BUSY,
    /** Its login waits for what only its user can give (a second factor): nothing goes there until a login works. */
    PAUSED,
    /** It refused a submission for good (e.g. an invalid option): polled, but no more submissions go there. */
    REJECTED,
    /** Its route was removed: neither polled nor given work; its tasks stay in the ledger. */
    DETACHED;

    /** The state's word in status.json (ANSWERED: "ok", as the report page reads it). */
    public String word() {
        return this == ANSWERED ? "ok" : name().toLowerCase(Locale.ROOT);
    }
}
