package dev.alphaex.report;

import dev.alphaex.merge.InboxMerger;
import dev.alphaex.merge.MergeStore;
import dev.alphaex.merge.ResultsSnapshot;
import dev.alphaex.plot.PlotSpec;
import dev.alphaex.plot.PlotSpecException;
import dev.alphaex.plot.Plotter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The plot step of the results route: draws every figure of the plot spec from the merged store
 * into the results folder and rewrites the report page; and, between replots, refreshes the
 * page's progress table when the campaign's status file changes. The spec is re-read when its
 * file changes; a spec that became invalid is reported on the page and in the log, and the last
 * good one is used. An invalid spec at start stops the start, with the file, line and place.
 *
 * <p>Configured with setters, then {@link #start()}; plain Java (the route calls it as a bean).
 */
public final class ReportService {
    private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);
    public static final String PAGE = "index.html";
    private static final int REFUSED_SHOWN = 20;

    private InboxMerger merger;
    private String specFile;
    private String statusFile;
    private String inbox;
    private String campaign = "";
    private int refreshSeconds = 15;
    private Plotter plotter;
    private PlotSpec spec;
    private FileTime specTime;
    private String specProblem;
    private List<Plotter.Chart> charts = List.of();
    private FileTime statusTime;
    private long version = -1;
    private volatile boolean closed;
    private boolean warmUp = true;
    private long minIntervalMillis = 2000;
    private volatile long lastDrawStarted;
    private Thread warm;
    private long statusPeriod = 5000;
    /** A drawing was asked for within the minimum interval: the next {@link #tick()} after it draws. */
    private volatile boolean pending;
    private volatile int drawings;

    /** The merge bean whose store is drawn. */
    public void setMerger(InboxMerger merger) {
        this.merger = merger;
    }

    /** The plot spec file ({@code plot.spec}). */
    public void setSpec(String specFile) {
        this.specFile = specFile;
    }

    /** The campaign engine's status file ({@code ${campaign.dir}/status.json}). */
    public void setStatus(String statusFile) {
        this.statusFile = statusFile;
    }

    /** The inbox (its error/ folder lists the refused logs). */
    public void setInbox(String inbox) {
        this.inbox = inbox;
    }

    /** The campaign's name, for the page's title. */
    public void setCampaign(String campaign) {
        this.campaign = campaign;
    }

    /** The page reloads itself in a browser every so many seconds (0: never; a finished campaign's page: never). */
    public void setRefreshSeconds(int refreshSeconds) {
        this.refreshSeconds = refreshSeconds;
    }

    /** How often the route re-reads the status file ({@code report.statusPeriod}, ms); checked here. */
    public void setStatusPeriod(long statusPeriod) {
        this.statusPeriod = statusPeriod;
    }

    /**
     * At least this long between two drawings (default 2000 ms; 0: none). Requests that arrive
     * meanwhile are coalesced by the route's queue of one, so a long burst of logs redraws every
     * couple of seconds instead of after every batch, and leaves the cores to the jobs; the first
     * drawing after a quiet spell is immediate.
     */
    public void setMinIntervalMillis(long minIntervalMillis) {
        this.minIntervalMillis = minIntervalMillis;
    }

    /** Whether start() draws once in the background, paying the chart library's first-use cost early (default true). */
    public void setWarmUp(boolean warmUp) {
        this.warmUp = warmUp;
    }

    /**
     * Checks the settings and reads the spec (failing on errors, each naming the property or the
     * spec's file and line), then warms the chart library up in the background.
     */
    public void start() {
        atLeast("report.refreshSeconds", refreshSeconds, 0, "seconds between reloads of the page in a browser; 0: never");
        atLeast("report.minIntervalMillis", minIntervalMillis, 0, "the least time between two drawings; 0: none");
        atLeast("report.statusPeriod", statusPeriod, 1, "milliseconds between two readings of the campaign's status");
        plotter = new Plotter(merger.store().sweep());
        Path file = Path.of(specFile);
        spec = PlotSpec.load(file, merger.store().sweep());
        specTime = modified(file);
        if (warmUp) {
            warm = new Thread(this::warmUp, "plot-warm-up");
            warm.setDaemon(true);
            warm.start();
        }
    }

    private static void atLeast(String property, long value, long min, String meaning) {
        if (value < min) {
            throw new IllegalArgumentException("property " + property + " must be " + min + " or more (" + meaning
                    + "), got " + value);
        }
    }

    private void warmUp() {
        if (closed) {
            return;
        }
        try {
            // the first chart in a JVM costs up to a second (fonts, classes): pay it before the first log arrives
            replot();
        } catch (IllegalStateException e) {
            LOG.debug("No first drawing: {}", e.toString()); // the merger was closed meanwhile (a stop)
        } catch (IOException | RuntimeException e) {
            LOG.warn("First drawing of the report failed: {}", e.toString());
        }
    }

    private Path results() {
        return merger.store().dir();
    }

    /**
     * Draws every chart and rewrites the page, no sooner than the minimum interval after the last
     * drawing. Returns the page (null once closed).
     */
    public Path replot() throws IOException {
        long wait = lastDrawStarted + minIntervalMillis - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return draw();
    }

    /**
     * The route's replot: draws now if the minimum interval has passed since the last drawing
     * began, else leaves the drawing to the next {@link #tick()} after the interval. Never waits,
     * so a stop is never held up by a replot that waits for its turn.
     */
    public void requestReplot() throws IOException {
        // once the campaign has finished no burst is coming: the last logs are drawn at once, so a
        // stop right after them (campaign.exitWhenDone) still waits for their drawing in this exchange
        if (System.currentTimeMillis() - lastDrawStarted >= minIntervalMillis || campaignFinished()) {
            draw();
        } else {
            pending = true;
        }
    }

    /**
     * Called every few hundred milliseconds by a timer route: draws a drawing left pending once the
     * minimum interval has passed, and redraws at once when the plot spec file was changed (a valid
     * edit is drawn within a second; an invalid one is shown on the page).
     */
    public void tick() throws IOException {
        if (closed || version < 0) {
            return;
        }
        FileTime t = modified(Path.of(specFile));
        boolean specChanged = t != null && !t.equals(specTime);
        if (specChanged || (pending && System.currentTimeMillis() - lastDrawStarted >= minIntervalMillis)) {
            draw();
        }
    }

    private boolean campaignFinished() {
        return statusFile != null && CampaignStatus.read(Path.of(statusFile)).finished();
    }

    /** How many drawings were made (tests). */
    public int drawings() {
        return drawings;
    }

    private synchronized Path draw() throws IOException {
        if (closed) {
            return null;
        }
        pending = false;
        drawings++;
        lastDrawStarted = System.currentTimeMillis();
        reloadSpecIfChanged();
        ResultsSnapshot snap = merger.store().snapshot();
        long started = System.nanoTime();
        charts = plotter.render(spec, snap, results());
        version = snap.version();
        Path page = writePage(snap);
        LOG.info("Report: {} charts of {} runs drawn in {} ms: {}", charts.size(), snap.runs(),
                (System.nanoTime() - started) / 1_000_000, page.toAbsolutePath());
        return page;
    }

    /**
     * Stops drawing; first draws once more if logs were merged since the last drawing (the last
     * batch before a stop) and the store is still open. No thread of this service outlives it:
     * the warm-up drawing is waited for and the drawing threads end.
     */
    public void close() {
        Thread w = warm;
        if (w != null) {
            try {
                w.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            try {
                if (!closed && version >= 0 && merger.store().snapshot().version() != version) {
                    draw();
                } else if (!closed && version >= 0) {
                    refreshStatus(); // the campaign's last status: a finished campaign's page stops reloading
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("No last drawing at stop: {}", e.toString());
            }
            closed = true;
        }
        if (plotter != null) {
            plotter.close();
        }
    }

    /** Rewrites the page when the status file changed since the page was written (cheap: no chart is drawn). */
    public synchronized void refreshStatus() throws IOException {
        if (closed || statusFile == null || version < 0) {
            return;
        }
        FileTime t = modified(Path.of(statusFile));
        if (t != null && !t.equals(statusTime)) {
            writePage(merger.store().snapshot());
        }
    }

    private Path writePage(ResultsSnapshot snap) throws IOException {
        Path status = statusFile == null ? null : Path.of(statusFile);
        statusTime = status == null ? null : modified(status);
        List<String> refused = new ArrayList<>();
        int refusedTotal = refused(refused);
        Path page = results().resolve(PAGE);
        ReportPage.write(page, new ReportPage.Content(campaign, charts, specProblem, CampaignStatus.read(status),
                snap.runs(), snap.configurations().size(), refused, refusedTotal, version, refreshSeconds));
        return page;
    }

    private void reloadSpecIfChanged() {
        Path file = Path.of(specFile);
        FileTime t = modified(file);
        if (t == null || t.equals(specTime)) {
            return;
        }
        specTime = t;
        try {
            spec = PlotSpec.load(file, merger.store().sweep());
            specProblem = null;
            LOG.info("Plot spec {} re-read: {} figures", file, spec.figures().size());
        } catch (PlotSpecException e) {
            specProblem = e.getMessage();
            LOG.error("Plot spec changed but cannot be used, keeping the previous one: {}", e.getMessage());
        }
    }

    /** The latest refused logs' reasons (newest first); returns how many there are in all. */
    private int refused(List<String> out) {
        if (inbox == null) {
            return 0;
        }
        Path errors = Path.of(inbox).resolve(InboxMerger.ERROR);
        List<Path> reasons = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(errors, "*.reason.txt")) {
            ds.forEach(reasons::add);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            out.add("cannot list " + errors + ": " + e.getMessage());
            return 1;
        }
        reasons.sort(Comparator.comparing(ReportService::modified, Comparator.nullsLast(Comparator.reverseOrder())));
        for (Path p : reasons.subList(0, Math.min(REFUSED_SHOWN, reasons.size()))) {
            try {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                String problem = text.lines().filter(l -> l.startsWith("problem: ")).findFirst()
                        .map(l -> l.substring(9)).orElse(text.strip());
                String name = p.getFileName().toString();
                out.add(InboxMerger.ERROR + "/" + name.substring(0, name.length() - ".reason.txt".length()) + ": " + problem);
            } catch (IOException e) {
                out.add(p + ": " + e.getMessage());
            }
        }
        return reasons.size();
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return null;
        }
    }
}
