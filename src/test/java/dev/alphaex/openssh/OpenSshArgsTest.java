package dev.alphaex.openssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OpenSshArgsTest {
    private final OpenSshArgs withConfig = new OpenSshArgs("ssh", "sftp", Path.of("/home/me/my ssh/config"));
    private final OpenSshArgs userConfig = new OpenSshArgs("ssh", "sftp", null);

    @Test
    void aCommandRidesOnTheMasterAndCannotLogInByItself() {
        assertThat(withConfig.exec("narval", "squeue -h --name='x y'")).containsExactly(
            "ssh", "-F", "/home/me/my ssh/config", "-o", "BatchMode=yes", "-o", "ControlMaster=no",
            "-o", "ProxyCommand=false", "-n", "-T", "--", "narval", "squeue -h --name='x y'");
        assertThat(userConfig.exec("narval", "true")).startsWith("ssh", "-o", "BatchMode=yes").doesNotContain("-F");
    }

    @Test
    void theMasterIsCheckedOverItsSocketAndTheRemedyIsTheCommandThatStartsOne() {
        assertThat(withConfig.check("narval")).containsExactly("ssh", "-F", "/home/me/my ssh/config", "-O", "check", "--", "narval");
        assertThat(withConfig.startMaster("narval")).isEqualTo("ssh -F '/home/me/my ssh/config' -fNM narval");
        assertThat(userConfig.startMaster("cluster-a-mfa-cm")).isEqualTo("ssh -fNM cluster-a-mfa-cm");
    }

    @Test
    void sftpReadsItsBatchFromStdinOverTheSameMaster() {
        assertThat(withConfig.sftpBatch("narval")).containsExactly("sftp", "-F", "/home/me/my ssh/config",
            "-o", "BatchMode=yes", "-o", "ControlMaster=no", "-o", "ProxyCommand=false", "-b", "-", "narval");
    }

    @Test
    void aHostileAliasCannotBecomeAnOption() {
        assertThatThrownBy(() -> userConfig.exec("-oProxyCommand=touch /tmp/x", "true"))
            .hasMessageContaining("not an ssh host alias: '-oProxyCommand=touch /tmp/x'");
        assertThatThrownBy(() -> userConfig.check("a b")).hasMessageContaining("not an ssh host alias");
        assertThatThrownBy(() -> userConfig.sftpBatch("")).hasMessageContaining("not an ssh host alias");
    }

    @Test
    void batchWordsKeepQuotesBackslashesAndGlobCharactersLiteral() {
        assertThat(OpenSshArgs.getLine("results/odd name;$(x).csv", "/in/.odd name;$(x).csv.part"))
            .isEqualTo("-get \"results/odd name;$(x).csv\" \"/in/.odd name;$(x).csv.part\"");
        assertThat(OpenSshArgs.sftpWord("a\"b\\c*?[d]#'e")).isEqualTo("\"a\\\"b\\\\c*?[d]#'e\"");
        assertThatThrownBy(() -> OpenSshArgs.sftpWord("two\nlines"))
            .hasMessageContaining("control character").hasMessageContaining("two\\nlines");
    }
}
