package dev.alphaex.merge;

import java.util.List;

/**
 * One job's log as read from its CSV: the header's column names in file order, every cell's text
 * exactly as written (so the merged CSV keeps the job's own digits) and every value as a double.
 * Produced by {@link LogReader}; every value is a finite number.
 */
public final class RunLog {
    private final String name;
    private final List<String> columns;
    private final int rows;
    private final String[] cells;
    private final double[][] values;

    RunLog(String name, List<String> columns, int rows, String[] cells, double[][] values) {
        this.name = name;
        this.columns = columns;
        this.rows = rows;
        this.cells = cells;
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
        return cells[row * columns.size() + column];
    }

    /** The values of one column, one per row (the array is shared: do not modify). */
    public double[] column(int column) {
        return values[column];
    }
}
