package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @TempDir
    Path tmp;

    /** A one-connection agent on a Unix socket: reads one request, then answers with {@code answer} (null: never). */
    private Thread fakeAgent(Path socket, byte[] answer, java.util.concurrent.atomic.AtomicReference<byte[]> request)
            throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (server; SocketChannel c = server.accept()) {
                ByteBuffer len = ByteBuffer.allocate(4);
                while (len.hasRemaining()) {
                    c.read(len);
                }
                ByteBuffer body = ByteBuffer.allocate(len.getInt(0));
                while (body.hasRemaining()) {
                    c.read(body);
                }
                request.set(body.array());
                if (answer == null) {
                    Thread.sleep(5_000);
                } else {
                    c.write(ByteBuffer.allocate(4 + answer.length).putInt(answer.length).put(answer).flip());
                }
            } catch (Exception e) {
                // the test has ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void theAgentProtocolIsSpokenOverTheUnixSocket() throws Exception {
        Path socket = tmp.resolve("agent.sock");
        var request = new java.util.concurrent.atomic.AtomicReference<byte[]>();
        // SSH2_AGENT_IDENTITIES_ANSWER (12) with no key
        fakeAgent(socket, new byte[] {12, 0, 0, 0, 0}, request);
        try (SshAgents.UnixAgent agent = new SshAgents.UnixAgent(socket, null, 2_000)) {
            assertThat(agent.getIdentities()).isEmpty();
        }
        assertThat(request.get()).as("SSH2_AGENTC_REQUEST_IDENTITIES").containsExactly(11);
    }

    @Test
    void anAgentThatNeverAnswersFailsWithinItsTimeLimit() throws Exception {
        Path socket = tmp.resolve("silent.sock");
        fakeAgent(socket, null, new java.util.concurrent.atomic.AtomicReference<>());
        try (SshAgents.UnixAgent agent = new SshAgents.UnixAgent(socket, null, 300)) {
            assertThatThrownBy(agent::getIdentities).isInstanceOf(org.apache.sshd.common.SshException.class)
                .hasMessageContaining("did not answer within 300 ms");
        }
    }
}
