package dev.alphaex.ssh.camel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.ssh.Lab;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.ssh.SshConstants;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A real Camel context, YAML-style endpoint URIs, the lab's OpenSSH: several commands through
 * {@code alphaex-ssh:cluster-a} cost one login; camel-ssh's result headers are set.
 */
class ClusterSshComponentIT extends CamelTestSupport {
    private final Lab lab = Lab.require();

    @Override
    protected org.apache.camel.CamelContext createCamelContext() throws Exception {
        org.apache.camel.CamelContext context = super.createCamelContext();
        // what camel.component.alphaex-ssh.ssh-config=<lab ssh_config> does under Camel Main
        context.getComponent("alphaex-ssh", ClusterSshComponent.class).setSshConfig(lab.sshConfig.toString());
        return context;
    }

    /**
     * The routes come from YAML, not from a RouteBuilder class: Camel Main in dev.alphaex.AlphaExMain scans
     * the dev.alphaex package for RouteBuilder classes, and a child JVM started on the test classpath
     * (CampaignRestartTest) would find and fail on (or worse, run) a RouteBuilder defined here.
     */
    @Override
    protected void doPostSetup() throws Exception {
        String yaml = String.join("\n",
            "- route: {from: {uri: 'direct:a', steps: [{to: 'alphaex-ssh:cluster-a?timeout=5000'}]}}",
            "- route: {from: {uri: 'direct:any', steps: [{toD: 'alphaex-ssh:${header.cluster}'}]}}",
            "- route: {from: {uri: 'direct:slow', steps: [{to: 'alphaex-ssh:cluster-a?timeout=500'}]}}",
            "");
        org.apache.camel.support.PluginHelper.getRoutesLoader(context)
            .loadRoutes(org.apache.camel.support.ResourceHelper.fromString("routes.yaml", yaml));
    }

    @Test
    void severalCommandsOneLoginAndCamelSshHeaders() {
        for (int i = 0; i < 10; i++) {
            Exchange out = template.request("direct:a", e -> e.getIn().setBody("echo out; echo err >&2; exit 4"));
            assertThat(out.getException()).isNull();
            assertThat(out.getMessage().getBody(String.class)).isEqualTo("out\n");
            assertThat(out.getMessage().getHeader(SshConstants.STDERR, String.class)).isEqualTo("err\n");
            assertThat(out.getMessage().getHeader(SshConstants.EXIT_VALUE, Integer.class)).isEqualTo(4);
            assertThat(out.getMessage().getHeader(ClusterSshProducer.LOGINS, Integer.class)).isEqualTo(1);
        }
        for (String cluster : List.of("cluster-a", "cluster-b", "cluster-a", "cluster-b")) {
            String user = template.requestBodyAndHeader("direct:any", "id -un", "cluster", cluster, String.class);
            assertThat(user).isEqualTo(lab.env.get(cluster.equals("cluster-a") ? "AX_LAB_A_USER" : "AX_LAB_B_USER") + "\n");
        }
        ClusterSshComponent component = context.getComponent("alphaex-ssh", ClusterSshComponent.class);
        assertThat(component.getSessions().logins()).containsEntry("cluster-a", 1).containsEntry("cluster-b", 1);
    }

    /** The shape the campaign's YAML route template uses: the command in the body, toD to the cluster's alias. */
    @Test
    void aYamlRouteReachesTheClusterThroughTheEndpoint() throws Exception {
        String yaml = String.join("\n",
            "- route:",
            "    id: yaml-poll",
            "    from:",
            "      uri: direct:yaml",
            "      steps:",
            "        - setBody:",
            "            constant: \"squeue -h -u $USER -o %A | wc -l\"",
            "        - toD: \"alphaex-ssh:${header.cluster}?timeout=10000\"",
            "        - setHeader:",
            "            name: rc",
            "            header: CamelSshExitValue",
            "");
        org.apache.camel.support.PluginHelper.getRoutesLoader(context)
            .loadRoutes(org.apache.camel.support.ResourceHelper.fromString("poll.yaml", yaml));
        for (int i = 0; i < 3; i++) {
            Exchange out = template.request("direct:yaml", e -> e.getIn().setHeader("cluster", "cluster-b"));
            assertThat(out.getException()).isNull();
            assertThat(out.getMessage().getHeader("rc", Integer.class)).isZero();
            assertThat(out.getMessage().getBody(String.class).strip()).matches("[0-9]+");
        }
        assertThat(context.getComponent("alphaex-ssh", ClusterSshComponent.class).getSessions().logins("cluster-b"))
            .isEqualTo(1);
    }

    @Test
    void theTimeoutOptionCutsACommandAndTheRouteGetsAClusterException() {
        Exchange out = template.request("direct:slow", e -> e.getIn().setBody("sleep 20"));
        assertThat(out.getException()).isInstanceOf(ClusterException.class)
            .hasMessageContaining("did not finish within 500 ms");
    }
}
