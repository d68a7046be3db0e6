package dev.alphaex.merge;

/** What became of one file offered to the store. */
public final class MergeResult {
    /** The three outcomes. */
    public enum Kind {
        /** The run was added to the store. */
        MERGED,
        /** The very same bytes were merged before (a redelivery): nothing changed. */
        ALREADY_MERGED,
        /** The file cannot be merged; {@link #reason()} says why. Nothing changed. */
        REFUSED
    }

    private final Kind kind;
    private final String file;
    private final long index;
    private final long line;
    private final String reason;

    private MergeResult(Kind kind, String file, long index, long line, String reason) {
        this.kind = kind;
        this.file = file;
        this.index = index;
        this.line = line;
        this.reason = reason;
    }

    static MergeResult merged(String file, long index) {
        return new MergeResult(Kind.MERGED, file, index, 0, null);
    }

    static MergeResult alreadyMerged(String file, long index, String why) {
        return new MergeResult(Kind.ALREADY_MERGED, file, index, 0, why);
    }

    static MergeResult refused(String file, long index, long line, String reason) {
        return new MergeResult(Kind.REFUSED, file, index, line, reason);
    }

    static MergeResult refused(BadLogException e, long index) {
        return new MergeResult(Kind.REFUSED, e.file(), index, e.line(), e.getMessage());
    }

    public Kind kind() {
        return kind;
    }

    public String file() {
        return file;
    }

    /** The index the file name gives, or -1 when the name is not an index. */
    public long index() {
        return index;
    }

    /** 1-based line of the problem, 0 when it concerns the whole file or there is none. */
    public long line() {
        return line;
    }

    /** For a refused file: the reason, starting with the file name (and line); else a note or null. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return kind + " " + file + (reason == null ? "" : ": " + reason);
    }
}
