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
    void the128BitPowersOfFiveMatchLemiresTable() {
        // the published table's first entry (5^-342) and 5^0
        assertThat(Decimals.POW5_HI[0]).isEqualTo(0xeef453d6923bd65aL);
        assertThat(Decimals.POW5_LO[0]).isEqualTo(0x113faa2906a13b3fL);
        assertThat(Decimals.POW5_HI[342]).isEqualTo(0x8000000000000000L);
        assertThat(Decimals.POW5_LO[342]).isZero();
    }

    @Test
    void longMantissasAgreeBitForBitWithParseDouble() {
        SplittableRandom r = new SplittableRandom(11);
        for (int k = 0; k < 400_000; k++) {
            String s;
            switch (k % 4) {
                case 0 -> s = Double.toString(Double.longBitsToDouble(r.nextLong() & 0x7FEFFFFFFFFFFFFFL));
                case 1 -> s = Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(-30, 30)));
                case 2 -> s = String.format("%.18e", r.nextDouble(-1e6, 1e6));
                default -> {
                    StringBuilder b = new StringBuilder();
                    int digits = r.nextInt(16, 20);
                    b.append(r.nextInt(1, 10));
                    for (int i = 1; i < digits; i++) {
                        b.append(r.nextInt(10));
                    }
                    b.append('e').append(r.nextInt(-340, 300));
                    s = b.toString();
                }
            }
            assertThat(Double.doubleToRawLongBits(Decimals.parse(s))).as(s)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
        }
    }

    @Test
    void hardCasesAgreeBitForBitWithParseDouble() {
        for (String s : new String[]{"9007199254740993", "9007199254740995", "9007199254740992.5", "18014398509481985",
                "2.2250738585072011e-308", "2.2250738585072014E-308", "1.7976931348623157e308", "1.7976931348623159e308",
                "4.9406564584124654e-324", "7.2057594037927933e16", "1152921504606846977", "9223372036854775807",
                "18446744073709551615", "0.30000000000000004", "123456789012345678", "1.00000000000000011102230246251565",
                "5e-324", "2.4703282292062327e-324", "8.98846567431158e307", "-0.0000000000000000001"}) {
            assertThat(Double.doubleToRawLongBits(Decimals.parse(s))).as(s)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
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

    @Test
    void eightDigitsAtATimeAgreeAtEveryLengthAndRefuseAForeignByteAnywhere() {
        SplittableRandom r = new SplittableRandom(5);
        for (int k = 0; k < 20_000; k++) {
            int intDigits = r.nextInt(0, 22);
            int fracDigits = r.nextInt(0, 22);
            if (intDigits + fracDigits == 0) {
                continue;
            }
            StringBuilder b = new StringBuilder(r.nextInt(3) == 0 ? "-" : "");
            for (int i = 0; i < intDigits; i++) {
                b.append(r.nextInt(4) == 0 ? '0' : (char) ('0' + r.nextInt(10)));
            }
            if (fracDigits > 0 || r.nextBoolean()) {
                b.append('.');
            }
            for (int i = 0; i < fracDigits; i++) {
                b.append(r.nextInt(4) == 0 ? '0' : (char) ('0' + r.nextInt(10)));
            }
            String s = b.toString();
            if (s.equals("-.") || s.equals(".")) {
                continue;
            }
            assertThat(Double.doubleToRawLongBits(Decimals.parse(s))).as(s)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
            // one byte that is no digit, anywhere (also inside an 8-digit word): not a number
            int at = r.nextInt(s.length());
            if (Character.isDigit(s.charAt(at))) {
                for (char bad : new char[]{'/', ':', ' ', 'a', '\u00e9', '\u0131', 0}) {
                    String t = s.substring(0, at) + bad + s.substring(at + 1);
                    assertThat(Decimals.parse(t)).as(t).isNaN();
                }
            }
        }
    }
}
