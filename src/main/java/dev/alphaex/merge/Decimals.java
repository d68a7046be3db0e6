package dev.alphaex.merge;

/**
 * Strict parsing of the numbers a job's log may hold: plain decimal text as every CSV reader
 * (pandas, R, Commons CSV users) understands it, {@code [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?}.
 * Java-only forms that {@link Double#parseDouble} would accept ({@code 1f}, {@code 0x1p3},
 * surrounding blanks) are refused, so a value that merges here reads back the same elsewhere.
 *
 * <p>Parsing doubles is most of the cost of a merge, so the common case takes Clinger's fast
 * path: at most 15 significant digits and a power of ten of at most 22 are both exact doubles,
 * and one IEEE multiplication or division of them is correctly rounded. Anything else (more
 * digits, larger exponents) falls back to {@link Double#parseDouble}, which is correct.
 */
final class Decimals {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private Decimals() {
    }

    /**
     * The value of {@code s}, or NaN when it is not a decimal number in the grammar above (NaN is
     * never a valid result: the text {@code NaN} itself is refused). The result may be infinite
     * when the exponent overflows a double.
     */
    static double parse(CharSequence s) {
        int n = s.length();
        int i = 0;
        if (n == 0) {
            return Double.NaN;
        }
        boolean negative = false;
        char c = s.charAt(0);
        if (c == '+' || c == '-') {
            negative = c == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exp10 = 0;
        boolean anyDigit = false;
        while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
            anyDigit = true;
            if (mantissa != 0 || c != '0') {
                if (digits < 18) {
                    mantissa = mantissa * 10 + (c - '0');
                    digits++;
                } else {
                    digits++;
                    exp10++;
                }
            }
            i++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
                anyDigit = true;
                if (mantissa != 0 || c != '0') {
                    if (digits < 18) {
                        mantissa = mantissa * 10 + (c - '0');
                        digits++;
                        exp10--;
                    } else {
                        digits++;
                    }
                } else {
                    exp10--;
                }
                i++;
            }
        }
        if (!anyDigit) {
            return Double.NaN;
        }
        int exponent = 0;
        if (i < n && ((c = s.charAt(i)) == 'e' || c == 'E')) {
            i++;
            boolean negExp = false;
            if (i < n && ((c = s.charAt(i)) == '+' || c == '-')) {
                negExp = c == '-';
                i++;
            }
            int start = i;
            while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (c - '0');
                }
                i++;
            }
            if (i == start) {
                return Double.NaN;
            }
            if (negExp) {
                exponent = -exponent;
            }
        }
        if (i != n) {
            return Double.NaN;
        }
        if (mantissa == 0) {
            return negative ? -0.0 : 0.0;
        }
        if (digits <= 15) {
            int e = exp10 + exponent;
            double m = negative ? -mantissa : mantissa;
            if (e == 0) {
                return m;
            }
            if (e > 0 && e <= 22) {
                return m * POW10[e];
            }
            if (e < 0 && e >= -22) {
                return m / POW10[-e];
            }
        }
        return Double.parseDouble(s.toString()); // the grammar is checked: Java reads it the same
    }

    /** True for the spellings of NaN and infinities that Python, NumPy and R write. */
    static boolean isNonFiniteSpelling(String s) {
        String t = s.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("+") || t.startsWith("-")) {
            t = t.substring(1);
        }
        return t.equals("nan") || t.equals("inf") || t.equals("infinity");
    }
}
