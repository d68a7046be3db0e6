package dev.alphaex.merge;

/**
 * A job's log that cannot be merged. The message names the file, the line (when there is one)
 * and what is wrong, in words a researcher can act on without a stack trace.
 */
public final class BadLogException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String problem;

    public BadLogException(String file, long line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    /** The file's name as it arrived in the inbox. */
    public String file() {
        return file;
    }

    /** 1-based line of the problem, or 0 when it concerns the whole file. */
    public long line() {
        return line;
    }

    /** What is wrong, without the place. */
    public String problem() {
        return problem;
    }
}
