package dev.alphaex.campaign;

import dev.alphaex.ssh.SshSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in client's pause files (the file a user removes to bring a paused cluster back) belong to the campaign:
 * {@code <campaign.dir>/paused/<alias>.paused}, next to its ledger and status.json. They were written to
 * {@code work/paused} under whatever folder the controller was started from, shared by every campaign, where the
 * pause line of one campaign told the user to remove a file another campaign might be waiting on.
 */
class PauseFilesAreInTheCampaignFolderTest {
    @TempDir
    Path dir;

    @Test
    void theRemedyNamesAFileInTheCampaignFolder() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        try (CampaignRun run = CampaignRun.start(p)) {
            SshSessions ssh = run.context().getRegistry().lookupByNameAndType("sshSessions", SshSessions.class);
            assertThat(ssh.pauses().pauseFile("narval")).isEqualTo(dir.resolve("paused").resolve("narval.paused").toAbsolutePath());
        }
    }

    @Test
    void alphaexSshPauseDirStillChoosesAnotherFolder() throws Exception {
        Map<String, String> p = CampaignRun.defaults(dir, "src/test/resources/campaigns/one-local.yaml");
        p.put("alphaex.ssh.pauseDir", dir.resolve("elsewhere").toString());
        try (CampaignRun run = CampaignRun.start(p)) {
            SshSessions ssh = run.context().getRegistry().lookupByNameAndType("sshSessions", SshSessions.class);
            assertThat(ssh.pauses().pauseFile("narval")).isEqualTo(dir.resolve("elsewhere").resolve("narval.paused").toAbsolutePath());
        }
    }
}
