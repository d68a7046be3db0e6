package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConfigFileTest {
    private static final String HOME = System.getProperty("user.home");

    @Test
    void resolvesAnAliasTheWayOpenSshDoes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config"), String.join("\n",
            "Host narval",
            "  HostName narval.alliancecan.ca",
            "  User alice",
            "  Port 2200",
            "  IdentityFile ~/.ssh/id_narval",
            "  IdentitiesOnly yes",
            "  ProxyJump gw",
            "  UserKnownHostsFile ~/.ssh/known_hosts_alliance ~/.ssh/other",
            "  StrictHostKeyChecking accept-new",
            "Host *",
            "  User nobody",
            "  Port 22",
            ""));
        SshHost h = SshConfigFile.load(file).resolve("narval");
        assertThat(h).isEqualTo(new SshHost("narval", "narval.alliancecan.ca", 2200, "alice",
            List.of(HOME + "/.ssh/id_narval"), true, "gw", Paths.get(HOME, ".ssh", "known_hosts_alliance"), "accept-new"));
        assertThat(h.knownHostsName()).isEqualTo("[narval.alliancecan.ca]:2200");
        assertThat(h.acceptsNewHostKeys()).isTrue();
    }

    @Test
    void defaultsAreOpenSshsAndStrictUnlessSaidOtherwise(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config"), "Host beluga\n  StrictHostKeyChecking ask\n");
        SshConfigFile config = SshConfigFile.load(file);
        SshHost h = config.resolve("beluga");
        assertThat(h.hostName()).isEqualTo("beluga");
        assertThat(h.port()).isEqualTo(22);
        assertThat(h.knownHosts()).isEqualTo(Paths.get(HOME, ".ssh", "known_hosts"));
        assertThat(h.strictHostKeyChecking()).isEqualTo("yes");
        assertThat(h.proxyJump()).isEmpty();
        assertThat(h.knownHostsName()).isEqualTo("beluga");
        assertThat(config.hasHost("beluga")).isTrue();
        assertThat(config.hasHost("cedar")).isFalse();
        assertThat(config.resolve("cedar").hostName()).isEqualTo("cedar");
        assertThat(SshConfigFile.load(dir.resolve("missing")).resolve("x").port()).isEqualTo(22);
    }

    @Test
    void badAliasesAreRefused(@TempDir Path dir) {
        SshConfigFile config = SshConfigFile.load(dir.resolve("none"));
        assertThatThrownBy(() -> config.resolve("a b")).hasMessageContaining("not an ssh host alias: 'a b'");
        assertThatThrownBy(() -> config.resolve("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void curve25519GoesFirstAndNothingIsLost() {
        var client = org.apache.sshd.client.SshClient.setUpDefaultClient();
        var all = client.getKeyExchangeFactories();
        var preferred = SshSessions.preferKex(all, SshSessions.FAST_KEX);
        assertThat(preferred.get(0).getName()).isEqualTo("curve25519-sha256");
        assertThat(preferred).containsExactlyInAnyOrderElementsOf(all);
        assertThat(all.get(0).getName()).isNotEqualTo("curve25519-sha256"); // MINA's default leads with a slow one
    }
}
