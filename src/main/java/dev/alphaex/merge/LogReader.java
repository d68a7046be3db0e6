package dev.alphaex.merge;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
 *   <li>a value that is not a decimal number (see {@link Decimals}), and NaN or infinite
 *       values: a mean over runs with a NaN is NaN, and leaving the value out would average
 *       over fewer runs without saying so. A diverged run is quarantined where it can be seen.</li>
 *   <li>with a step column: a step that does not increase.</li>
 * </ul>
 * Stateless and thread-safe.
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
        Text text = Text.of(name, bytes);
        try (CSVParser parser = CSVParser.parse(text.reader(), FORMAT)) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                throw new BadLogException(name, 0, "no header row: the file holds only blank lines");
            }
            CSVRecord headerRecord = it.next();
            long headerLine = text.lineOf(headerRecord.getCharacterPosition());
            List<String> columns = header(name, headerRecord, headerLine);
            int width = columns.size();
            int step = columns.indexOf(stepColumn);
            int capacity = 1024;
            double[][] values = new double[width][capacity];
            // Where each cell's text is: in the file's own bytes when the record is plain (see
            // plainRecord), else copied after them (a copy of the file with room for the copies).
            byte[] cells = bytes;
            int overflow = -1;
            int[] starts = new int[capacity * width];
            int[] ends = new int[capacity * width];
            int[] lengths = new int[width];
            BitSet contiguous = new BitSet(capacity);
            boolean ascii = text.isAscii();
            int r = 0;
            while (it.hasNext()) {
                CSVRecord record = it.next();
                if (record.size() != width) {
                    throw new BadLogException(name, text.lineOf(record.getCharacterPosition()), "this row has "
                            + record.size() + " field" + (record.size() == 1 ? "" : "s") + ", the header (line "
                            + headerLine + ") has " + width + " (" + String.join(",", columns) + ")");
                }
                if (r == capacity) {
                    capacity *= 2;
                    for (int c = 0; c < width; c++) {
                        values[c] = Arrays.copyOf(values[c], capacity);
                    }
                    starts = Arrays.copyOf(starts, capacity * width);
                    ends = Arrays.copyOf(ends, capacity * width);
                }
                int k = r * width;
                int length = width - 1;
                for (int c = 0; c < width; c++) {
                    lengths[c] = record.get(c).length();
                    length += lengths[c];
                }
                int at = ascii ? text.start + (int) record.getCharacterPosition() : -1;
                if (ascii && plainRecord(bytes, at, at + length)) {
                    // the cells are the comma-separated pieces of the file's bytes [at, at + length)
                    contiguous.set(r);
                    for (int c = 0; c < width; c++) {
                        starts[k + c] = at;
                        at += lengths[c];
                        ends[k + c] = at;
                        at++;
                    }
                } else {
                    for (int c = 0; c < width; c++) {
                        String cell = record.get(c);
                        if (overflow < 0) {
                            // every cell comes from the file: its length bounds what is copied
                            cells = Arrays.copyOf(bytes, 2 * bytes.length);
                            overflow = bytes.length;
                        }
                        starts[k + c] = overflow;
                        if (!copy(cell, cells, overflow)) {
                            ends[k + c] = overflow; // not ASCII: no number (refused below)
                        } else {
                            overflow += lengths[c];
                            ends[k + c] = overflow;
                        }
                    }
                }
                for (int c = 0; c < width; c++) {
                    double v = starts[k + c] == ends[k + c] && lengths[c] > 0 ? Double.NaN
                            : Decimals.parse(cells, starts[k + c], ends[k + c]);
                    if (Double.isNaN(v) || Double.isInfinite(v)) {
                        throw new BadLogException(name, text.lineOf(record.getCharacterPosition()),
                                valueProblem(columns.get(c), c, record.get(c), v));
                    }
                    values[c][r] = v;
                }
                if (step >= 0 && r > 0 && !(values[step][r] > values[step][r - 1])) {
                    int before = k - width + step;
                    throw new BadLogException(name, text.lineOf(record.getCharacterPosition()), "column '"
                            + stepColumn + "' must increase from row to row: " + record.get(step) + " follows "
                            + new String(cells, starts[before], ends[before] - starts[before], StandardCharsets.US_ASCII));
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
            return new RunLog(name, List.copyOf(columns), r, cells, starts, ends, contiguous, values);
        } catch (UncheckedIOException | IOException e) {
            // Commons CSV reports malformed quoting this way, with its own line number
            Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
            throw new BadLogException(name, 0, "malformed CSV: " + cause.getMessage());
        }
    }

    /**
     * Whether the file's bytes {@code [from, to)} are one whole record as Commons CSV read it, cell
     * for cell: no quote, no blank or control char (so nothing was unquoted or trimmed, and no
     * blank line precedes it), and a line end or the end of the file right after. Then its cells
     * are exactly the comma-separated pieces of these bytes: the merge reads the numbers there and
     * copies whole rows into the merged CSV, with no copy per cell. {@code to - from} is the
     * record's cells' total length plus a comma between each two.
     */
    static boolean plainRecord(byte[] b, int from, int to) {
        if (from < 0 || to > b.length || (to < b.length && b[to] != '\n' && b[to] != '\r')) {
            return false;
        }
        int i = from;
        long bad = 0;
        for (; i + 8 <= to; i += 8) {
            long x = (long) Text.LONGS.get(b, i); // ASCII (checked): every byte below 0x80
            bad |= (x - 0x2121212121212121L) | ((x ^ 0x2222222222222222L) - 0x0101010101010101L);
        }
        if (i < to && to - from >= 8) {
            long x = (long) Text.LONGS.get(b, to - 8); // the last 8 bytes, overlapping what was checked
            bad |= (x - 0x2121212121212121L) | ((x ^ 0x2222222222222222L) - 0x0101010101010101L);
            i = to;
        }
        for (; i < to; i++) {
            int c = b[i];
            if (c <= ' ' || c == '"') {
                return false;
            }
        }
        // a byte below 0x21 (blank, control, line end) or equal to '"' borrows and sets its top bit
        return (bad & 0x8080808080808080L) == 0;
    }

    /**
     * Copies a cell's chars to {@code out} at {@code at}, one byte each, and says whether they are
     * all ASCII (else the cell is no number).
     */
    private static boolean copy(String cell, byte[] out, int at) {
        int n = cell.length();
        for (int i = 0; i < n; i++) {
            char ch = cell.charAt(i);
            if (ch >= 0x80) {
                return false;
            }
            out[at + i] = (byte) ch;
        }
        return true;
    }

    /**
     * A log's text for Commons CSV: checked to be UTF-8 first, and for the usual all-ASCII log read
     * straight from its bytes (one char per byte: no decoding, no copy into a String).
     */
    private static final class Text {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private final byte[] bytes;
        /** Where the text starts in {@code bytes}, after a byte order mark. */
        final int start;
        /** The decoded text when it is not all ASCII, else null. */
        private final String decoded;

        private Text(byte[] bytes, int start, String decoded) {
            this.bytes = bytes;
            this.start = start;
            this.decoded = decoded;
        }

        static Text of(String name, byte[] bytes) throws BadLogException {
            int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                    && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
            return isAscii(bytes, start) ? new Text(bytes, start, null) : new Text(bytes, start, decode(name, bytes, start));
        }

        /** Whether every byte from {@code from} is below 0x80 (8 bytes at a time). */
        static boolean isAscii(byte[] b, int from) {
            int i = from;
            int n = b.length;
            long any = 0;
            for (; i + 8 <= n; i += 8) {
                any |= (long) LONGS.get(b, i);
            }
            for (; i < n; i++) {
                any |= b[i];
            }
            return (any & 0x8080808080808080L) == 0;
        }

        /** Whether the whole text is ASCII (then so is every cell). */
        boolean isAscii() {
            return decoded == null;
        }

        Reader reader() {
            return decoded != null ? new StringReader(decoded) : new AsciiReader(bytes, start);
        }

        /** 1-based line of a character position in the text (counted only when reporting an error). */
        long lineOf(long position) {
            long line = 1;
            if (decoded != null) {
                int end = (int) Math.min(position, decoded.length());
                for (int i = 0; i < end; i++) {
                    if (decoded.charAt(i) == '\n') {
                        line++;
                    }
                }
            } else {
                int end = (int) Math.min(start + position, bytes.length);
                for (int i = start; i < end; i++) {
                    if (bytes[i] == '\n') {
                        line++;
                    }
                }
            }
            return line;
        }
    }

    /** Chars of ASCII bytes, one per byte (checked ASCII, so no byte is negative). */
    private static final class AsciiReader extends Reader {
        private final byte[] bytes;
        private int position;

        AsciiReader(byte[] bytes, int start) {
            this.bytes = bytes;
            this.position = start;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            int n = Math.min(length, bytes.length - position);
            if (n <= 0) {
                return length == 0 ? 0 : -1;
            }
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (char) bytes[position + i];
            }
            position += n;
            return n;
        }

        @Override
        public void close() {
        }
    }

    private static String decode(String name, byte[] bytes, int start) throws BadLogException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        try {
            java.nio.charset.CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                result.throwException();
            }
            decoder.flush(out);
        } catch (MalformedInputException e) {
            int at = in.position();
            long line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new BadLogException(name, line, String.format("not UTF-8 text: byte 0x%02X at byte offset %d "
                    + "is not valid UTF-8 (save the log as UTF-8)", bytes[at] & 0xFF, at));
        } catch (CharacterCodingException e) {
            throw new BadLogException(name, 0, "not UTF-8 text: " + e);
        }
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
            allNumbers &= !Double.isNaN(Decimals.parse(col));
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
        if (Decimals.isNonFiniteSpelling(cell)) {
            return where + " is " + cell + ": NaN and infinite values are refused, because a mean over runs with one is "
                    + "meaningless and leaving it out would silently average over fewer runs (did the run diverge?)";
        }
        return where + ": '" + abbreviate(cell) + "' is not a number";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
