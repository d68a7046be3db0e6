package dev.alphaex.camel;

import dev.alphaex.campaign.ClusterCall;
import dev.alphaex.campaign.Transmit;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

import java.util.Map;

/**
 * Camel component {@code alphaex-cluster:NAME}, the cluster route's transport step: the body, a
 * {@link ClusterCall}, goes out over the transport the call names (its cluster's, from the registry), and the
 * body becomes the {@link dev.alphaex.campaign.Answer} paired with it. A failure is the exchange's exception (a
 * {@link dev.alphaex.cluster.ClusterException}), handled by the route configuration. As an endpoint, every
 * command to a cluster is visible to Camel's tooling (message history, event notifiers, NotifyBuilder).
 */
public final class ClusterTransportComponent extends DefaultComponent {
    private final Transmit transmit = new Transmit();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        if (!parameters.isEmpty()) {
            throw new IllegalArgumentException("alphaex-cluster takes no options, got " + parameters.keySet() + " in " + uri);
        }
        return new DefaultEndpoint(uri, this) {
            @Override
            public Producer createProducer() {
                Endpoint endpoint = this;
                return new DefaultProducer(endpoint) {
                    @Override
                    public void process(Exchange exchange) throws Exception {
                        exchange.getMessage().setBody(transmit.send(exchange.getMessage().getMandatoryBody(ClusterCall.class)));
                    }
                };
            }

            @Override
            public Consumer createConsumer(Processor processor) {
                throw new UnsupportedOperationException("alphaex-cluster only sends calls (use it in to:), " + uri);
            }
        };
    }
}
