package dev.alphaex.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The campaign's properties ({@code campaign.*}), bound into typed values with their defaults and checked in one
 * place ({@link #bind}); each error names where the value came from ({@link CampaignProperties#where}). The
 * components are the properties' names without {@code campaign.}, and their defaults are the README's.
 *
 * @param name                 campaign.name: letters, digits, '_', '-', '.'
 * @param routes               campaign.routes: the routes file with the campaign's clusters
 * @param sweep                campaign.sweep ("" : a job list)
 * @param runs                 campaign.runs [1]
 * @param jobs                 campaign.jobs ("" : the sweep's indices)
 * @param maxJobs              campaign.maxJobs [1,000,000]
 * @param script               campaign.script
 * @param args                 campaign.args (words, or a JSON list)
 * @param exports              campaign.exports (a JSON object)
 * @param maxAttempts          campaign.maxAttempts [3]
 * @param retryOn              campaign.retryOn [FAILED,NODE_FAIL,PREEMPTED,BOOT_FAIL,VANISHED]
 * @param dir                  campaign.dir [work/&lt;name&gt;]
 * @param inbox                campaign.inbox [&lt;dir&gt;/inbox]
 * @param exitWhenDone         campaign.exitWhenDone [false]
 * @param exitGraceSeconds     campaign.exitGraceSeconds [3]
 * @param drainInboxBeforeExit campaign.drainInboxBeforeExit [false]
 * @param vanishAfterPolls     campaign.vanishAfterPolls [3]
 * @param vanishAfterSeconds   campaign.vanishAfterSeconds [30]
 * @param takeBackAfterSeconds campaign.takeBackAfterSeconds [60]: at the campaign's tail, a task queued this long on
 *                             a cluster while another has free running slots is taken back and run there
 */
public record CampaignSettings(String name, String routes, String sweep, Integer runs, String jobs, Long maxJobs, String script,
                               String args, String exports, Integer maxAttempts, String retryOn, String dir, String inbox,
                               Boolean exitWhenDone, Integer exitGraceSeconds, Boolean drainInboxBeforeExit,
                               Integer vanishAfterPolls, Integer vanishAfterSeconds, Integer takeBackAfterSeconds) {
    private static final ObjectMapper BINDER = new ObjectMapper();

    public CampaignSettings {
        routes = text(routes, "routes/campaign.yaml");
        sweep = text(sweep, "");
        runs = runs == null ? 1 : runs;
        jobs = text(jobs, "");
        maxJobs = maxJobs == null ? JobList.DEFAULT_MAX : maxJobs;
        script = text(script, "");
        args = text(args, "");
        exports = text(exports, "");
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        retryOn = text(retryOn, "FAILED,NODE_FAIL,PREEMPTED,BOOT_FAIL,VANISHED");
        dir = text(dir, "");
        inbox = text(inbox, "");
        exitWhenDone = exitWhenDone != null && exitWhenDone;
        exitGraceSeconds = exitGraceSeconds == null ? 3 : exitGraceSeconds;
        drainInboxBeforeExit = drainInboxBeforeExit != null && drainInboxBeforeExit;
        vanishAfterPolls = vanishAfterPolls == null ? 3 : vanishAfterPolls;
        vanishAfterSeconds = vanishAfterSeconds == null ? 30 : vanishAfterSeconds;
        takeBackAfterSeconds = takeBackAfterSeconds == null ? 60 : takeBackAfterSeconds;
    }

    private static String text(String s, String otherwise) {
        return s == null || s.isBlank() ? otherwise : s.trim();
    }

    /**
     * Binds the campaign's properties.
     *
     * @param property a property's text by its full name ({@code campaign.runs}), or null when it is not set
     * @throws IllegalArgumentException "-Dcampaign.runs: must be a whole number, got 'x'"
     */
    static CampaignSettings bind(Function<String, String> property, CampaignProperties where) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent c : CampaignSettings.class.getRecordComponents()) {
            String text = property.apply("campaign." + c.getName());
            if (text != null) {
                values.put(c.getName(), text.trim());
            }
        }
        CampaignSettings s;
        try {
            s = BINDER.convertValue(values, CampaignSettings.class);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof InvalidFormatException f && !f.getPath().isEmpty()) {
                String p = "campaign." + f.getPath().get(0).getFieldName();
                boolean flag = f.getTargetType() == Boolean.class;
                throw new IllegalArgumentException(where.where(p) + ": must be " + (flag ? "true or false" : "a whole number")
                        + ", got '" + f.getValue() + "'", e);
            }
            throw e;
        }
        s.check(where);
        return s;
    }

    private void check(CampaignProperties where) {
        where.require(name != null && name.matches("[A-Za-z0-9_.-]+"), "campaign.name",
                "must be letters, digits, '_', '-' or '.', got '" + name + "'");
        where.require(!script.isBlank(), "campaign.script", "give the job script");
        atLeast(where, "campaign.runs", runs, 1, Integer.MAX_VALUE);
        atLeast(where, "campaign.maxJobs", maxJobs, 1, Long.MAX_VALUE);
        atLeast(where, "campaign.maxAttempts", maxAttempts, 1, Integer.MAX_VALUE);
        atLeast(where, "campaign.exitGraceSeconds", exitGraceSeconds, 0, Integer.MAX_VALUE);
        atLeast(where, "campaign.vanishAfterPolls", vanishAfterPolls, 1, Integer.MAX_VALUE);
        atLeast(where, "campaign.vanishAfterSeconds", vanishAfterSeconds, 1, Integer.MAX_VALUE);
        atLeast(where, "campaign.takeBackAfterSeconds", takeBackAfterSeconds, 0, Integer.MAX_VALUE);
    }

    private static void atLeast(CampaignProperties where, String property, long v, long min, long max) {
        where.require(v >= min, property, "must be " + min + " or more, got " + v);
        where.require(v <= max, property, "must be at most " + max + ", got " + v);
    }
}
