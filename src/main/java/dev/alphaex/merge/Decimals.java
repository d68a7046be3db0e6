package dev.alphaex.merge;

/**
 * Strict parsing of the numbers a job's log may hold: plain decimal text as every CSV reader
 * (pandas, R, Commons CSV users) understands it, {@code [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?}.
 * Java-only forms that {@link Double#parseDouble} would accept ({@code 1f}, {@code 0x1p3},
 * surrounding blanks) are refused, so a value that merges here reads back the same elsewhere.
 *
 * <p>Parsing doubles is most of the cost of a merge, so the common cases take fast, exact paths:
 * <ul>
 *   <li>Clinger's: at most 15 significant digits and a power of ten of at most 22 are both exact
 *       doubles, and one IEEE multiplication or division of them is correctly rounded;</li>
 *   <li>Eisel-Lemire's (D. Lemire, "Number Parsing at a Gigabyte per Second", 2021) for up to 19
 *       significant digits, as Java's own {@code Double.toString} and NumPy's {@code %.18e}
 *       write: the digits times a 128-bit approximation of the power of five, which decides the
 *       correctly rounded double or says it cannot (then the fallback decides).</li>
 * </ul>
 * Anything else (more digits, subnormal results, undecided cases) falls back to
 * {@link Double#parseDouble}, which is correct. The results are the same doubles as
 * {@code Double.parseDouble}'s, bit for bit (tested on millions of random numbers).
 */
final class Decimals {
    private static final double[] POW10 = new double[23];
    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final int SMALLEST_POWER = -342;
    private static final int LARGEST_POWER = 308;
    /** 5^q normalised to 128 bits (high and low words), q from -342 to 308, as Lemire's tables. */
    static final long[] POW5_HI = new long[LARGEST_POWER - SMALLEST_POWER + 1];
    static final long[] POW5_LO = new long[POW5_HI.length];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
        java.math.BigInteger two128 = java.math.BigInteger.ONE.shiftLeft(128);
        java.math.BigInteger two127 = java.math.BigInteger.ONE.shiftLeft(127);
        java.math.BigInteger mask64 = java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE);
        for (int q = SMALLEST_POWER; q <= LARGEST_POWER; q++) {
            java.math.BigInteger c;
            if (q < 0) {
                java.math.BigInteger power5 = java.math.BigInteger.valueOf(5).pow(-q);
                int z = power5.subtract(java.math.BigInteger.ONE).bitLength(); // smallest z with 2^z >= 5^-q
                int b = q >= -27 ? z + 127 : 2 * z + 128;
                c = java.math.BigInteger.ONE.shiftLeft(b).divide(power5).add(java.math.BigInteger.ONE);
                while (c.compareTo(two128) >= 0) {
                    c = c.shiftRight(1);
                }
            } else {
                c = java.math.BigInteger.valueOf(5).pow(q);
                while (c.compareTo(two127) < 0) {
                    c = c.shiftLeft(1);
                }
                while (c.compareTo(two128) >= 0) {
                    c = c.shiftRight(1);
                }
            }
            POW5_HI[q - SMALLEST_POWER] = c.shiftRight(64).longValue();
            POW5_LO[q - SMALLEST_POWER] = c.and(mask64).longValue();
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
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return Double.NaN; // no number has a char beyond ASCII
            }
            b[i] = (byte) c;
        }
        return parse(b, 0, n);
    }

    /**
     * The value of the ASCII text {@code b[from, to)}, as {@link #parse(CharSequence)}: the merge
     * parses the cells it has copied as bytes (no String per cell is read twice, no char decoding).
     * A byte outside ASCII is never part of a number (NaN).
     */
    static double parse(byte[] b, int from, int to) {
        double fast = parseShort(b, from, to);
        return fast == fast ? fast : parseAny(b, from, to);
    }

    /** Plain decimals of at most 19 digits, 8 digits at a time; NaN for anything else (then {@link #parseAny}). */
    private static double parseShort(byte[] b, int from, int to) {
        int i = from;
        if (i >= to) {
            return Double.NaN;
        }
        boolean negative = false;
        int c = b[i];
        if (c == '-' || c == '+') {
            negative = c == '-';
            i++;
        }
        int intStart = i;
        long w = 0;
        while (i + 8 <= to && isEightDigits((long) LONGS.get(b, i))) {
            w = w * 100_000_000L + eightDigits((long) LONGS.get(b, i));
            i += 8;
        }
        while (i < to && (c = b[i] - '0') >= 0 && c <= 9) {
            w = w * 10 + c;
            i++;
        }
        int digits = i - intStart;
        int fraction = 0;
        if (i < to && b[i] == '.') {
            i++;
            int fracStart = i;
            while (i + 8 <= to && isEightDigits((long) LONGS.get(b, i))) {
                w = w * 100_000_000L + eightDigits((long) LONGS.get(b, i));
                i += 8;
            }
            while (i < to && (c = b[i] - '0') >= 0 && c <= 9) {
                w = w * 10 + c;
                i++;
            }
            fraction = i - fracStart;
            digits += fraction;
        }
        if (i != to || digits == 0 || digits > 19) {
            return Double.NaN; // an exponent, more digits, or not a number: the general path decides
        }
        if (w == 0) {
            return negative ? -0.0 : 0.0;
        }
        // w < 10^19 < 2^64 (unsigned), value = w * 10^-fraction exactly
        if (w >= 0 && w <= (1L << 53) && fraction <= 22) {
            double m = negative ? -(double) w : (double) w; // exact: w has at most 53 bits
            return fraction == 0 ? m : m / POW10[fraction];
        }
        return eiselLemire(w, -fraction, negative);
    }

    private static boolean isEightDigits(long v) {
        return ((v & 0xF0F0F0F0F0F0F0F0L) | (((v + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4))
                == 0x3333333333333333L;
    }

    /** The value of eight ASCII digits read as a little-endian long (D. Lemire's SWAR conversion). */
    private static long eightDigits(long v) {
        v -= 0x3030303030303030L;
        v = (v * 10) + (v >>> 8);
        return (((v & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)))
                + (((v >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))) >>> 32;
    }

    /** The general path: any length of digits, exponents. */
    private static double parseAny(byte[] b, int from, int to) {
        int i = from;
        if (from >= to) {
            return Double.NaN;
        }
        boolean negative = false;
        int c = b[i];
        if (c == '+' || c == '-') {
            negative = c == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exp10 = 0;
        boolean anyDigit = false;
        while (i < to && (c = b[i]) >= '0' && c <= '9') {
            anyDigit = true;
            if (mantissa != 0 || c != '0') {
                if (digits < 19) {
                    mantissa = mantissa * 10 + (c - '0'); // unsigned: 19 digits fit in 64 bits
                    digits++;
                } else {
                    digits++;
                    exp10++;
                }
            }
            i++;
        }
        if (i < to && b[i] == '.') {
            i++;
            while (i < to && (c = b[i]) >= '0' && c <= '9') {
                anyDigit = true;
                if (mantissa != 0 || c != '0') {
                    if (digits < 19) {
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
        if (i < to && ((c = b[i]) == 'e' || c == 'E')) {
            i++;
            boolean negExp = false;
            if (i < to && ((c = b[i]) == '+' || c == '-')) {
                negExp = c == '-';
                i++;
            }
            int start = i;
            while (i < to && (c = b[i]) >= '0' && c <= '9') {
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
        if (i != to) {
            return Double.NaN;
        }
        if (mantissa == 0) {
            return negative ? -0.0 : 0.0;
        }
        int e = exp10 + exponent;
        if (digits <= 15) {
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
        if (digits <= 19 && Math.abs(exponent) < 100_000) {
            double d = eiselLemire(mantissa, e, negative);
            if (!Double.isNaN(d)) {
                return d;
            }
        }
        // the grammar is checked (ASCII): Java reads it the same
        return Double.parseDouble(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /**
     * The double nearest to w * 10^q (w unsigned, not 0), or NaN when the 128-bit product cannot
     * decide it (or the result is subnormal): the caller falls back then.
     */
    static double eiselLemire(long w, int q, boolean negative) {
        long sign = negative ? Long.MIN_VALUE : 0;
        if (q < SMALLEST_POWER) {
            return Double.longBitsToDouble(sign); // +-0
        }
        if (q > LARGEST_POWER) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        int lz = Long.numberOfLeadingZeros(w);
        w <<= lz;
        int i = q - SMALLEST_POWER;
        long hi = unsignedMultiplyHigh(w, POW5_HI[i]);
        long lo = w * POW5_HI[i];
        final long precisionMask = 0xFFFFFFFFFFFFFFFFL >>> 55; // 52 explicit bits + 3
        if ((hi & precisionMask) == precisionMask) {
            long secondHi = unsignedMultiplyHigh(w, POW5_LO[i]);
            long sum = lo + secondHi;
            if (Long.compareUnsigned(secondHi, sum) > 0) {
                hi++;
            }
            lo = sum;
        }
        if (lo == -1L && (q < -27 || q > 55)) {
            return Double.NaN; // the truncated product might round the other way
        }
        int upperBit = (int) (hi >>> 63);
        long mantissa = hi >>> (upperBit + 9);
        int power2 = (((q * (152_170 + 65_536)) >> 16) + 63) + upperBit - lz + 1023;
        if (power2 <= 0) {
            return Double.NaN; // subnormal: rare in logs, left to the fallback
        }
        if (Long.compareUnsigned(lo, 1) <= 0 && q >= -4 && q <= 23 && (mantissa & 3) == 1
                && (mantissa << (upperBit + 9)) == hi) {
            mantissa &= ~1L; // exactly halfway: round to even
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >= (2L << 52)) {
            mantissa = 1L << 52;
            power2++;
        }
        mantissa &= ~(1L << 52);
        if (power2 >= 0x7FF) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.longBitsToDouble(sign | ((long) power2 << 52) | mantissa);
    }

    /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh is Java 18+). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
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
