package dev.alphaex.plot;

/**
 * A plot spec that cannot be used. The message names the file, the line and column, the place
 * as a JSON pointer (e.g. {@code /figures/1/band}) and what is wrong.
 */
public final class PlotSpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String pointer;

    PlotSpecException(String source, int line, int column, String pointer, String problem) {
        super(source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "")
                + (pointer != null ? " (at " + (pointer.isEmpty() ? "the top level" : pointer) + ")" : "") + ": " + problem);
        this.source = source;
        this.line = line;
        this.pointer = pointer;
    }

    /** The spec file. */
    public String source() {
        return source;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** JSON pointer of the offending value, or null. */
    public String pointer() {
        return pointer;
    }
}
