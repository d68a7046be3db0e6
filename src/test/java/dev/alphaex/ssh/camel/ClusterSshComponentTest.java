package dev.alphaex.ssh.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** Configuration the way application.properties gives it (no SSH here: nothing connects before a command). */
@CamelMainTest(properties = {
    "camel.component.alphaex-ssh.ssh-config=/tmp/somewhere/ssh_config",
    "camel.component.alphaex-ssh.command-timeout=1234"})
class ClusterSshComponentTest {
    @org.apache.camel.BeanInject
    CamelContext context;

    @Test
    void camelMainConfiguresTheComponentFromProperties() {
        ClusterSshComponent c = context.getComponent("alphaex-ssh", ClusterSshComponent.class);
        assertThat(c.getSshConfig()).isEqualTo("/tmp/somewhere/ssh_config");
        assertThat(c.getCommandTimeout()).isEqualTo(1234);
        ClusterSshEndpoint e = context.getEndpoint("alphaex-ssh:cluster-a?timeout=5000", ClusterSshEndpoint.class);
        assertThat(e.getAlias()).isEqualTo("cluster-a");
        assertThat(e.getTimeout()).isEqualTo(5000);
    }

    @Test
    void badUrisAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> context.getEndpoint("alphaex-ssh:cluster-a?password=x"))
            .isInstanceOf(ResolveEndpointFailedException.class).hasStackTraceContaining("unknown alphaex-ssh option(s) [password]");
        assertThatThrownBy(() -> context.getEndpoint("alphaex-ssh:bob@host:22"))
            .hasStackTraceContaining("needs the cluster's ssh config alias");
        assertThatThrownBy(() -> context.getEndpoint("alphaex-ssh:a?timeout=-1"))
            .hasStackTraceContaining("timeout must be a positive number");
    }
}
