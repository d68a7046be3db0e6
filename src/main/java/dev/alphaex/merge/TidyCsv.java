package dev.alphaex.merge;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code merged.csv}, the tidy table as a file for pandas or R: one row per run and step,
 * {@code index,run,<configuration...>,step,<metrics...>}. Cells keep the job's own digits. Rows are
 * appended per batch before the batch's transaction commits, and the database records how many
 * bytes are committed ({@code meta.tidy_end}): on opening, bytes past it (a batch that never
 * committed) are cut off, and a file shorter than it (lost, or not on disk yet when the machine
 * stopped: it is not forced) is written again from the database, with numbers as Java prints them.
 */
final class TidyCsv implements AutoCloseable {
    static final String FILE = "merged.csv";
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private static final Logger LOG = LoggerFactory.getLogger(TidyCsv.class);

    private final Path dir;
    private final FileChannel channel;

    TidyCsv(Path file) throws IOException {
        this.dir = file.getParent();
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    long size() throws IOException {
        return channel.size();
    }

    void write(byte[] bytes, long at) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long pos = at;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
    }

    void truncate(long size) throws IOException {
        channel.truncate(size);
    }

    void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * Checks the file against its committed length: cuts off an uncommitted batch, or writes it
     * again from the database when short (and records the new length there).
     *
     * @return the committed length now
     */
    long reconcile(long committed, Schema schema, List<StoreDb.LogRow> logs, Summaries.RunReader runs, StoreDb db)
            throws IOException, SQLException {
        long size = size();
        if (size > committed) {
            LOG.warn("Results store {}: dropping {} bytes at the end of {} written by a batch that never committed "
                    + "(its logs are still in the inbox and merge again)", dir, size - committed, FILE);
            truncate(committed);
        } else if (size < committed) {
            LOG.warn("Results store {}: {} has {} bytes but {} were committed (lost or edited by hand?): writing it "
                    + "again from {} ({} runs; numbers as Java prints them)", dir, FILE, size, committed, StoreDb.FILE,
                    logs.size());
            long written = rewrite(schema, logs, runs);
            db.setMeta("tidy_end", Long.toString(written));
            return written;
        }
        return committed;
    }

    /** Writes the file again from the store's runs (numbers as Java prints them); returns its length. */
    long rewrite(Schema schema, List<StoreDb.LogRow> logs, Summaries.RunReader runs) throws IOException {
        channel.truncate(0);
        byte[] header = header(schema);
        write(header, 0);
        long at = header.length;
        double[] v = new double[schema.metrics.size()];
        for (StoreDb.LogRow row : logs) {
            JsonNode config = MergeStore.JSON.readTree(row.configuration());
            List<String> cells = new ArrayList<>();
            for (String key : schema.keys) {
                cells.add(Values.text(config.get(key)));
            }
            String prefix = prefix(row.index(), row.run(), cells);
            RunData run = runs.read(row);
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < row.rows(); r++) {
                for (int m = 0; m < v.length; m++) {
                    v[m] = run.values(m)[r];
                }
                row(sb, prefix, run.steps()[r], v);
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            write(bytes, at);
            at += bytes.length;
        }
        force();
        return at;
    }

    static byte[] header(Schema schema) {
        return (CSV.format(schema.tidyHeader().toArray()) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The cells before the step of every row of a run: index, run and the configuration's values, and a comma. */
    static String prefix(long index, long run, List<String> configCells) {
        List<Object> cells = new ArrayList<>(configCells.size() + 3);
        cells.add(index);
        cells.add(run);
        cells.addAll(configCells);
        cells.add(""); // the step follows the last comma
        return CSV.format(cells.toArray());
    }

    /**
     * The rows of a log: the prefix, then the step and the metrics as the job wrote them (in the
     * store's column order; {@code map[i]} is the log's column of the store's i-th log column, and
     * without a step column the row's number from 1 comes first).
     */
    static void rows(StringBuilder out, String prefix, RunLog log, int[] map, boolean stepInLogs) {
        for (int r = 0; r < log.rows(); r++) {
            out.append(prefix);
            if (!stepInLogs) {
                out.append(r + 1).append(',');
            }
            for (int i = 0; i < map.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(log.cell(r, map[i]));
            }
            out.append('\n');
        }
    }

    /** A row written from stored values (when merged.csv is written again from the database). */
    static void row(StringBuilder out, String prefix, double step, double[] values) {
        out.append(prefix).append(number(step));
        for (double v : values) {
            out.append(',').append(number(v));
        }
        out.append('\n');
    }

    /** A double's shortest text that reads back as the same double; whole numbers without ".0". */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
