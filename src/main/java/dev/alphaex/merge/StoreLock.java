package dev.alphaex.merge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One merger per results folder: an exclusive lock on {@code merger.lock}, a file that nothing else
 * opens, held from open to close. The OS releases it when the process ends, however it ends (kill
 * -9 too), so a lock is never stale. The file holds the holder's process id and start time, for the
 * message that refuses a second merger.
 *
 * <p>Why a file of its own: on Linux a process's record locks (what {@link FileChannel#tryLock} takes)
 * are dropped when the process closes <em>any</em> descriptor of the file, so a lock on a file that
 * other code opens and closes (the database, a CSV) would silently vanish. Within one JVM a second
 * lock on the same file is refused by the JVM itself ({@link OverlappingFileLockException}); a
 * registry of the folders this JVM holds makes that message as clear as the other.
 */
final class StoreLock implements AutoCloseable {
    static final String FILE = "merger.lock";
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the folder's lock.
     *
     * @throws IllegalStateException when another merger (in this process or another) holds it
     */
    static StoreLock take(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path key = dir.toRealPath();
        String me = "process " + ProcessHandle.current().pid() + " (since " + Instant.now() + ")";
        String holder = HELD.putIfAbsent(key, me);
        if (holder != null) {
            throw inUse(dir, holder + ", this process");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw inUse(dir, holderOf(ch));
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new StoreLock(key, ch, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key, me);
            if (ch != null) {
                ch.close(); // ours: no lock of this process is on this file
            }
            throw e;
        }
    }

    private static String holderOf(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(256);
            ch.read(b, 0);
            String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "another process" : text;
        } catch (IOException e) {
            return "another process";
        }
    }

    private static IllegalStateException inUse(Path dir, String holder) {
        return new IllegalStateException("results store " + dir + " is in use by another merger: " + holder
                + " holds " + dir.resolve(FILE) + ". Two mergers on one store would merge runs twice or lose them: "
                + "stop the other one first (the lock goes with its process, also when it is killed)");
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } finally {
            HELD.remove(key);
        }
    }
}
