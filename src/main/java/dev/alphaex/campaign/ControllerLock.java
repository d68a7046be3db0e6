package dev.alphaex.campaign;

import dev.alphaex.files.ProcessLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One controller per campaign: {@code <campaign.dir>/controller.lock}, a {@link ProcessLock} held for the
 * controller's life and released by the OS when the process ends in any way (also kill -9). It used to be taken on
 * ledger.jsonl, which the replay then read and closed, so the lock was gone a moment after start and a second
 * controller ran next to the first (see ProcessLock for why a file of its own).
 */
final class ControllerLock implements AutoCloseable {
    static final String FILE = "controller.lock";

    private final ProcessLock lock;

    private ControllerLock(ProcessLock lock) {
        this.lock = lock;
    }

    /**
     * Takes the campaign's lock in {@code dir}, or refuses at once.
     *
     * @param campaign the campaign's name, for the message
     * @throws CampaignHeldException when another controller holds it; the message names that process
     */
    static ControllerLock acquire(Path dir, String campaign) {
        Path file = dir.resolve(FILE).toAbsolutePath().normalize();
        try {
            return new ControllerLock(ProcessLock.take(file));
        } catch (ProcessLock.Held e) {
            throw new CampaignHeldException("campaign '" + campaign + "' (" + file.getParent() + ") is run by another controller: "
                    + e.holder() + ". Two controllers would submit every job twice, so this one does not start: stop the other one"
                    + " first (its lock: " + file + "; the OS releases it when that process ends, also after kill -9)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** The controller that holds the campaign in {@code dir} now, or empty (alphaex status: never takes the lock). */
    static Optional<String> liveHolder(Path dir) {
        return ProcessLock.liveHolder(dir.resolve(FILE));
    }

    Path file() {
        return lock.file();
    }

    /** Releases the lock (the file stays: the next holder overwrites it). */
    @Override
    public void close() throws IOException {
        lock.close();
    }
}
