package dev.alphaex;

import org.apache.camel.main.Main;

/**
 * Camel Main on the YAML routes under {@code routes/}, with its properties read from
 * {@code config/application.properties} (another file with {@code -Dalphaex.config=PATH}).
 * {@code -Dcamel.main.*} system properties override the file, e.g.
 * {@code -Dcamel.main.routesIncludePattern=file:routes/my-campaign.yaml}.
 */
public final class AlphaExMain {
    private AlphaExMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(); // no class argument: that would scan our packages for RouteBuilder classes
        main.setPropertyPlaceholderLocations("file:" + System.getProperty("alphaex.config", "config/application.properties"));
        main.run(args);
    }
}
