package dev.alphaex.sweep;

/**
 * A sweep file that cannot be used. The message names the file, the place (line:column when the
 * parser knows it, and the JSON pointer of the offending value) and what is wrong, so that a
 * researcher can fix the file without reading a stack trace.
 */
public final class SweepException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String pointer;
    private final String problem;

    SweepException(String source, int line, int column, String pointer, String problem, Throwable cause) {
        super(format(source, line, column, pointer, problem), cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.pointer = pointer;
        this.problem = problem;
    }

    private static String format(String source, int line, int column, String pointer, String problem) {
        StringBuilder sb = new StringBuilder(source == null ? "<sweep>" : source);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        if (pointer != null) {
            sb.append(" (at ").append(pointer.isEmpty() ? "the top level" : pointer).append(')');
        }
        return sb.append(": ").append(problem).toString();
    }

    /** The file (or other source name) the sweep came from. */
    public String source() {
        return source;
    }

    /** 1-based line of the offending value, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending value, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** RFC 6901 JSON pointer of the offending value ("" for the top level), or null when unknown. */
    public String pointer() {
        return pointer;
    }

    /** What is wrong, without the place. */
    public String problem() {
        return problem;
    }
}
