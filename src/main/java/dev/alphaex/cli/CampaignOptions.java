package dev.alphaex.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options every operator command shares: which campaign, with the configuration {@code mvn compile camel:run}
 * uses (config/application.properties, -D system properties and environment variables), and the command's own
 * overrides on top.
 */
final class CampaignOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "The properties file (default: -Dalphaex.config, else config/application.properties).")
    String config;

    @Option(names = {"-c", "--campaign"}, paramLabel = "NAME", description = "The campaign's name (campaign.name; its folder follows campaign.dir).")
    String campaign;

    @Option(names = "--dir", paramLabel = "DIR", description = "The campaign's folder (campaign.dir), e.g. work/bandit.")
    String dir;

    @Option(names = "--routes", paramLabel = "FILE", description = "The routes file with the campaign's clusters (campaign.routes).")
    String routes;

    @Option(names = "-D", paramLabel = "NAME=VALUE", description = "A property, as -D gives it to mvn compile camel:run (e.g. -Dcampaign.runs=30).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print one JSON document (for scripts).")
    boolean json;

    /** How each override was given, for errors: -Dname, --campaign, --dir, --routes. */
    Map<String, String> given() {
        Map<String, String> out = new LinkedHashMap<>();
        properties.keySet().forEach(k -> out.put(k, "-D" + k));
        if (campaign != null) {
            out.put("campaign.name", "--campaign");
        }
        if (dir != null) {
            out.put("campaign.dir", "--dir");
        }
        if (routes != null) {
            out.put("campaign.routes", "--routes");
        }
        return out;
    }

    String configFile() {
        return config != null ? config : System.getProperty("alphaex.config", "config/application.properties");
    }

    /** The overrides: -D NAME=VALUE, then --campaign, --dir, --routes. */
    Map<String, String> overrides() {
        Map<String, String> out = new LinkedHashMap<>(properties);
        if (campaign != null) {
            out.put("campaign.name", campaign);
        }
        if (dir != null) {
            out.put("campaign.dir", dir);
        }
        if (routes != null) {
            out.put("campaign.routes", routes);
        }
        return out;
    }
}
