package dev.alphaex.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

import java.util.function.Function;

/**
 * A property's value as Camel resolves it for {@code {{name}}} in the routes (override and {@code -D} system
 * properties, environment variables, config/application.properties, nested placeholders resolved), or null when
 * it is not set: how the campaign's properties reach the engine, which binds them itself.
 */
public final class CamelProperties implements Function<String, String>, CamelContextAware {
    private CamelContext context;

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public String apply(String name) {
        return context.getPropertiesComponent().resolveProperty(name).orElse(null);
    }
}
