package dev.alphaex.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the Camel context (and with it Camel Main) from a route, on a thread of its own so that the
 * route that asks is not waiting for its own shutdown.
 */
public final class StopCamel implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(StopCamel.class);
    private volatile boolean stopping;

    @Override
    public void process(Exchange exchange) {
        if (stopping) {
            return;
        }
        stopping = true;
        CamelContext context = exchange.getContext();
        LOG.info("campaign done: stopping (campaign.exitWhenDone=true)");
        Thread t = new Thread(() -> {
            try {
                context.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping Camel failed: {}", e.toString());
            }
        }, "alphaex-stop");
        t.setDaemon(false);
        t.start();
    }
}
