package dev.alphaex.campaign;

import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Watches for the end, once a second (the campaign monitor route): names clusters that hold tasks but are not
 * declared ({@link AbsentClusters}), prints the summary once every index has ended and every log is in the
 * inbox, and with {@code campaign.exitWhenDone} says when to stop: after the grace period, and with
 * {@code campaign.drainInboxBeforeExit} only once a route that reads the inbox has emptied it.
 */
final class ExitMonitor {
    private final CampaignSettings settings;
    private final Path inbox;
    private final Clock clock;
    private final Logger log;
    private final BooleanSupplier inboxReaders;
    private final java.util.function.Supplier<java.util.List<String>> commandLines;
    private final AbsentClusters absent = new AbsentClusters();
    private boolean summarized;
    private boolean cancelSummarized;
    private boolean noReaderReported;
    private long inboxEmptySince = -1;

    /** @param commandLines per cluster, the commands it was sent (e.g. a Slurm cluster's scheduler commands), for the summary */
    ExitMonitor(CampaignSettings settings, Path inbox, Clock clock, Logger log, BooleanSupplier inboxReaders,
                java.util.function.Supplier<java.util.List<String>> commandLines) {
        this.settings = settings;
        this.commandLines = commandLines;
        this.inbox = inbox;
        this.clock = clock;
        this.log = log;
        this.inboxReaders = inboxReaders;
    }

    AbsentClusters absent() {
        return absent;
    }

    /** Whether the summary has been printed (every index ended, every log collected). */
    boolean summarized() {
        return summarized;
    }

    /**
     * One look.
     *
     * @param declared the clusters whose routes run
     * @return true when the process should stop now
     */
    boolean tick(LedgerState ledger, Set<String> declared, Runnable writeStatus) {
        String routes = settings.routes().isBlank() ? "the campaign routes file" : settings.routes();
        absent.check(settings.name(), declared, ledger, clock.millis(), routes).forEach(log::warn);
        if (ledger.cancelled() != null) {
            return cancelled(ledger, declared, writeStatus);
        }
        cancelSummarized = false; // resumed
        if (!ledger.finished()) {
            summarized = false; // a retry made it unfinished again: a new summary when it ends
            return false;
        }
        for (LedgerState.Held h : ledger.held().values()) {
            if (h.uncollected().length > 0) {
                return false; // also on a cluster that is not declared (any more): AbsentClusters says so
            }
        }
        if (!summarized) {
            summarized = true;
            writeStatus.run();
            summary(ledger);
        }
        return settings.exitWhenDone() && drained();
    }

    /** Whether the campaign stands cancelled and nothing of it runs any more (the exit code says so). */
    boolean stoppedByCancel() {
        return cancelSummarized;
    }

    /** A cancelled campaign stops once every declared cluster cancelled its jobs and nothing of it is left on a cluster. */
    private boolean cancelled(LedgerState ledger, Set<String> declared, Runnable writeStatus) {
        if (!ledger.held().isEmpty() || declared.stream().anyMatch(ledger::owesCancel)) {
            return false;
        }
        if (!cancelSummarized) {
            cancelSummarized = true;
            writeStatus.run();
            String failed = FailureReport.summary(ledger.entries());
            log.warn(String.format("campaign %s cancelled at %s: %d jobs, %d completed, %d failed%s, %d not run; nothing of it runs any"
                    + " more. To go on: alphaex resume", settings.name(), ledger.cancelled().at(), ledger.size(),
                    ledger.count(Phase.COMPLETED), ledger.count(Phase.FAILED), failed.isEmpty() ? "" : " (" + failed + ")",
                    ledger.count(Phase.PENDING)));
        }
        return settings.exitWhenDone() && drained();
    }

    private void summary(LedgerState ledger) {
        int missing = 0;
        for (LedgerState.Entry en : ledger.entries()) {
            missing += en.logMissing ? 1 : 0;
        }
        String failed = FailureReport.summary(ledger.entries());
        String summary = String.format("campaign %s finished %s after it began: %d jobs, %d completed, %d failed%s; %d log(s) missing;"
                + " logs in %s", settings.name(), Progress.human(Duration.between(ledger.created(), clock.instant())), ledger.size(),
                ledger.count(Phase.COMPLETED), ledger.count(Phase.FAILED), failed.isEmpty() ? "" : ": " + failed, missing,
                inbox.toAbsolutePath());
        if (failed.isEmpty()) {
            log.info(summary);
        } else {
            log.warn(summary);
        }
        commandLines.get().forEach(log::info);
    }

    private boolean drained() {
        long now = clock.millis();
        if (settings.drainInboxBeforeExit() && inboxHasLogs()) {
            if (inboxReaders.getAsBoolean()) {
                inboxEmptySince = -1;
                return false;
            }
            if (!noReaderReported) {
                noReaderReported = true;
                log.info("campaign.drainInboxBeforeExit=true, but no route reads the inbox {} (routes/results.yaml is not loaded):"
                        + " not waiting for it to drain; the logs stay there", inbox.toAbsolutePath());
            }
        }
        if (inboxEmptySince < 0) {
            inboxEmptySince = now;
        }
        return now - inboxEmptySince >= 1000L * settings.exitGraceSeconds();
    }

    private boolean inboxHasLogs() {
        if (!Files.isDirectory(inbox)) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(inbox, "*.csv")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
