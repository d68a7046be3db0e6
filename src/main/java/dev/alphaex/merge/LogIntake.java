package dev.alphaex.merge;

import dev.alphaex.files.Sha256;

import dev.alphaex.sweep.Sweep;

import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The way into the store: a log's name gives its index ({@code <index>.csv}), which must lie within
 * the campaign; an index merged before is a redelivery (the very same bytes) or a second log,
 * refused; anything else is read and checked ({@link LogReader}) and mapped onto the store's
 * columns. Runs on any thread, in parallel; changes nothing.
 */
final class LogIntake {
    private static final Pattern NAME = Pattern.compile("(0|[1-9][0-9]{0,17})\\.csv");
    private static final Pattern PADDED = Pattern.compile("0+([0-9]{1,18})\\.csv");

    private final Sweep sweep;
    private final MergeStore.Options options;
    private final LogReader reader;
    private final LongFunction<StoreDb.LogRow> merged;
    private final Supplier<Schema> schema;

    /**
     * @param merged the log committed for an index, or null
     * @param schema the store's columns, or null before the first log fixes them
     */
    LogIntake(Sweep sweep, MergeStore.Options options, LongFunction<StoreDb.LogRow> merged, Supplier<Schema> schema) {
        this.sweep = sweep;
        this.options = options;
        this.reader = new LogReader(options.stepColumn);
        this.merged = merged;
        this.schema = schema;
    }

    /** Parses the index a log's file name gives, or -1 when the name is not {@code <index>.csv}. */
    static long indexOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Reads and checks a log: refused already, or waiting for its commit. */
    PreparedLog prepare(String fileName, byte[] bytes) {
        long index = indexOf(fileName);
        if (index < 0) {
            Matcher padded = PADDED.matcher(fileName);
            return PreparedLog.refused(fileName, fileName + (padded.matches()
                    ? ": an index with leading zeros is not taken, so that a log never merges under another index than "
                    + "its name seems to say; if it is the log of index " + Long.parseLong(padded.group(1)) + ", name it "
                    + Long.parseLong(padded.group(1)) + ".csv"
                    : ": the name is not <index>.csv with a whole number index (e.g. 17.csv): the index is how a "
                    + "log finds its configuration and run"));
        }
        long total = sweep.total();
        if (options.runs > 0 && index / options.runs >= total) { // index >= total * runs, without overflow
            return PreparedLog.refused(fileName, fileName + ": index " + index + " is outside the campaign: the sweep "
                    + sweep.source() + " has " + total + " configurations x " + options.runs
                    + " runs, so indices go from 0 to " + (total * options.runs - 1));
        }
        PreparedLog p = new PreparedLog(fileName, index, bytes.length);
        p.sha = Sha256.of(bytes, bytes.length);
        StoreDb.LogRow before = merged.apply(index);
        if (before != null) {
            p.result = p.againstMerged(before, bytes);
            return p;
        }
        try {
            p.log = reader.read(fileName, bytes);
            Schema current = schema.get();
            p.plan(current != null ? current
                    : Schema.of(sweep.source(), total, sweep.keys(), options.stepColumn, p.log.columns(), fileName));
        } catch (BadLogException e) {
            p.result = MergeResult.refused(e, index);
        }
        return p;
    }
}
