package dev.alphaex.campaign;

import dev.alphaex.campaign.LedgerState.Entry;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.Transport;
import org.slf4j.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings the logs of a cluster's completed tasks into the inbox over its transport, each once, and records each
 * in the ledger. A log already in the inbox (fetched by a controller that stopped before recording it) is
 * recorded, not fetched again. A log not there is missing at once, or, where logs may lag (shared file systems),
 * after {@code campaign.vanishAfterPolls} lookups and {@code campaign.vanishAfterSeconds}.
 */
final class Collector {
    private final Ledger ledger;
    private final Path inbox;
    private final Clock clock;
    private final Logger log;
    private final int lookups;
    private final long lagMillis;

    Collector(Ledger ledger, Path inbox, Clock clock, Logger log, int lookups, long lagMillis) {
        this.ledger = ledger;
        this.inbox = inbox;
        this.clock = clock;
        this.log = log;
        this.lookups = lookups;
        this.lagMillis = lagMillis;
    }

    void collect(ClusterRuntime rt) {
        List<Long> todo = ledger.state().uncollected(rt.name());
        if (todo.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (long index : todo) {
            names.add(index + ".csv");
        }
        String folder = rt.paths.fetchFrom();
        Transport.LogFetch fetch;
        try {
            fetch = rt.line.transport().fetch(rt.line.address(), folder, names, inbox);
        } catch (ClusterException e) {
            log.warn("cluster {}: cannot fetch {} log(s) now: {}; trying again after the next poll", rt.name(), names.size(),
                    e.getMessage());
            return;
        }
        for (String f : fetch.fetched()) {
            ledger.collected(index(f), true);
        }
        for (String f : fetch.present()) {
            ledger.collected(index(f), true); // fetched by a controller that died before it could record it: not fetched twice
        }
        long now = clock.millis();
        for (String f : fetch.missing()) {
            Entry en = ledger.state().get(index(f));
            if (!rt.kind.logsMayLag() || ++en.logLookups >= lookups && now - en.lastSeenMillis >= lagMillis) {
                ledger.collected(en.index, false);
                log.warn("index {} completed on {} but left no log {}", en.index, rt.name(), Path.of(folder).resolve(f));
            }
        }
        ledger.force();
    }

    private static long index(String file) {
        return Long.parseLong(file.substring(0, file.length() - ".csv".length()));
    }
}
