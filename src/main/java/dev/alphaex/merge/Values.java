package dev.alphaex.merge;

import dev.alphaex.sweep.WrittenNumber;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * How a configuration value reads in a CSV cell, a legend or a file name: strings as written,
 * numbers as Python prints them ({@code 0.01}, {@code 1e-05}, {@code 2.0}, {@code 3}), booleans
 * as {@code true}/{@code false}, null as an empty cell, lists and objects as compact JSON
 * ({@code [64,64]}). CSV quoting of commas and quotes is the CSV printer's job, not this one's.
 */
public final class Values {
    private Values() {
    }

    /** The text of a value; null (a key this configuration does not have) reads as empty. */
    public static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isFloatingPointNumber()) {
            return number(value.doubleValue());
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "true" : "false";
        }
        return value.toString(); // arrays and objects: compact JSON
    }

    /** A double as Python's repr writes it. */
    public static String number(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return WrittenNumber.repr(d);
    }
}
