package dev.alphaex.campaign;

import dev.alphaex.cluster.JobDefaults;
import dev.alphaex.sweep.Sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A campaign's configuration, bound and checked in one place, for the controller ({@link Campaign#start}) and for the
 * command line's operator commands (status, plan, ...), which read it the same way: the campaign.* properties, the
 * routes file's form, the sweep, the indices, the job's arguments and exports, the retry policies, the folders.
 * Every error names the file or property.
 */
final class CampaignConfig {
    final String source;
    final CampaignProperties where;
    final CampaignSettings settings;
    final Sweep sweep;
    final long[] indices;
    final List<String> notes;
    final List<String> args;
    final Map<String, String> exports;
    final RetryPolicy policy;
    final ResourceRetry resize;
    final Path dir;
    final Path inbox;
    final JobDefaults defaults;
    /** campaign.recheckSeconds [300]: a cluster that failed its code sync or preflight is checked again after this. */
    final long recheckSeconds;
    /** alphaex.slimJar [target/alphaex-sweep.jar]: the local slim jar (the doctor compares, sync upload puts it). */
    final Path slimJar;

    private CampaignConfig(String source, Function<String, String> properties, Map<String, String> given) {
        this.source = source;
        where = new CampaignProperties(source, given);
        settings = CampaignSettings.bind(properties, where);
        if (!settings.routes().isBlank()) {
            ClusterFile.check(Path.of(settings.routes()));
        }
        sweep = settings.sweep().isBlank() ? null : Sweep.load(Path.of(settings.sweep())); // its errors name the file and the place
        notes = new ArrayList<>();
        indices = where.indices(settings.jobs(), sweep, settings.runs(), settings.maxJobs(), notes);
        args = where.args(settings.args());
        exports = where.exports(settings.exports());
        try {
            policy = RetryPolicy.parse(settings.maxAttempts(), settings.retryOn());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage(); // "campaign.retryOn: ..." names the property
            throw new IllegalArgumentException(m.startsWith("campaign.retryOn") ? where.where("campaign.retryOn")
                    + m.substring("campaign.retryOn".length()) : source + ": " + m);
        }
        resize = ResourceRetry.bind(properties, where::where);
        dir = Path.of(settings.dir().isBlank() ? "work/" + settings.name() : settings.dir());
        inbox = settings.inbox().isBlank() ? dir.resolve("inbox") : Path.of(settings.inbox());
        String recheck = properties.apply("campaign.recheckSeconds");
        try {
            recheckSeconds = recheck == null || recheck.isBlank() ? 300 : Long.parseLong(recheck.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where.where("campaign.recheckSeconds") + ": must be a whole number, got '" + recheck + "'");
        }
        where.require(recheckSeconds >= 1, "campaign.recheckSeconds", "must be 1 or more, got " + recheckSeconds);
        String jar = properties.apply("alphaex.slimJar");
        slimJar = Path.of(jar == null || jar.isBlank() ? "target/alphaex-sweep.jar" : jar.trim());
        defaults = new JobDefaults(settings.name(), dir, settings.script(), where.where("campaign.script"),
                settings.sweep().isBlank() ? null : Path.of(settings.sweep()));
    }

    /**
     * Binds and checks the configuration.
     *
     * @param source     the properties file (alphaex.config), named in errors about values from it
     * @param properties a property's text by its full name, or null when it is not set
     * @throws IllegalArgumentException naming the file or property and what is wrong
     */
    static CampaignConfig load(String source, Function<String, String> properties) {
        return new CampaignConfig(source, properties, Map.of());
    }

    /** As {@link #load(String, Function)}, with the properties a command line gave and how (for errors). */
    static CampaignConfig load(String source, Function<String, String> properties, Map<String, String> given) {
        return new CampaignConfig(source, properties, given);
    }

    Path ledgerFile() {
        return dir.resolve(Ledger.FILE);
    }
}
