package dev.alphaex.sweep;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the AlphaEx sweep grammar from a JSON or YAML token stream, keeping the line and column
 * of every value so that an error can name the place. Values are read with Python's json module's
 * kinds: integers of any size stay exact, every other number is a double (Python's float) that keeps
 * its written text ({@link Literals}).
 */
final class SweepReader {
    /** Keys a sweep may not use: AlphaEx and this product put their own values under them. */
    static final Set<String> RESERVED = Set.of("run", "index", "num_combinations");

    /** Python's json.load accepts NaN and Infinity: so do we, for files that worked there. */
    private static final JsonFactory JSON = Literals.JSON;
    private static final JsonFactory YAML = new YAMLFactory();

    /** One object of the sweep, as read: keys in file order, each with its list of elements. */
    static final class RawObject {
        final String pointer;
        final List<String> keys = new ArrayList<>();
        final List<List<Object>> lists = new ArrayList<>();

        RawObject(String pointer) {
            this.pointer = pointer;
        }
    }

    private final String source;

    private SweepReader(String source) {
        this.source = source;
    }

    static boolean isYaml(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml");
    }

    /** Reads a whole sweep; {@code source} names it in errors. */
    static RawObject read(Reader reader, String source, boolean yaml) {
        SweepReader r = new SweepReader(source);
        try (JsonParser p = (yaml ? YAML : JSON).createParser(reader)) {
            return r.readTop(p);
        } catch (StreamReadException e) {
            JsonLocation loc = e.getLocation();
            String what = e instanceof JsonParseException ? "malformed " + (yaml ? "YAML" : "JSON") + ": " : "";
            throw new SweepException(source, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
                    null, what + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SweepException(source, 0, 0, null, "cannot read: " + e.getMessage(), e);
        }
    }

    private RawObject readTop(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw error(p, "", "the file is empty: a sweep is an object whose keys map to lists of values");
        }
        if (t != JsonToken.START_OBJECT) {
            throw error(p, "", "the top level must be an object whose keys map to lists of values (AlphaEx's "
                    + "first principle), found " + describe(t));
        }
        RawObject top = readObject(p, "");
        JsonToken extra = p.nextToken();
        if (extra != null) {
            throw error(p, "", "unexpected " + describe(extra) + " after the end of the top-level object");
        }
        return top;
    }

    /** Reads an object whose START_OBJECT is the current token. */
    private RawObject readObject(JsonParser p, String pointer) throws IOException {
        RawObject obj = new RawObject(pointer);
        Map<String, Integer> lineOfKey = new HashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String keyPointer = pointer + "/" + escape(key);
            int line = p.currentTokenLocation().getLineNr();
            Integer first = lineOfKey.putIfAbsent(key, line);
            if (first != null) {
                throw error(p, keyPointer, "key \"" + key + "\" appears twice in this object (first on line " + first
                        + "); AlphaEx would silently drop the first list: keep one");
            }
            if (RESERVED.contains(key)) {
                throw error(p, keyPointer, "key \"" + key + "\" is reserved: " + reservedWhy(key) + "; rename it");
            }
            JsonToken v = p.nextToken();
            if (v != JsonToken.START_ARRAY) {
                throw error(p, keyPointer, "key \"" + key + "\" must map to a list of values, found " + describe(v)
                        + (v != null && v.isScalarValue() ? "; for a single value write [" + p.getText() + "]" : ""));
            }
            JsonLocation listStart = p.currentTokenLocation();
            List<Object> list = new ArrayList<>();
            int i = 0;
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                String elementPointer = keyPointer + "/" + i;
                if (e == JsonToken.START_OBJECT) {
                    list.add(readObject(p, elementPointer));
                } else {
                    list.add(readLiteral(p, e, elementPointer));
                }
                i++;
            }
            if (list.isEmpty()) {
                throw new SweepException(source, listStart.getLineNr(), listStart.getColumnNr(), keyPointer,
                        "key \"" + key + "\" has an empty list: every key needs at least one value "
                        + "(AlphaEx would divide by zero here)", null);
            }
            obj.keys.add(key);
            obj.lists.add(list);
        }
        if (t != JsonToken.END_OBJECT) {
            throw error(p, pointer, "expected a key, found " + describe(t));
        }
        return obj;
    }

    private JsonNode readLiteral(JsonParser p, JsonToken t, String pointer) throws IOException {
        if (t == JsonToken.START_ARRAY || t.isScalarValue() && t != JsonToken.VALUE_EMBEDDED_OBJECT) {
            return Literals.read(p, t); // floats keep their written text
        }
        throw error(p, pointer, "unsupported value " + describe(t));
    }

    private SweepException error(JsonParser p, String pointer, String problem) {
        JsonLocation loc = p.currentTokenLocation();
        return new SweepException(source, loc.getLineNr(), loc.getColumnNr(), pointer, problem, null);
    }

    private static String reservedWhy(String key) {
        switch (key) {
            case "run":
                return "every configuration carries its run number (index / total) under \"run\"";
            case "index":
                return "the command line and the merged logs carry the job index under \"index\"";
            default:
                return "AlphaEx keeps its own counts under \"num_combinations\"";
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the file";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "a list";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.asString() == null ? t.name() : "'" + t.asString() + "'";
        }
    }

    /** RFC 6901 escaping of one reference token. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
