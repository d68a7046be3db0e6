package dev.alphaex.campaign;

import java.util.Map;

/** A campaign start that must fail, and the messages of its failure. */
final class StartupFailures {
    private StartupFailures() {
    }

    /** Starts a campaign in this JVM that must fail; returns every message of the failure's cause chain, one per line. */
    static String failure(Map<String, String> p) {
        try (CampaignRun run = CampaignRun.start(p)) {
            throw new AssertionError("the campaign started: " + run.campaign().counts());
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            StringBuilder sb = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                sb.append(t.getMessage()).append('\n');
            }
            return sb.toString();
        }
    }
}
