package dev.alphaex.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** Strict JSON comparison: same kinds (integer vs float), same values, same key order. */
final class JsonAssert {
    private JsonAssert() {
    }

    static void assertSameJson(JsonNode expected, JsonNode actual, String where) {
        String problem = difference(expected, actual, "");
        if (problem != null) {
            fail(where + ": " + problem + "\n expected " + expected + "\n actual   " + actual);
        }
    }

    private static String difference(JsonNode e, JsonNode a, String path) {
        if (e.isIntegralNumber() || a.isIntegralNumber()) {
            if (!(e.isIntegralNumber() && a.isIntegralNumber()) || !e.bigIntegerValue().equals(a.bigIntegerValue())) {
                return path + ": " + e + " (" + e.getNodeType() + ") vs " + a + " (" + a.getNodeType() + ")";
            }
            return null;
        }
        if (e.isFloatingPointNumber() || a.isFloatingPointNumber()) {
            if (!(e.isFloatingPointNumber() && a.isFloatingPointNumber())
                    || Double.compare(e.doubleValue(), a.doubleValue()) != 0) {
                return path + ": " + e + " vs " + a + " (kind or value)";
            }
            return null;
        }
        if (e.getNodeType() != a.getNodeType()) {
            return path + ": kind " + e.getNodeType() + " vs " + a.getNodeType();
        }
        if (e.isArray()) {
            if (e.size() != a.size()) {
                return path + ": size " + e.size() + " vs " + a.size();
            }
            for (int i = 0; i < e.size(); i++) {
                String d = difference(e.get(i), a.get(i), path + "/" + i);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (e.isObject()) {
            List<String> ek = names(e);
            List<String> ak = names(a);
            if (!ek.equals(ak)) {
                return path + ": keys " + ek + " vs " + ak;
            }
            for (String k : ek) {
                String d = difference(e.get(k), a.get(k), path + "/" + k);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return e.equals(a) ? null : path + ": " + e + " vs " + a;
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
