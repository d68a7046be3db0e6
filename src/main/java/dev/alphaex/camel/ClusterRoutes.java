package dev.alphaex.camel;

import dev.alphaex.campaign.Campaign;
import dev.alphaex.cluster.ClusterSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.LifecycleStrategySupport;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers each route made from the {@code cluster} template (the routes with the route configuration
 * {@value #CONFIGURATION}) with the campaign as it is added, and
 * unregisters it as it is removed (a routes reload). The template's parameters, as the templatedRoute gave them
 * with the template's defaults, are bound in one go into a {@link ClusterSettings}, so they are listed once: in
 * the template. A definition that is refused (bad capacity, unknown kind) stops the route from being added, with
 * the message naming the routes file and the cluster.
 */
public final class ClusterRoutes extends LifecycleStrategySupport implements CamelContextAware {
    /** The route configuration of the routes made from the cluster template in routes/alphaex.yaml. */
    public static final String CONFIGURATION = "alphaex-cluster";

    private CamelContext context;
    private Campaign campaign;
    private final Map<String, ClusterSettings> registered = new ConcurrentHashMap<>();

    @Override
    public void setCamelContext(CamelContext context) {
        if (this.context != context) {
            this.context = context;
            context.addLifecycleStrategy(this);
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    public void setCampaign(Campaign campaign) {
        this.campaign = campaign;
    }

    @Override
    public void onRoutesAdd(Collection<Route> routes) {
        for (Route route : routes) {
            RouteDefinition def = ((ModelCamelContext) context).getRouteDefinition(route.getRouteId());
            if (def == null || !route.isCreatedByRouteTemplate()
                    || !CONFIGURATION.equals(route.getProperties().get(Route.CONFIGURATION_ID_PROPERTY))) {
                continue;
            }
            Map<String, Object> parameters = new LinkedHashMap<>();
            // Camel keeps each parameter also under its kebab-case name (work-dir); the file was checked for unknown ones
            def.getTemplateParameters().forEach((k, v) -> {
                if (ClusterSettings.PARAMETERS.contains(k)) {
                    parameters.put(k, v instanceof String s ? context.resolvePropertyPlaceholders(s) : v);
                }
            });
            ClusterSettings settings = ClusterSettings.bind(parameters, "routes");
            campaign.register(settings);
            registered.put(route.getRouteId(), settings);
        }
    }

    @Override
    public void onRoutesRemove(Collection<Route> routes) {
        for (Route route : routes) {
            ClusterSettings settings = registered.remove(route.getRouteId());
            if (settings != null) {
                campaign.unregister(settings);
            }
        }
    }
}
