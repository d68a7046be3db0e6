package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShellTest {

    @Test
    void quotesSingleQuotesTheWayPosixShellsUndoThem() {
        assertThat(Shell.quote("a'b")).isEqualTo("'a'\\''b'");
        assertThat(Shell.quote("")).isEqualTo("''");
        assertThat(Shell.quote("$(touch x) `id` ; a,b")).isEqualTo("'$(touch x) `id` ; a,b'");
    }

    @Test
    void pathKeepsTheRemoteHomeExpandable() {
        assertThat(Shell.quotePath("~/my runs/x")).isEqualTo("~/'my runs/x'");
        assertThat(Shell.quotePath("~")).isEqualTo("~");
        assertThat(Shell.quotePath("/abs/p'q")).isEqualTo("'/abs/p'\\''q'");
        assertThat(Shell.quotePath("~user")).isEqualTo("'~user'");
    }

    @Test
    void refusesWhatNoShellWordCanCarry() {
        assertThatThrownBy(() -> Shell.quote("a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> Shell.quote(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shell.checkVariableName("1X")).hasMessageContaining("\"1X\"");
        assertThatThrownBy(() -> Shell.checkVariableName("A=B")).hasMessageContaining("not a valid");
        assertThat(Shell.checkVariableName("ALPHAEX_BASE")).isEqualTo("ALPHAEX_BASE");
    }

    /**
     * Property: for random text made of the characters shells treat specially, a real /bin/sh
     * given {@code printf %s <quoted>} prints the text back byte for byte (one sh for all cases).
     */
    @Test
    void aRealShellGivesBackEveryRandomTextVerbatim() throws Exception {
        String alphabet = "ab Z09'\"`$(){}[]*?;&|<>\\!#~=,%\n\t\r-_./:^é€";
        Random random = new Random(20240611);
        List<String> cases = new ArrayList<>(List.of("", "'", "''", "\\'", "$(touch /tmp/pwned)", "`id`", "a\nb", "-n", "--"));
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(24);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            cases.add(sb.toString());
        }
        StringBuilder script = new StringBuilder();
        for (String c : cases) {
            script.append("printf '%s\\0' ").append(Shell.quote(c)).append('\n');
        }
        String out = runSh(script.toString());
        String[] got = out.split("\0", -1);
        assertThat(got).hasSize(cases.size() + 1);
        for (int i = 0; i < cases.size(); i++) {
            assertThat(got[i]).as("case %d", i).isEqualTo(cases.get(i));
        }
    }

    private static String runSh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-s").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
