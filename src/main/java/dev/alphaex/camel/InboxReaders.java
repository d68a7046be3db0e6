package dev.alphaex.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.component.file.FileEndpoint;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Whether a started route reads the campaign's inbox (a file consumer on that folder: the results route's
 * merge). The campaign asks before it waits for the inbox to drain (campaign.drainInboxBeforeExit): without
 * such a route (a routes include pattern without routes/results.yaml) nothing would ever drain it, and the
 * process waited for ever after the campaign had finished.
 */
public final class InboxReaders implements BooleanSupplier, CamelContextAware {
    private CamelContext context;
    private Path inbox;

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /** The campaign's inbox (campaign.inbox). */
    public void setInbox(String inbox) {
        this.inbox = Path.of(inbox).toAbsolutePath().normalize();
    }

    /** True when a started route consumes files from the inbox. */
    @Override
    public boolean getAsBoolean() {
        if (context == null || inbox == null) {
            return false;
        }
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof FileEndpoint file
                    && file.getFile().toPath().toAbsolutePath().normalize().equals(inbox)
                    && context.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                return true;
            }
        }
        return false;
    }
}
