package dev.alphaex.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The in-JVM controller's own log (dev.alphaex at INFO, as the product logs it) into a file, while the
 * console keeps the tests' WARN level: the tests read the campaign's summary line from it, and it is
 * what to look at when a scenario fails.
 */
public final class ControllerLog implements AutoCloseable {
    private static final String LOGGER = "dev.alphaex";
    private final Path file;
    private final Appender appender;

    private ControllerLog(Path file, Appender appender) {
        this.file = file;
        this.appender = appender;
    }

    public static ControllerLog to(Path file) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        Appender a = FileAppender.newBuilder().setName("it-" + file).withFileName(file.toString()).withImmediateFlush(true)
            .setLayout(PatternLayout.newBuilder().withPattern("%d{HH:mm:ss.SSS} %-5level %-18.18c{1} %msg%n").build())
            .setConfiguration(cfg).build();
        a.start();
        cfg.addAppender(a);
        LoggerConfig lc = new LoggerConfig(LOGGER, Level.INFO, false);
        lc.addAppender(a, Level.INFO, null);
        for (Appender console : cfg.getRootLogger().getAppenders().values()) {
            lc.addAppender(console, Level.WARN, null);
        }
        cfg.removeLogger(LOGGER);
        cfg.addLogger(LOGGER, lc);
        ctx.updateLoggers();
        return new ControllerLog(file, a);
    }

    public String text() throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        cfg.removeLogger(LOGGER);
        ctx.updateLoggers();
        appender.stop();
    }
}
