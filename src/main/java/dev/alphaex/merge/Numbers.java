package dev.alphaex.merge;

import com.fasterxml.jackson.core.io.NumberInput;

import java.util.Locale;

/**
 * The numbers a job's log may hold: plain decimal text as every CSV reader (pandas, R, Commons
 * CSV users) understands it, {@code [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?}. Java-only forms that
 * {@link Double#parseDouble} would also take ({@code 1f}, {@code 0x1p3}, {@code Infinity},
 * surrounding blanks) are refused, so that a value that merges here reads back the same elsewhere.
 * The grammar is checked here; the value is FastDoubleParser's (Werner Randelshofer's, the copy
 * jackson-core carries, through {@link NumberInput#parseDouble(String, boolean)}): correctly rounded,
 * the same double as {@link Double#parseDouble}, which on the 17 significant digits that
 * {@code Double.toString} and NumPy write often takes a slow path through big integers.
 */
final class Numbers {
    private Numbers() {
    }

    /** The value of {@code s}, or NaN when it is not a decimal number (may be infinite when it overflows). */
    static double parse(String s) {
        return isDecimal(s) ? NumberInput.parseDouble(s, true) : Double.NaN;
    }

    /** Whether {@code s} is a decimal number in the grammar above. */
    static boolean isDecimal(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        int digits = 0;
        for (; i < n && isDigit(s.charAt(i)); i++) {
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            for (i++; i < n && isDigit(s.charAt(i)); i++) {
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == exponent) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether {@code s} spells NaN or an infinity ({@code nan}, {@code -inf}, {@code Infinity}...). */
    static boolean isNonFiniteSpelling(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.startsWith("+") || t.startsWith("-")) {
            t = t.substring(1);
        }
        return t.equals("nan") || t.equals("inf") || t.equals("infinity");
    }
}
