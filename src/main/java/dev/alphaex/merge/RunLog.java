package dev.alphaex.merge;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One job's log as read from its CSV: the header's column names in file order, every cell's text
 * exactly as written (so the merged CSV keeps the job's own digits) and every value as a double.
 * Produced by {@link LogReader}; every value is a finite number.
 *
 * <p>The cells' text is kept in one array of bytes, row after row, cell after cell (every cell is
 * a decimal number, so ASCII): the merge copies it into the merged CSV as is, without a String
 * per cell or an array per row.
 */
public final class RunLog {
    private final String name;
    private final List<String> columns;
    private final int rows;
    private final byte[] text;
    private final int[] ends;
    private final double[][] values;

    RunLog(String name, List<String> columns, int rows, byte[] text, int[] ends, double[][] values) {
        this.name = name;
        this.columns = columns;
        this.rows = rows;
        this.text = text;
        this.ends = ends;
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
        int start = cellStart(k);
        return new String(text, start, ends[k] - start, StandardCharsets.US_ASCII);
    }

    /** The values of one column, one per row (the array is shared: do not modify). */
    public double[] column(int column) {
        return values[column];
    }

    /** The cells' text, ASCII, cell after cell in row-major order (shared: do not modify). */
    byte[] text() {
        return text;
    }

    /** Where cell {@code k} (row-major: {@code row * width + column}) starts in {@link #text()}. */
    int cellStart(int k) {
        return k == 0 ? 0 : ends[k - 1];
    }

    /** Where cell {@code k} ends (exclusive) in {@link #text()}. */
    int cellEnd(int k) {
        return ends[k];
    }
}
