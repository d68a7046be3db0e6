package dev.alphaex.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
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
 * One controller per campaign: an exclusive lock on {@code <campaign.dir>/controller.lock}, held for the
 * controller's life and released by the OS when the process ends in any way (also kill -9).
 *
 * <p>The lock has a file of its own that nothing else opens, because on Linux a process loses every
 * POSIX (fcntl) lock it holds on a file as soon as it closes <em>any</em> descriptor of that file: the
 * lock used to be taken on ledger.jsonl, which the replay then read and closed, so the lock was gone a
 * moment after start and a second controller ran next to the first. For the same reason the holder's
 * description is read only by a process that failed to get the lock, and a second controller in the
 * same JVM (tests) is refused from a table of this JVM's locks without opening the file at all.
 *
 * <p>The holder writes its pid, host and start time into the file, so that a refusal says which process
 * holds the campaign.
 */
final class ControllerLock implements AutoCloseable {
    static final String FILE = "controller.lock";
    /** Locks this JVM holds, by absolute file, with their holder's description. */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private ControllerLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the campaign's lock in {@code dir}, or refuses at once.
     *
     * @param campaign the campaign's name, for the message
     * @throws CampaignHeldException when another controller (process) holds it; the message names that process
     */
    static ControllerLock acquire(Path dir, String campaign) {
        Path file = dir.resolve(FILE).toAbsolutePath().normalize();
        String holder = HELD.get(file);
        if (holder != null) {
            throw held(file, campaign, holder);
        }
        try {
            Files.createDirectories(file.getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close(); // we hold no lock on it: closing costs nothing
                throw held(file, campaign, describe(Files.readString(file, StandardCharsets.UTF_8)));
            }
            String me = "pid " + ProcessHandle.current().pid() + " on " + host() + ", started " + startTime();
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("holder: " + me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            HELD.put(file, me);
            return new ControllerLock(file, ch, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The controller that holds the campaign in {@code dir} now, described ("pid 123 on host, started ..."), or empty when
     * none does; for {@code alphaex status}, which must never take the lock. In this JVM from its table of locks
     * (opening the file here would drop the lock, see above); else from the holder line of the file, believed when that
     * process is alive on this host with that start time (a controller on another host is taken at its word).
     */
    static java.util.Optional<String> liveHolder(Path dir) {
        Path file = dir.resolve(FILE).toAbsolutePath().normalize();
        String mine = HELD.get(file);
        if (mine != null) {
            return java.util.Optional.of(mine);
        }
        String holder;
        try {
            holder = describe(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("pid ([0-9]+) on (\\S+), started (\\S+)").matcher(holder);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        if (Long.parseLong(m.group(1)) == ProcessHandle.current().pid() && m.group(2).equals(host())) {
            return java.util.Optional.empty(); // this JVM: its table above says what it holds
        }
        if (!m.group(2).equals(host())) {
            return java.util.Optional.of(holder + " (another host: not checked from here)");
        }
        boolean alive = ProcessHandle.of(Long.parseLong(m.group(1))).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().startInstant()).map(t -> t.toString().equals(m.group(3))).orElse(false);
        return alive ? java.util.Optional.of(holder) : java.util.Optional.empty();
    }

    private static CampaignHeldException held(Path file, String campaign, String holder) {
        return new CampaignHeldException("campaign '" + campaign + "' (" + file.getParent() + ") is run by another controller: " + holder
                + ". Two controllers would submit every job twice, so this one does not start: stop the other one first"
                + " (its lock: " + file + "; the OS releases it when that process ends, also after kill -9)");
    }

    /** The holder line of a lock file's text. */
    private static String describe(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("holder: ")) {
                return line.substring("holder: ".length()).trim();
            }
        }
        return "a process that has not written its name yet";
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    private static String startTime() {
        return ProcessHandle.current().info().startInstant().map(Instant::toString)
                .orElse(Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()).toString());
    }

    Path file() {
        return file;
    }

    /** Releases the lock (the file stays: the next holder overwrites it). */
    @Override
    public void close() throws IOException {
        HELD.remove(file);
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
