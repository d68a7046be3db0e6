package dev.alphaex.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only file of JSON lines, one typed {@link LedgerEvent} each. {@link #append} buffers an event in the file's page cache;
 * {@link #force} makes everything appended so far durable (fsync), and is called before any
 * action the events describe (an sbatch) and after each batch of observations.
 *
 * <p>Reading tolerates one torn last line (a crash while appending): every event is written
 * before the action it announces, so dropping an unfinished one is always safe; it is reported and
 * its bytes are kept in {@code <journal>.torn-<time>}. A damaged line
 * anywhere else is an error that names the file and the line.
 */
final class Journal implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Path file;
    private final FileChannel channel;

    private Journal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Opens the journal for appending. It takes no lock: one controller per campaign is
     * {@link ControllerLock}'s job, on a file of its own (a lock on this file would not survive
     * {@link #read}, see there).
     */
    static Journal open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new Journal(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    }

    /**
     * Reads every complete event. A last line without its newline is a torn append: it is cut off
     * (so that later appends stay aligned; its bytes are kept next to the file) and ignored. Any other
     * line that is not an event is an error naming the file and the line.
     */
    static List<LedgerEvent> read(Path file) throws IOException {
        return read(file, true);
    }

    /**
     * Reads every complete event; with {@code repair} false nothing is written (a reader beside a running
     * controller: a torn last line is only left out).
     */
    static List<LedgerEvent> read(Path file, boolean repair) throws IOException {
        List<LedgerEvent> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        byte[] bytes = Files.readAllBytes(file);
        int lineStart = 0;
        int lineNo = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            lineNo++;
            String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
            events.add(parse(file, lineNo, line));
            lineStart = i + 1;
        }
        if (lineStart < bytes.length && repair) {
            keepTorn(file, bytes, lineStart);
            truncate(file, lineStart);
        }
        return events;
    }

    private static LedgerEvent parse(Path file, int lineNo, String line) throws IOException {
        LedgerEvent event;
        try {
            event = JSON.readValue(line, LedgerEvent.class);
        } catch (InvalidTypeIdException e) {
            throw new IOException(file + ":" + lineNo + ": unknown event type '" + e.getTypeId() + "' (a ledger of a newer"
                    + " AlphaEx?): " + abbreviate(line), e);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ":" + lineNo + ": damaged journal line (" + e.getOriginalMessage()
                    + "); the campaign cannot be replayed safely: " + abbreviate(line), e);
        }
        if (event == null) {
            throw new IOException(file + ":" + lineNo + ": not a journal event: " + abbreviate(line));
        }
        if (event instanceof LedgerEvent.Open open && open.v() > LedgerEvent.VERSION) {
            throw new IOException(file + ":" + lineNo + ": a ledger of format " + open.v() + ", written by a newer AlphaEx"
                    + " (this one reads format " + LedgerEvent.VERSION + " and earlier): run the campaign with that version");
        }
        return event;
    }

    /** A torn last append is cut off, but never without a word: its bytes are kept next to the journal. */
    private static void keepTorn(Path file, byte[] bytes, int start) throws IOException {
        Path copy = file.resolveSibling(file.getFileName() + ".torn-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
                .format(LocalDateTime.now()));
        Files.write(copy, Arrays.copyOfRange(bytes, start, bytes.length), StandardOpenOption.CREATE_NEW);
        LOG.warn("{}: its last line was cut off (a controller stopped while writing it): {} byte(s) dropped from the journal and"
                + " kept in {}: {}. Every event is written before the step it announces, so that step is checked again now.",
                file, bytes.length - start, copy, abbreviate(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8)));
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /** Appends one event (not yet durable; see {@link #force}). */
    void append(LedgerEvent event) {
        try {
            byte[] line = (JSON.writerFor(LedgerEvent.class).writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the campaign journal " + file, e);
        }
    }

    /** Makes every appended event durable. */
    void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the campaign journal " + file, e);
        }
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
