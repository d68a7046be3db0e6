package dev.alphaex.ssh.camel;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code alphaex-ssh:ALIAS}: a producer only (commands go to the cluster; nothing is consumed). */
public class ClusterSshEndpoint extends DefaultEndpoint {
    private final String alias;
    private long timeout;

    ClusterSshEndpoint(String uri, ClusterSshComponent component, String alias) {
        super(uri, component);
        this.alias = alias;
    }

    @Override
    public ClusterSshComponent getComponent() {
        return (ClusterSshComponent) super.getComponent();
    }

    public String getAlias() {
        return alias;
    }

    /** Limit of each command in ms; 0 = the component's commandTimeout. */
    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    @Override
    public Producer createProducer() {
        return new ClusterSshProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("alphaex-ssh only sends commands (use it in to:/toD:), " + getEndpointUri());
    }
}
