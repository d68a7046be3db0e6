package dev.alphaex.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An sshd log (LogLevel VERBOSE) read from a mark on: how many authentications of each kind happened
 * since. The lab's sshd-mfa logs per login "Partial publickey for axm" (the key passed; the second factor
 * is asked next), then "Accepted keyboard-interactive/pam for axm" or "Failed keyboard-interactive/pam for axm".
 */
public final class SshdLog {
    /** A TCP connection: every login attempt starts with one. */
    public static final String CONNECTION = "Connection from ";
    public static final String KEY_PASSED = "Partial publickey for ";
    public static final String ANSWER_ACCEPTED = "Accepted keyboard-interactive/pam for ";
    public static final String ANSWER_REJECTED = "Failed keyboard-interactive/pam for ";

    private final Path file;
    private final long mark;

    private SshdLog(Path file, long mark) {
        this.file = file;
        this.mark = mark;
    }

    /** The log from its current end on. */
    public static SshdLog from(Path file) {
        try {
            return new SshdLog(file, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines written since the mark. */
    public String since() {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            ch.position(mark);
            ByteBuffer buf = ByteBuffer.allocate((int) Math.max(0, ch.size() - mark));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read all
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines since the mark that contain {@code what}. */
    public int count(String what) {
        return (int) since().lines().filter(l -> l.contains(what)).count();
    }

    /**
     * The count of {@code what} once the log has been quiet for a moment (sshd writes as the login goes on),
     * waiting at most {@code limit}.
     */
    public int settled(String what, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        int last = -1;
        int stable = 0;
        while (System.nanoTime() < end) {
            int n = count(what);
            stable = n == last ? stable + 1 : 0;
            if (stable >= 5) {
                return n;
            }
            last = n;
            Thread.sleep(100);
        }
        return count(what);
    }
}
