package dev.alphaex.sweep;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * A float (Python's float, a Java double) that keeps the text it was written with: {@code 0.0001} stays
 * {@code 0.0001} (not {@code 1.0E-4}), {@code 123456789.0} stays {@code 123456789.0} (not
 * {@code 1.23456789E8}), {@code 2.50} stays {@code 2.50}, wherever the value is printed or exported (the
 * command line, ALPHAEX_CONFIG, campaign.exports and campaign.args). It compares and computes as the double.
 *
 * <p>Text that is not a JSON number is written in the form Python's json module writes and reads:
 * {@code NaN}, {@code Infinity}, {@code -Infinity} (from JSON's NaN/Infinity or YAML's .nan/.inf), and other
 * YAML spellings of a finite float ({@code +1.5}, {@code 1_000.5}) as Python's repr of the value. A number too
 * large for a double ({@code 1e400}) keeps its text; its value is infinity, as in Python.
 *
 * <p>A {@link NumericNode} of its own (Jackson's DoubleNode writes itself through a final method): it
 * behaves as a DoubleNode of the same value in every respect but its text. Equal values are equal nodes
 * ({@code 0.10} equals {@code 0.1}, as in Python).
 */
public final class WrittenNumber extends NumericNode {
    private static final long serialVersionUID = 1L;
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final double value;
    private final String text;

    private WrittenNumber(double value, String text) {
        this.value = value;
        this.text = text;
    }

    /** The float {@code value} as it was written ({@code text}, normalised only when it is not JSON). */
    public static WrittenNumber of(String text, double value) {
        String t = text == null ? "" : text.trim();
        if (!JSON_NUMBER.matcher(t).matches()) {
            t = canonical(value);
        }
        return new WrittenNumber(value, t);
    }

    /** The value as Python's json module writes it: repr for finite values, NaN, Infinity, -Infinity. */
    static String canonical(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return repr(d);
    }

    /**
     * A finite double as Python's {@code repr} writes it (shortest round-trip digits; positional from 1e-4 up to
     * 1e16, else {@code 1e-05}, {@code 1.5e+16}): the one place both the sweep and the results store write numbers.
     */
    public static String repr(double d) {
        double a = Math.abs(d);
        String s = Double.toString(d);
        if (a == 0 || (a >= 1e-4 && a < 1e16)) {
            if (s.indexOf('E') < 0) {
                return s;
            }
            String plain = new BigDecimal(s).toPlainString();
            return plain.indexOf('.') < 0 ? plain + ".0" : plain;
        }
        int e = s.indexOf('E');
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** The text the number was written with. */
    @Override
    public String asText() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        g.writeNumber(text);
    }

    @Override
    public JsonToken asToken() {
        return JsonToken.VALUE_NUMBER_FLOAT;
    }

    @Override
    public JsonParser.NumberType numberType() {
        return JsonParser.NumberType.DOUBLE;
    }

    @Override
    public boolean isFloatingPointNumber() {
        return true;
    }

    @Override
    public boolean isDouble() {
        return true;
    }

    @Override
    public boolean isNaN() {
        return Double.isNaN(value) || Double.isInfinite(value);
    }

    @Override
    public boolean canConvertToInt() {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
    }

    @Override
    public boolean canConvertToLong() {
        return value >= Long.MIN_VALUE && value <= Long.MAX_VALUE;
    }

    @Override
    public Number numberValue() {
        return value;
    }

    @Override
    public int intValue() {
        return (int) value;
    }

    @Override
    public long longValue() {
        return (long) value;
    }

    @Override
    public double doubleValue() {
        return value;
    }

    @Override
    public BigDecimal decimalValue() {
        return BigDecimal.valueOf(value);
    }

    @Override
    public BigInteger bigIntegerValue() {
        return decimalValue().toBigInteger();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrittenNumber && Double.compare(value, ((WrittenNumber) o).value) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }
}
