package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the ssh-agent's socket is, as OpenSSH reads IdentityAgent (the logins themselves: SshSessionsIT). */
class SshAgentsTest {
    private final SshAgents agents = new SshAgents(Map.of("SSH_AUTH_SOCK", "/run/user/1/agent.sock",
        "MY_AGENT", "/tmp/mine.sock")::get);

    @Test
    void withoutIdentityAgentTheEnvironmentsSocketIsUsed() throws Exception {
        assertThat(agents.socket("", null)).isEqualTo(Path.of("/run/user/1/agent.sock"));
        assertThat(agents.socket(null, null)).isEqualTo(Path.of("/run/user/1/agent.sock"));
        assertThat(new SshAgents(k -> null).socket("", null)).as("no SSH_AUTH_SOCK: no agent").isNull();
    }

    @Test
    void identityAgentNamesTheSocketAVariableOrNone() throws Exception {
        assertThat(agents.socket("none", null)).isNull();
        assertThat(agents.socket("NONE", null)).isNull();
        assertThat(agents.socket("SSH_AUTH_SOCK", null)).isEqualTo(Path.of("/run/user/1/agent.sock"));
        assertThat(agents.socket("$MY_AGENT", null)).isEqualTo(Path.of("/tmp/mine.sock"));
        assertThat(agents.socket("${MY_AGENT}", null)).isEqualTo(Path.of("/tmp/mine.sock"));
        assertThat(agents.socket("$UNSET", null)).isNull();
        assertThat(agents.socket(" /srv/agent.sock ", null)).isEqualTo(Path.of("/srv/agent.sock"));
    }
}
