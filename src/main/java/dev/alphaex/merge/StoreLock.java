package dev.alphaex.merge;

import dev.alphaex.files.ProcessLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One merger per results folder: {@code merger.lock}, a {@link ProcessLock} held from open to close and released by
 * the OS when the process ends, however it ends (kill -9 too), so a lock is never stale. A second merger, in this
 * process or another, is refused with the holder's pid, host and start time.
 */
final class StoreLock implements AutoCloseable {
    static final String FILE = "merger.lock";

    private final ProcessLock lock;

    private StoreLock(ProcessLock lock) {
        this.lock = lock;
    }

    /**
     * Takes the folder's lock.
     *
     * @throws IllegalStateException when another merger (in this process or another) holds it
     */
    static StoreLock take(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            return new StoreLock(ProcessLock.take(dir.toRealPath().resolve(FILE)));
        } catch (ProcessLock.Held e) {
            throw new IllegalStateException("results store " + dir + " is in use by another merger: " + e.holder()
                    + " holds " + dir.resolve(FILE) + ". Two mergers on one store would merge runs twice or lose them: "
                    + "stop the other one first (the lock goes with its process, also when it is killed)");
        }
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
