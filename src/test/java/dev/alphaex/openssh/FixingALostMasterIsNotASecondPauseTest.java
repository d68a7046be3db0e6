package dev.alphaex.openssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.alphaex.ssh.LoginPausedException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master that died leaves its socket behind, and the pause said to run {@code rm -f SOCKET && ssh -fNM ALIAS}.
 * While the user did so (the socket gone, ssh waiting for the second factor), the next poll found no socket at all:
 * another message and another remedy, so the campaign logged a second pause line in the middle of the fix (seen on
 * the lab with codes that cannot be reused, where the user waits for the next code). Both states are the same pause:
 * one message, one remedy ({@code rm -f} is harmless when there is no socket). Runs the real {@code ssh -O check}.
 */
class FixingALostMasterIsNotASecondPauseTest {
    @TempDir
    Path dir;

    @Test
    void aStaleSocketAndNoSocketGiveTheSameLineAndRemedy() throws Exception {
        Path socket = dir.resolve("cm-nobody@127.0.0.1:9");
        Path config = dir.resolve("ssh_config");
        Files.writeString(config, "Host narval\n  HostName 127.0.0.1\n  Port 9\n  User nobody\n  ControlMaster auto\n"
            + "  ControlPath " + dir.resolve("cm-%r@%h:%p") + "\n");
        OpenSshTransport ssh = new OpenSshTransport(OpenSshTransport.Settings.defaults(config));

        LoginPausedException none = catchThrowableOfType(LoginPausedException.class, () -> ssh.checkMaster("narval"));
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket)); // a socket file that nobody answers once closed
        }
        assertThat(socket).exists();
        LoginPausedException stale = catchThrowableOfType(LoginPausedException.class, () -> ssh.checkMaster("narval"));

        String start = "rm -f '" + socket + "' && ssh -F " + config + " -fNM narval";
        assertThat(stale.remedy()).isEqualTo(start);
        assertThat(stale.getMessage()).isEqualTo("narval paused: no OpenSSH master connection runs for it (none answers at its"
            + " ControlPath " + socket + "); start one (it asks for the second factor there): " + start);
        assertThat(none.getMessage()).isEqualTo(stale.getMessage());
        assertThat(none.remedy()).isEqualTo(stale.remedy());
    }
}
