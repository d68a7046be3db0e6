package dev.alphaex.merge;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;

/**
 * One job's log as read from its CSV: the header's column names in file order, every cell's text
 * exactly as written (so the merged CSV keeps the job's own digits) and every value as a double.
 * Produced by {@link LogReader}; every value is a finite number.
 *
 * <p>The cells' text is kept as byte ranges of one array (every cell is a decimal number, so
 * ASCII): usually the file's own bytes, where a row's cells lie one after the other with a
 * comma between them, so that the merge copies whole rows into the merged CSV, without a String
 * per cell or an array per row.
 */
public final class RunLog {
    private final String name;
    private final List<String> columns;
    private final int rows;
    private final byte[] text;
    private final int[] starts;
    private final int[] ends;
    private final BitSet contiguous;
    private final double[][] values;

    RunLog(String name, List<String> columns, int rows, byte[] text, int[] starts, int[] ends,
           BitSet contiguous, double[][] values) {
        this.name = name;
        this.columns = columns;
        this.rows = rows;
        this.text = text;
        this.starts = starts;
        this.ends = ends;
        this.contiguous = contiguous;
        this.values = values;
    }

    /** The file name the log came from. */
    public String name() {
        return name;
    }

    /** Column names in the file's order. */
    public List<String> columns() {
        return columns;
    }

    /** Number of data rows. */
    public int rows() {
        return rows;
    }

    /** The text of a cell as the job wrote it (trimmed, unquoted). */
    public String cell(int row, int column) {
        int k = row * columns.size() + column;
        return new String(text, starts[k], ends[k] - starts[k], StandardCharsets.US_ASCII);
    }

    /** The values of one column, one per row (the array is shared: do not modify). */
    public double[] column(int column) {
        return values[column];
    }

    /** The array that holds the cells' text, ASCII (shared: do not modify). */
    byte[] text() {
        return text;
    }

    /** Where cell {@code k} (row-major: {@code row * width + column}) starts in {@link #text()}. */
    int cellStart(int k) {
        return starts[k];
    }

    /** Where cell {@code k} ends (exclusive) in {@link #text()}. */
    int cellEnd(int k) {
        return ends[k];
    }

    /**
     * Whether the cells of a row lie one after the other in {@link #text()}, a comma between each
     * two (as in the file): then the row's text is {@code [cellStart(first), cellEnd(last))}.
     */
    boolean isContiguous(int row) {
        return contiguous.get(row);
    }
}
