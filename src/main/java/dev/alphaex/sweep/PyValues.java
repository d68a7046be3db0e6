package dev.alphaex.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/**
 * Python's {@code ==} on values read from JSON, which AlphaEx's search uses: numbers compare by
 * value across kinds ({@code 2 == 2.0}, {@code True == 1}, {@code False == 0}), exactly (a large
 * integer is not equal to the nearest float unless it is that float's value); lists compare
 * element by element; objects by their key sets and values, ignoring order.
 */
final class PyValues {
    private PyValues() {
    }

    static boolean equal(JsonNode a, JsonNode b) {
        if (isNumeric(a) && isNumeric(b)) {
            return numbersEqual(a, b);
        }
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().equals(b.textValue());
        }
        if (a.isNull() && b.isNull()) {
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null || !equal(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean isNumeric(JsonNode n) {
        return n.isNumber() || n.isBoolean();
    }

    private static boolean isIntegral(JsonNode n) {
        return n.isBoolean() || n.isIntegralNumber();
    }

    private static BigInteger integer(JsonNode n) {
        return n.isBoolean() ? (n.booleanValue() ? BigInteger.ONE : BigInteger.ZERO) : n.bigIntegerValue();
    }

    private static boolean numbersEqual(JsonNode a, JsonNode b) {
        boolean ia = isIntegral(a);
        boolean ib = isIntegral(b);
        if (ia && ib) {
            if (a.canConvertToLong() && b.canConvertToLong() && !a.isBoolean() && !b.isBoolean()) {
                return a.longValue() == b.longValue();
            }
            return integer(a).equals(integer(b));
        }
        if (!ia && !ib) {
            return a.doubleValue() == b.doubleValue(); // NaN != NaN and -0.0 == 0.0, as in Python
        }
        double d = ia ? b.doubleValue() : a.doubleValue();
        BigInteger i = ia ? integer(a) : integer(b);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return false;
        }
        return new BigDecimal(d).compareTo(new BigDecimal(i)) == 0;
    }
}
