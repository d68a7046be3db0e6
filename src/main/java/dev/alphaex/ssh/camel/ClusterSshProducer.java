package dev.alphaex.ssh.camel;

import dev.alphaex.cluster.CommandResult;
import dev.alphaex.ssh.SshSessions;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.ssh.SshConstants;
import org.apache.camel.support.DefaultProducer;

/**
 * Runs the body as a command on the endpoint's cluster. Answers as camel-ssh does (body = stdout,
 * {@code CamelSshStderr}, {@code CamelSshExitValue}; here as String and Integer) plus
 * {@code AlphaExSshLogins}, the logins to this alias so far. A failure (unreachable, login refused,
 * host key refused, time limit) is the exchange's exception: a
 * {@link dev.alphaex.cluster.ClusterException} whose kind the route can act on.
 */
public class ClusterSshProducer extends DefaultProducer {
    /** Header: logins to the alias so far (1 while its session never dropped). */
    public static final String LOGINS = "AlphaExSshLogins";

    ClusterSshProducer(ClusterSshEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public ClusterSshEndpoint getEndpoint() {
        return (ClusterSshEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        ClusterSshEndpoint endpoint = getEndpoint();
        SshSessions sessions = endpoint.getComponent().getSessions();
        Message in = exchange.getIn();
        String command = in.getMandatoryBody(String.class);
        long ms = endpoint.getTimeout() > 0 ? endpoint.getTimeout() : endpoint.getComponent().getCommandTimeout();
        Duration timeout = ms > 0 ? Duration.ofMillis(ms) : sessions.settings().commandTimeout();
        CommandResult result = sessions.exec(endpoint.getAlias(), command, timeout);
        in.setBody(result.stdout());
        in.setHeader(SshConstants.STDERR, result.stderr());
        in.setHeader(SshConstants.EXIT_VALUE, result.exitCode());
        in.setHeader(LOGINS, sessions.logins(endpoint.getAlias()));
    }
}
