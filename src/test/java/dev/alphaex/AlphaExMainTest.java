package dev.alphaex;

import dev.alphaex.sweep.Sweep;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AlphaExMainTest {
    @Test
    void theReasonIsOurMessageNotTheWrappers() {
        Exception ours;
        try {
            Sweep.load(Path.of("config/no-such.json"));
            throw new AssertionError();
        } catch (RuntimeException e) {
            ours = e;
        }
        Exception wrapped = new RuntimeException("Error creating bean: campaign",
                new java.lang.reflect.InvocationTargetException(ours));
        assertThat(AlphaExMain.reason(wrapped)).isEqualTo("config/no-such.json: no such file");
    }

    @Test
    void withoutOurExceptionTheInnermostMessageIsTheReason() {
        Exception e = new RuntimeException("outer", new IllegalStateException("while parsing a flow node in file:x.yaml, line 4"));
        assertThat(AlphaExMain.reason(e)).isEqualTo("while parsing a flow node in file:x.yaml, line 4");
    }
}
