package dev.alphaex.merge;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DecimalsTest {
    @Test
    void readsPlainDecimalsExactlyAsJavaDoes() {
        for (String s : new String[]{"0", "1", "-1", "+2", "0.001", "1.50", "17", "1e3", "1E-3", "-2.5e+10",
                ".5", "5.", "0000.1000", "123456789012345", "1234567890123456789", "0.1234567890123456789",
                "1e22", "1e23", "1e-22", "1e-23", "4.9e-324", "1.7976931348623157e308", "-0", "0.0"}) {
            assertThat(Decimals.parse(s)).as(s).isEqualTo(Double.parseDouble(s));
        }
    }

    @Test
    void agreesWithParseDoubleOnRandomText() {
        SplittableRandom r = new SplittableRandom(7);
        for (int k = 0; k < 200_000; k++) {
            double d = r.nextDouble(-1000, 1000) * Math.pow(10, r.nextInt(-12, 12));
            String[] forms = {Double.toString(d), String.format("%.6f", d), String.format("%.3e", d),
                    Long.toString(r.nextLong(-1_000_000_000_000L, 1_000_000_000_000L)), String.format("%.15g", d)};
            for (String s : forms) {
                assertThat(Decimals.parse(s)).as(s).isEqualTo(Double.parseDouble(s));
            }
        }
    }

    @Test
    void refusesWhatIsNotADecimalNumber() {
        for (String s : new String[]{"", "-", "+", ".", "e5", "1e", "1e+", "abc", "1f", "1d", "0x1p3", " 1", "1 ",
                "1,5", "NaN", "Infinity", "inf", "1..2", "1e5.5", "--1", "True"}) {
            assertThat(Decimals.parse(s)).as(s).isNaN();
        }
    }

    @Test
    void overflowIsInfiniteSoTheCallerCanRefuseIt() {
        assertThat(Decimals.parse("1e400")).isInfinite();
    }

    @Test
    void knowsTheSpellingsOfNonFiniteValues() {
        assertThat(Decimals.isNonFiniteSpelling("nan")).isTrue();
        assertThat(Decimals.isNonFiniteSpelling("-Infinity")).isTrue();
        assertThat(Decimals.isNonFiniteSpelling("+inf")).isTrue();
        assertThat(Decimals.isNonFiniteSpelling("x")).isFalse();
    }
}
