package dev.alphaex.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alphaex.AlphaExMainAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * f48ec2b: the controller's Camel Main scanned the dev.alphaex packages for RouteBuilder classes, found a test's
 * anonymous RouteBuilder on the test classpath and started its routes in CampaignRestartTest's child JVM, which died.
 * The controller's routes are the YAML files it is given, and only those: a RouteBuilder under dev.alphaex on the
 * classpath is never started.
 */
class StrayRouteBuilderIsNotStartedTest {
    /** A RouteBuilder in the controller's packages, as a test (or a user's jar) may put one on the classpath. */
    public static final class Stray extends RouteBuilder {
        @Override
        public void configure() {
            from("timer:stray?repeatCount=1").routeId("stray").to("log:stray");
        }
    }

    @TempDir
    Path dir;

    @Test
    void theControllerStartsOnlyTheRoutesFilesItIsGiven() throws Exception {
        Path routes = dir.resolve("mine.yaml");
        Files.writeString(routes, "- route:\n    id: mine\n    from:\n      uri: timer:mine\n      parameters:\n"
                + "        repeatCount: \"1\"\n      steps:\n        - log: mine\n");
        Main main = AlphaExMainAccess.controller();
        main.addOverrideProperty("camel.main.routesIncludePattern", "file:" + routes);
        main.addOverrideProperty("camel.main.routesReloadEnabled", "false");
        main.start();
        try {
            assertThat(main.getCamelContext().getRoute("mine")).as("the routes file's route").isNotNull();
            assertThat(main.getCamelContext().getRoute("stray")).as("the RouteBuilder on the classpath").isNull();
        } finally {
            main.stop();
        }
    }
}
