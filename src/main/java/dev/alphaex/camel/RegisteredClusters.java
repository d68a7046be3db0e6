package dev.alphaex.camel;

import dev.alphaex.cluster.ClusterKind;
import dev.alphaex.cluster.ClusterRegistry;
import dev.alphaex.cluster.Transport;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * The cluster registry of a running Camel: every {@link ClusterKind} and {@link Transport} bean of Camel's
 * registry (routes/alphaex.yaml binds the kinds local and slurm, the transports local and ssh), each under its
 * own name, looked up at each use. Another transport or kind is one more bean there; the engine is not touched.
 */
public final class RegisteredClusters implements ClusterRegistry, CamelContextAware {
    private CamelContext context;
    private ClusterRegistry registry;

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
        this.registry = ClusterRegistry.of(() -> context.getRegistry().findByType(ClusterKind.class),
                () -> context.getRegistry().findByType(Transport.class));
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public ClusterKind kind(String name) {
        return registry.kind(name);
    }

    @Override
    public Transport transport(String name) {
        return registry.transport(name);
    }
}
