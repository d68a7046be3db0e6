package dev.alphaex.cluster;

import java.nio.file.Path;

/**
 * What the campaign gives every cluster's jobs unless the cluster says otherwise.
 *
 * @param campaign    the campaign's name
 * @param dir         the campaign's folder (campaign.dir)
 * @param script      the job script (campaign.script)
 * @param scriptWhere where campaign.script was given, for messages (e.g. {@code -Dcampaign.script})
 * @param sweep       the sweep file, or null for a job list
 */
public record JobDefaults(String campaign, Path dir, String script, String scriptWhere, Path sweep) {
}
