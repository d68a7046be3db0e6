package dev.alphaex.camel;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The properties as {@code mvn compile camel:run} sees them, for the command line's operator commands: Camel's own
 * properties component (never started: no route, no bean) over the properties file ({@code alphaex.config}, default
 * config/application.properties), with -D system properties and environment variables as Camel Main uses them, the
 * command's own overrides on top, and nested placeholders ({@code work/{{campaign.name}}}) resolved the same way.
 */
public final class StandaloneProperties implements Function<String, String> {
    private final DefaultCamelContext context;
    private final PropertiesComponent pc;

    /**
     * @param file      the properties file
     * @param overrides values that win over everything (the command's options, e.g. campaign.name)
     */
    public StandaloneProperties(String file, Map<String, String> overrides) {
        context = new DefaultCamelContext();
        context.setLoadTypeConverters(false); // the core converters do (no classpath scan: the command starts faster)
        context.setLoadHealthChecks(false);
        pc = context.getPropertiesComponent();
        pc.setLocation("file:" + file);
        Properties o = new Properties();
        o.putAll(overrides);
        pc.setOverrideProperties(o);
        context.init(); // services only (the type converter the component needs): nothing starts
    }

    /** The property's value, placeholders resolved, or null when it is not set. */
    @Override
    public String apply(String name) {
        return pc.resolveProperty(name).orElse(null);
    }

    /** Text with its {@code {{name}}} and {@code {{name:default}}} placeholders resolved (a routes file's values). */
    public UnaryOperator<String> placeholders() {
        return text -> text.contains("{{") ? context.resolvePropertyPlaceholders(text) : text;
    }
}
