package dev.alphaex.files;

import java.io.IOException;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process at a time: an exclusive lock on a file of its own that nothing else opens, held until {@link #close}
 * and released by the OS when the process ends in any way (also kill -9), so a lock is never stale. The controller's
 * {@code controller.lock} and the merger's {@code merger.lock} are both this.
 *
 * <p>Why a file of its own: on Linux a process loses every POSIX (fcntl) lock it holds on a file as soon as it closes
 * <em>any</em> descriptor of that file (what {@link FileChannel#tryLock} takes), so a lock on a file other code opens
 * and closes (a ledger, a database) would silently vanish. For the same reason the holder's description is read only
 * by a process that failed to get the lock, and a second lock in the same JVM is refused from a table of this JVM's
 * locks without opening the file at all.
 *
 * <p>The holder writes its pid, host and start time into the file ({@code holder: pid 123 on host, started ...}), so
 * that a refusal says which process holds it.
 */
public final class ProcessLock implements AutoCloseable {
    /** Another process (or this JVM) holds the lock; {@link #holder()} describes it. */
    public static final class Held extends Exception {
        private final String holder;

        Held(String holder) {
            super(holder);
            this.holder = holder;
        }

        /** "pid 123 on host, started ..." (", this process" when this JVM holds it). */
        public String holder() {
            return holder;
        }
    }

    /** Locks this JVM holds, by absolute file, with their holder's description. */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();
    private static final Pattern HOLDER = Pattern.compile("pid ([0-9]+) on (\\S+), started (\\S+)");

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private ProcessLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code file} (created with its folder when missing), or refuses at once.
     *
     * @throws Held when another process, or this JVM, holds it
     */
    public static ProcessLock take(Path file) throws Held, IOException {
        Path key = file.toAbsolutePath().normalize();
        String me = "pid " + ProcessHandle.current().pid() + " on " + host() + ", started " + startTime();
        String holder = HELD.putIfAbsent(key, me);
        if (holder != null) {
            throw new Held(holder + ", this process");
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(key.getParent());
            ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new Held(describe(Files.readString(key, StandardCharsets.UTF_8)));
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("holder: " + me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            return new ProcessLock(key, ch, lock);
        } catch (Held | IOException | RuntimeException e) {
            HELD.remove(key, me);
            if (ch != null) {
                ch.close(); // no lock of this process is on this file: closing costs nothing
            }
            throw e;
        }
    }

    /**
     * The process that holds the lock on {@code file} now, described, or empty when none does; for readers that must
     * never take it (alphaex status). In this JVM from its table of locks (opening the file here would drop the lock);
     * else from the file's holder line, believed when that process is alive on this host with that start time (a
     * holder on another host is taken at its word).
     */
    public static Optional<String> liveHolder(Path file) {
        Path key = file.toAbsolutePath().normalize();
        String mine = HELD.get(key);
        if (mine != null) {
            return Optional.of(mine);
        }
        String holder;
        try {
            holder = describe(Files.readString(key, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
        Matcher m = HOLDER.matcher(holder);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (Long.parseLong(m.group(1)) == ProcessHandle.current().pid() && m.group(2).equals(host())) {
            return Optional.empty(); // this JVM: its table above says what it holds
        }
        if (!m.group(2).equals(host())) {
            return Optional.of(holder + " (another host: not checked from here)");
        }
        boolean alive = ProcessHandle.of(Long.parseLong(m.group(1))).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().startInstant()).map(t -> t.toString().equals(m.group(3))).orElse(false);
        return alive ? Optional.of(holder) : Optional.empty();
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

    public Path file() {
        return file;
    }

    /** Releases the lock (the file stays: the next holder overwrites it). */
    @Override
    public void close() throws IOException {
        HELD.remove(file);
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
