package dev.alphaex.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ArrayThrottleTest {
    @Test
    void appendsTheThrottleToCompressedRanges() {
        assertThat(ArrayThrottle.withThrottle("0-99,105,200-210", 12)).isEqualTo("0-99,105,200-210%12");
        assertThat(ArrayThrottle.withThrottle("7", 1)).isEqualTo("7%1");
        assertThat(ArrayThrottle.withThrottle("0-10:2", 3)).isEqualTo("0-10:2%3");
    }

    @Test
    void replacesAThrottleAlreadyThere() {
        assertThat(ArrayThrottle.withThrottle("0-9%4", 6)).isEqualTo("0-9%6");
        assertThat(ArrayThrottle.withoutThrottle("0-9,12%4")).isEqualTo("0-9,12");
        assertThat(ArrayThrottle.withoutThrottle("0-9")).isEqualTo("0-9");
    }

    @Test
    void readsTheThrottle() {
        assertThat(ArrayThrottle.throttleOf("0-9%4")).isEqualTo(OptionalInt.of(4));
        assertThat(ArrayThrottle.throttleOf("0-9")).isEmpty();
        assertThatThrownBy(() -> ArrayThrottle.throttleOf("0-9%99999999999")).hasMessageContaining("out of range");
    }

    /** Slurm reads %0 as "no limit": a zero from a planner that meant "none now" would let every task run. */
    @Test
    void throttleZeroIsRefusedBecauseSlurmReadsItAsNoLimit() {
        assertThatThrownBy(() -> ArrayThrottle.withThrottle("0-9", 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no limit");
        assertThatThrownBy(() -> ArrayThrottle.withThrottle("0-9", -2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesWhatIsNotAnArraySpecification() {
        for (String bad : new String[] {"", "0-", "a-b", "0-9;rm -rf ~", "0-9%", "0-9%2%3", "[0-9]", " , "}) {
            assertThatThrownBy(() -> ArrayThrottle.withThrottle(bad, 2)).as(bad).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Slurm array specification");
        }
        assertThatThrownBy(() -> ArrayThrottle.withThrottle(null, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
