package dev.alphaex.merge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * When a file in the inbox is complete, so that no log is ever merged in part.
 *
 * <p>Nothing in a file says it is complete. Camel's read locks look at it from outside: with
 * {@code readLock=changed}, a file is taken once its size and time have not changed for a while, so a
 * writer that pauses longer (a stalled scp, a job that appends its rows in two commands) gets its first
 * part merged as a whole run. What does tell is how the file arrived:
 * <ul>
 *   <li><b>renamed in</b> (the job contract: written under a temporary name, then {@code mv}; also how
 *       the campaign brings logs from the clusters): complete the moment it appears. The inbox is
 *       watched (inotify on Linux): such a file appears and is never written under its name.</li>
 *   <li><b>written in place</b> (a copy by hand, a job writing {@code <index>.csv} directly): no sign
 *       tells its last write from a pause, so it is taken only once unchanged for the quiet time
 *       ({@code merge.readLockMinAge}, default 5 s): a pause longer than that still cuts it (then the
 *       refusal of its second part says that the first was still being written).</li>
 * </ul>
 * A file seen being written, or there before the watch began (a restart), or any file after the
 * watch lost events (an overflow), follows the quiet time. A renamed-in file is taken once the watch
 * has seen it for {@link #GRACE_MILLIS} ms unchanged, so that a write that follows a creation at once
 * is never missed. Anything that is not a regular file is "complete": the merger refuses it.
 */
final class InboxArrivals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboxArrivals.class);
    /** How long a renamed-in file must have been seen, unchanged, before it is taken. */
    static final long GRACE_MILLIS = 50;

    /** A name that appeared while watched: when, as what, and whether it was written since. */
    private record Arrival(long seenNanos, long size, long modified, boolean written) {
    }

    private final long quietMillis;
    private final Path inbox;
    private final WatchService watch;
    private final Thread thread;
    private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();

    private InboxArrivals(long quietMillis, Path inbox, WatchService watch) {
        this.quietMillis = quietMillis;
        this.inbox = inbox;
        this.watch = watch;
        this.thread = watch == null ? null : new Thread(this::run, "inbox-watch");
    }

    /** The quiet-time rule alone (no watch): every file is taken once unchanged for {@code quietMillis}. */
    static InboxArrivals unwatched(long quietMillis) {
        return new InboxArrivals(quietMillis, null, null);
    }

    /** Watches the inbox (created when missing) from now on. */
    static InboxArrivals watch(Path inbox, long quietMillis) throws IOException {
        Files.createDirectories(inbox);
        WatchService ws = FileSystems.getDefault().newWatchService();
        inbox.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        InboxArrivals a = new InboxArrivals(quietMillis, inbox, ws);
        a.thread.setDaemon(true);
        a.thread.start();
        return a;
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    on(event);
                }
                key.reset();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        }
    }

    private void on(WatchEvent<?> event) {
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            LOG.debug("Inbox {}: the watch lost events; files there now wait for the quiet time", inbox);
            arrivals.clear();
            return;
        }
        String name = event.context().toString();
        if (event.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
            arrivals.remove(name);
        } else if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
            BasicFileAttributes a = attributes(inbox.resolve(name));
            arrivals.put(name, new Arrival(System.nanoTime(), a == null ? -1 : a.size(),
                    a == null ? -1 : a.lastModifiedTime().toMillis(), false));
        } else {
            arrivals.compute(name, (n, a) -> a == null ? new Arrival(System.nanoTime(), -1, -1, true)
                    : new Arrival(a.seenNanos(), a.size(), a.modified(), true));
        }
    }

    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the file may be merged now (see the class comment). */
    boolean isComplete(Path file) {
        BasicFileAttributes a = attributes(file);
        if (a == null) {
            return false; // gone meanwhile
        }
        if (!a.isRegularFile()) {
            return true; // never read: refused by the merge
        }
        long modified = a.lastModifiedTime().toMillis();
        Arrival arrival = watch == null ? null : arrivals.get(file.getFileName().toString());
        if (arrival != null && !arrival.written() && arrival.size() > 0 && arrival.size() == a.size()
                && arrival.modified() == modified
                && System.nanoTime() - arrival.seenNanos() >= TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS)) {
            return true; // renamed in
        }
        return System.currentTimeMillis() - modified >= quietMillis;
    }

    /** Whether the file arrived whole by a rename, as far as the watch saw (for the reason of a refusal). */
    boolean wasRenamedIn(Path file) {
        Arrival arrival = arrivals.get(file.getFileName().toString());
        return arrival != null && !arrival.written();
    }

    @Override
    public void close() throws IOException {
        if (watch != null) {
            watch.close();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
