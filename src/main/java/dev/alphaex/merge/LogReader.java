package dev.alphaex.merge;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a job's log: UTF-8 CSV (RFC 4180; a UTF-8 byte order mark is skipped; blank lines are
 * ignored), one header row of distinct column names, then at least one row of numbers with as
 * many fields as the header. Everything else is refused with a {@link BadLogException} naming the
 * file, the line and what is wrong:
 * <ul>
 *   <li>an empty file, a file with a header and no rows, a first row of numbers (no header);</li>
 *   <li>bytes that are not UTF-8;</li>
 *   <li>a header with an empty or repeated name;</li>
 *   <li>a row with fewer or more fields than the header (ragged rows);</li>
 *   <li>a value that is not a decimal number (see {@link Numbers}), and NaN or infinite
 *       values: a mean over runs with a NaN is NaN, and leaving the value out would average
 *       over fewer runs without saying so. A diverged run is quarantined where it can be seen.</li>
 *   <li>with a step column: a step that does not increase.</li>
 * </ul>
 * Commons CSV splits the records; {@link Numbers} checks and parses the cells. Stateless and thread-safe.
 */
public final class LogReader {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .get();

    private final String stepColumn;

    /** @param stepColumn the name of the column that holds the step, checked to increase */
    public LogReader(String stepColumn) {
        this.stepColumn = stepColumn;
    }

    /** Reads a log from its bytes; {@code name} names it in errors. */
    public RunLog read(String name, byte[] bytes) throws BadLogException {
        if (bytes.length == 0) {
            throw new BadLogException(name, 0, "empty file (0 bytes): expected a header row and one row per step");
        }
        String text = decode(name, bytes);
        try (CSVParser parser = CSVParser.parse(text, FORMAT)) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                throw new BadLogException(name, 0, "no header row: the file holds only blank lines");
            }
            CSVRecord headerRecord = it.next();
            long headerLine = lineOf(text, headerRecord.getCharacterPosition());
            List<String> columns = header(name, headerRecord, headerLine);
            int width = columns.size();
            int step = columns.indexOf(stepColumn);
            int capacity = 1024;
            double[][] values = new double[width][capacity];
            String[] cells = new String[capacity * width];
            int r = 0;
            while (it.hasNext()) {
                CSVRecord record = it.next();
                if (record.size() != width) {
                    throw new BadLogException(name, lineOf(text, record.getCharacterPosition()), "this row has "
                            + record.size() + " field" + (record.size() == 1 ? "" : "s") + ", the header (line "
                            + headerLine + ") has " + width + " (" + String.join(",", columns) + ")");
                }
                if (r == capacity) {
                    capacity *= 2;
                    for (int c = 0; c < width; c++) {
                        values[c] = Arrays.copyOf(values[c], capacity);
                    }
                    cells = Arrays.copyOf(cells, capacity * width);
                }
                for (int c = 0; c < width; c++) {
                    String cell = record.get(c);
                    double v = Numbers.parse(cell);
                    if (Double.isNaN(v) || Double.isInfinite(v)) {
                        throw new BadLogException(name, lineOf(text, record.getCharacterPosition()),
                                valueProblem(columns.get(c), c, cell, v));
                    }
                    values[c][r] = v;
                    cells[r * width + c] = cell;
                }
                if (step >= 0 && r > 0 && !(values[step][r] > values[step][r - 1])) {
                    throw new BadLogException(name, lineOf(text, record.getCharacterPosition()), "column '"
                            + stepColumn + "' must increase from row to row: " + record.get(step) + " follows "
                            + cells[(r - 1) * width + step]);
                }
                r++;
            }
            if (r == 0) {
                throw new BadLogException(name, headerLine, "header only, no data rows (" + String.join(",", columns)
                        + "): the job wrote nothing after its header");
            }
            for (int c = 0; c < width; c++) {
                values[c] = Arrays.copyOf(values[c], r);
            }
            return new RunLog(name, List.copyOf(columns), r, Arrays.copyOf(cells, r * width), values);
        } catch (UncheckedIOException | IOException e) {
            // Commons CSV reports malformed quoting this way, with its own line number
            Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
            throw new BadLogException(name, 0, "malformed CSV: " + cause.getMessage());
        }
    }

    /** 1-based line of a character position in the text (counted only when reporting an error). */
    private static long lineOf(String text, long position) {
        long line = 1;
        int end = (int) Math.min(position, text.length());
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The text of the bytes, strictly UTF-8, without a byte order mark. */
    private static String decode(String name, byte[] bytes) throws BadLogException {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            long line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new BadLogException(name, line, String.format("not UTF-8 text: byte 0x%02X at byte offset %d "
                    + "is not valid UTF-8 (save the log as UTF-8)", bytes[at] & 0xFF, at));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    private List<String> header(String name, CSVRecord record, long line) throws BadLogException {
        List<String> columns = new ArrayList<>(record.size());
        Map<String, Integer> seen = new HashMap<>();
        boolean allNumbers = true;
        for (int c = 0; c < record.size(); c++) {
            String col = record.get(c);
            if (col.isEmpty()) {
                throw new BadLogException(name, line, "the header's field " + (c + 1) + " is empty: every column needs a name");
            }
            Integer before = seen.putIfAbsent(col, c);
            if (before != null) {
                throw new BadLogException(name, line, "the header names column '" + col + "' twice (fields "
                        + (before + 1) + " and " + (c + 1) + ")");
            }
            allNumbers &= Numbers.isDecimal(col);
            columns.add(col);
        }
        if (allNumbers) {
            throw new BadLogException(name, line, "the first row holds numbers, not column names: the log needs a header row"
                    + " such as step,reward");
        }
        return columns;
    }

    private static String valueProblem(String column, int c, String cell, double v) {
        String where = "column '" + column + "' (field " + (c + 1) + ")";
        if (cell.isEmpty()) {
            return where + " is empty: every cell must hold a number";
        }
        if (Double.isInfinite(v)) {
            return where + ": " + cell + " is beyond the range of a double";
        }
        if (Numbers.isNonFiniteSpelling(cell)) {
            return where + " is " + cell + ": NaN and infinite values are refused, because a mean over runs with one is "
                    + "meaningless and leaving it out would silently average over fewer runs (did the run diverge?)";
        }
        return where + ": '" + abbreviate(cell) + "' is not a number";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
