package dev.alphaex.merge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How one run's values are kept in the store (table {@code run_values}, one row per run):
 * <ul>
 *   <li>as JSON text, {@code [[step, metric...], ...]}, one array per row with the job's own
 *       digits (written as JSON numbers: {@code +1} as {@code 1}, {@code 007} as {@code 7},
 *       {@code .5} as {@code 0.5}, {@code 2.} as {@code 2}), which SQLite's {@code json_each}
 *       turns into the tidy rows of the views {@code steps} and {@code merged} for any reader
 *       (Python's sqlite3, R) without a package of ours;</li>
 *   <li>packed, for this program's drawing: the doubles as merged, little-endian, the steps then
 *       each metric's column, read back in one piece.</li>
 * </ul>
 * One row per run instead of one per step: a million rows of a backlog are a thousand inserts.
 */
final class RunValues {
    /** At most this many characters of JSON per run (SQLite's default limit on a value is 10^9 bytes). */
    static final int MAX_JSON = 500_000_000;
    /** At most this many values (rows x (step + metrics)) per run: 500 MB packed. */
    static final long MAX_VALUES = 62_500_000;

    private RunValues() {
    }

    /**
     * The JSON text of a log's rows: per row the step (the log's cell, or the row's number when
     * logs carry no step column) then the metrics in the store's order.
     *
     * @param map        the log's column of each of the store's log columns ({@link Schema#logColumns()})
     * @param stepInLogs whether the first of them is the step
     * @return the text, or null when it would be longer than {@link #MAX_JSON}
     */
    static String json(RunLog log, int[] map, boolean stepInLogs) {
        StringBuilder sb = new StringBuilder(log.rows() * (map.length + 1) * 12 + 2);
        sb.append('[');
        for (int r = 0; r < log.rows(); r++) {
            sb.append(r == 0 ? "[" : ",[");
            if (!stepInLogs) {
                sb.append(r + 1).append(',');
            }
            for (int i = 0; i < map.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                number(sb, log.cell(r, map[i]));
            }
            sb.append(']');
            if (sb.length() > MAX_JSON) {
                return null;
            }
        }
        return sb.append(']').toString();
    }

    /**
     * Appends a decimal number of the logs' grammar ({@code [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?},
     * checked before) as a JSON number with the same digits: no {@code +}, no leading zeros, a
     * digit on both sides of the point or no point.
     */
    static void number(StringBuilder out, String s) {
        if (isJson(s)) {
            out.append(s); // the common case, copied whole
            return;
        }
        int n = s.length();
        int i = 0;
        if (s.charAt(0) == '-') {
            out.append('-');
            i = 1;
        } else if (s.charAt(0) == '+') {
            i = 1;
        }
        int start = i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        int intEnd = i;
        int z = start;
        while (z < intEnd - 1 && s.charAt(z) == '0') {
            z++; // leading zeros, keeping the last digit
        }
        if (z == intEnd) {
            out.append('0'); // ".5": no integer digits
        } else {
            out.append(s, z, intEnd);
        }
        if (i < n && s.charAt(i) == '.') {
            int f = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i > f) {
                out.append('.').append(s, f, i);
            }
        }
        out.append(s, i, n); // the exponent, as JSON allows it: [eE][+-]?digits
    }

    /** Whether a number of the logs' grammar is a JSON number as it is: no '+', no leading zero, digits around a point. */
    private static boolean isJson(String s) {
        int n = s.length();
        int i = s.charAt(0) == '-' ? 1 : 0;
        if (i == n || s.charAt(i) == '+' || s.charAt(i) == '.'
                || (s.charAt(i) == '0' && i + 1 < n && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '9')) {
            return false;
        }
        int point = s.indexOf('.', i);
        return point < 0 || (point + 1 < n && s.charAt(point + 1) >= '0' && s.charAt(point + 1) <= '9');
    }

    /** The packed form: {@code steps} then each metric's values, little-endian doubles. */
    static byte[] pack(double[] steps, double[][] values) {
        ByteBuffer b = ByteBuffer.allocate(steps.length * (values.length + 1) * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(steps);
        for (int m = 0; m < values.length; m++) {
            b.position((m + 1) * steps.length * Double.BYTES);
            b.asDoubleBuffer().put(values[m]);
        }
        return b.array();
    }

    /** A run from its packed form; null when the bytes do not hold {@code rows} x (1 + metrics) doubles. */
    static RunData unpack(long index, byte[] packed, int rows, int metrics) {
        if (packed == null || packed.length != (long) rows * (metrics + 1) * Double.BYTES) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN);
        double[] steps = new double[rows];
        b.asDoubleBuffer().get(steps);
        double[][] values = new double[metrics][rows];
        for (int m = 0; m < metrics; m++) {
            b.position((m + 1) * rows * Double.BYTES);
            b.asDoubleBuffer().get(values[m]);
        }
        return new RunData(index, steps, values);
    }
}
