package dev.alphaex.campaign;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One line of the ledger ({@code ledger.jsonl}): a typed event with its type id in {@code "t"}. The field names
 * are the ones the ledger has been written with since its first version, so every ledger written before the
 * events were typed replays unchanged (fixtures in src/test/resources/ledgers). Required fields are required:
 * a line without one is refused at replay naming the file and the line, never read as 0 or null.
 *
 * <p>Versions: {@link Open#v()} is the ledger format its writer knew ({@link #VERSION}). A new event type or
 * field comes with a higher version and a fixture written by the version before it; a ledger of a higher version
 * than this code knows is refused ("written by a newer AlphaEx"), as is an unknown event type.
 *
 * <p>Format 2 (issues 11 and 12; nothing was released with a format between 1 and 2): an intent's {@code throttle}
 * (issue 11), {@code code} (the code version the submission ran) and {@code with} (resources other than the
 * cluster's); the events {@code throttle}, {@code takeback} and {@code takenback} (take-backs at the tail), and
 * {@code cancel}, {@code cancelled}, {@code resume} and {@code retry} (operating a campaign); an end's {@code with}
 * (resources for the retry) and {@code free} (an attempt not counted). Fixtures: takeback-*.jsonl and ops-v2-*.jsonl;
 * the format-1 fixtures replay unchanged.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "t")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LedgerEvent.Open.class, name = "open"),
    @JsonSubTypes.Type(value = LedgerEvent.Add.class, name = "add"),
    @JsonSubTypes.Type(value = LedgerEvent.SweepRecord.class, name = "sweep"),
    @JsonSubTypes.Type(value = LedgerEvent.Intent.class, name = "intent"),
    @JsonSubTypes.Type(value = LedgerEvent.Confirm.class, name = "confirm"),
    @JsonSubTypes.Type(value = LedgerEvent.Abandon.class, name = "abandon"),
    @JsonSubTypes.Type(value = LedgerEvent.State.class, name = "state"),
    @JsonSubTypes.Type(value = LedgerEvent.End.class, name = "end"),
    @JsonSubTypes.Type(value = LedgerEvent.Collect.class, name = "collect"),
    @JsonSubTypes.Type(value = LedgerEvent.Cancel.class, name = "cancel"),
    @JsonSubTypes.Type(value = LedgerEvent.Cancelled.class, name = "cancelled"),
    @JsonSubTypes.Type(value = LedgerEvent.Resume.class, name = "resume"),
    @JsonSubTypes.Type(value = LedgerEvent.Retry.class, name = "retry"),
    @JsonSubTypes.Type(value = LedgerEvent.Throttle.class, name = "throttle"),
    @JsonSubTypes.Type(value = LedgerEvent.TakeBack.class, name = "takeback"),
    @JsonSubTypes.Type(value = LedgerEvent.TakenBack.class, name = "takenback")
})
public sealed interface LedgerEvent {
    /** The ledger format this code writes and reads (the {@code v} of the open event). */
    int VERSION = 2;

    /** An event about one submission. */
    sealed interface OfSubmission extends LedgerEvent {
        int seq();
    }

    /** The campaign's first event: its name, its tag (every job's name), when it began and its indices. */
    record Open(@JsonProperty(required = true) int v, @JsonProperty(required = true) String campaign,
                @JsonProperty(required = true) String tag, @JsonProperty(required = true) String created,
                @JsonProperty(required = true) String indices) implements LedgerEvent {
    }

    /** Indices added by a later start (campaign.runs raised). */
    record Add(@JsonProperty(required = true) String indices) implements LedgerEvent {
    }

    /** The sweep the campaign began with: its content (floats as written), SHA-256 and combinations. */
    record SweepRecord(@JsonProperty(required = true) String file, @JsonProperty(required = true) String sha256,
                       @JsonProperty(required = true) long total, @JsonProperty(required = true) String content) implements LedgerEvent {
    }

    /**
     * A submission announced (synced to disk) before it is made: its tasks' attempt begins. {@code throttle}: at most
     * this many of its tasks run at once (the {@code %N} of Slurm's array), null when the array has none; {@code code}:
     * the code version it runs ("git:&lt;commit&gt;" or "upload:&lt;sha256&gt;", when the cluster syncs its code);
     * {@code with}: the resources it asks other than the cluster's, when any.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Intent(@JsonProperty(required = true) int seq, @JsonProperty(required = true) String cluster,
                  @JsonProperty(required = true) long base, @JsonProperty(required = true) String array, Integer throttle,
                  String code, Resources with) implements OfSubmission {
        /** An array without a throttle, code version or resources of its own. */
        public Intent(int seq, String cluster, long base, String array) {
            this(seq, cluster, base, array, null, null, null);
        }
    }

    /** The cluster took the submission and named its job. */
    record Confirm(@JsonProperty(required = true) int seq, @JsonProperty(required = true) String job) implements OfSubmission {
    }

    /** The submission did not happen: its tasks are pending again, the attempt not counted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Abandon(@JsonProperty(required = true) int seq, String why) implements OfSubmission {
    }

    /** A task of the submission is queued or running ({@link Phase} name in {@code s}). */
    record State(@JsonProperty(required = true) int seq, @JsonProperty(required = true) long task,
                 @JsonProperty(value = "s", required = true) Phase phase) implements OfSubmission {
    }

    /**
     * A task of the submission ended: its outcome ({@code s}, a final task state or VANISHED), exit code and
     * reason when known, and where the index goes {@code next} (COMPLETED, PENDING for a retry, FAILED).
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record End(@JsonProperty(required = true) int seq, @JsonProperty(required = true) long task,
               @JsonProperty(value = "s", required = true) String outcome, Integer exit, String why,
               @JsonProperty(required = true) Phase next, Resources with, Boolean free) implements OfSubmission {
        /** An end without a change of resources, counted as an attempt. */
        public End(int seq, long task, String outcome, Integer exit, String why, Phase next) {
            this(seq, task, outcome, exit, why, next, null, null);
        }

        /** True when the attempt does not count against campaign.maxAttempts (a preemption, format 2). */
        @JsonIgnore
        public boolean uncounted() {
            return free != null && free;
        }

        /** The reason, "" when none. */
        @JsonIgnore
        public String reason() {
            return why == null ? "" : why;
        }
    }

    /**
     * The array's throttle is now {@code n}: written before a raise is sent and after a lowering is applied, so the
     * ledger's throttle is never below the cluster's (the running limit holds across a crash).
     */
    record Throttle(@JsonProperty(required = true) int seq, @JsonProperty(required = true) int n) implements OfSubmission {
    }

    /**
     * Queued tasks of the submission are being taken back ({@code tasks}: task ids in array syntax), written (synced)
     * before the command goes out: a controller that stops before the answer sends it again after a restart.
     */
    record TakeBack(@JsonProperty(required = true) int seq, @JsonProperty(required = true) String tasks) implements OfSubmission {
    }

    /**
     * The answer to a take-back: {@code tasks} were cancelled before they started (pending again, the attempt not
     * counted, and not given to the same cluster again while another one takes work); {@code kept} had started or
     * stayed queued there and are followed as before. Task ids in array syntax; ids in neither (the cluster had no
     * trace of them) wait for the polls. {@code kept} is left out when none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TakenBack(@JsonProperty(required = true) int seq, @JsonProperty(required = true) String tasks, String kept)
            implements OfSubmission {
    }

    /** An index's log was moved into the inbox ({@code ok}), or recorded missing. */
    record Collect(@JsonProperty(required = true) long i, @JsonProperty(required = true) boolean ok) implements LedgerEvent {
    }

    /**
     * The campaign was cancelled ({@code alphaex cancel}, format 2): nothing more is submitted, and every cluster cancels
     * the jobs carrying the campaign's tag ({@link Cancelled}) before anything else goes there.
     */
    record Cancel(@JsonProperty(required = true) String at, @JsonProperty(required = true) String by) implements LedgerEvent {
    }

    /** A cluster cancelled every job of the campaign's tag (its scancel answered) since the last cancel (format 2). */
    record Cancelled(@JsonProperty(required = true) String cluster) implements LedgerEvent {
    }

    /**
     * The campaign goes on after a cancel ({@code alphaex resume}, format 2): the tasks the cancel stopped are pending
     * again, with fresh attempts, and the pending ones are submitted again.
     */
    record Resume(@JsonProperty(required = true) String at) implements LedgerEvent {
    }

    /**
     * Failed tasks back to pending with fresh attempts ({@code alphaex retry}, format 2), with the resources of their
     * next attempts when they change ({@code with}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Retry(@JsonProperty(required = true) String indices, @JsonProperty(required = true) String at, Resources with)
            implements LedgerEvent {
    }
}
