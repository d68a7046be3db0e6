package dev.alphaex.sweep;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.Locale;

/**
 * JSON (or YAML) values read with Python's json module's kinds, keeping every float's written text
 * ({@link WrittenNumber}): integers of any size stay exact, every other number is a float that prints as it
 * was written. The sweep's values and the campaign's exports and arguments are read this way, so that a
 * value reaches the job as the user wrote it.
 */
public final class Literals {
    /** JSON as Python's json.load reads it: NaN and Infinity are numbers. */
    static final JsonFactory JSON = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private Literals() {
    }

    /**
     * Parses one JSON value.
     *
     * @throws IOException when the text is not one JSON value (the parser's message says where)
     */
    public static JsonNode parse(String json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            JsonNode value = read(p, t);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw new IOException("unexpected " + extra.asString() + " after the value (line " + p.currentTokenLocation().getLineNr()
                        + ", column " + p.currentTokenLocation().getColumnNr() + ")");
            }
            return value;
        }
    }

    /** Reads the value whose first token {@code t} is the parser's current token. */
    static JsonNode read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_ARRAY: {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(read(p, e));
                }
                return a;
            }
            case START_OBJECT: {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    o.set(key, read(p, p.nextToken()));
                }
                return o;
            }
            case VALUE_STRING:
                return TextNode.valueOf(p.getText());
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NULL:
                return NullNode.instance;
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return IntNode.valueOf(p.getIntValue());
                    case LONG:
                        return LongNode.valueOf(p.getLongValue());
                    default:
                        return BigIntegerNode.valueOf(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return WrittenNumber.of(p.getText(), floatValue(p));
            default:
                throw new IOException("unsupported value " + t);
        }
    }

    /** The float's value; YAML's .inf, -.inf and .nan too (Jackson's YAML parser reads them as floats it cannot convert). */
    private static double floatValue(JsonParser p) throws IOException {
        switch (p.getText().trim().toLowerCase(Locale.ROOT)) {
            case ".inf":
            case "+.inf":
                return Double.POSITIVE_INFINITY;
            case "-.inf":
                return Double.NEGATIVE_INFINITY;
            case ".nan":
                return Double.NaN;
            default:
                return p.getDoubleValue();
        }
    }
}
