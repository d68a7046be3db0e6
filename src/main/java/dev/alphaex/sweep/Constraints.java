package dev.alphaex.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Search constraints written as {@code key=value} words or as one JSON object. */
public final class Constraints {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Constraints() {
    }

    /**
     * Reads {@code key=value} words: the value is read as JSON when it parses as JSON
     * ({@code lr=0.1}, {@code flag=true}, {@code shape=[64,64]}, {@code x=null}), else it is the
     * string as written ({@code algo=sarsa}). To force a string that looks like JSON, quote it
     * as JSON: {@code name='"true"'}.
     *
     * @throws IllegalArgumentException naming the word that has no {@code =} or no key
     */
    public static Map<String, JsonNode> parseWords(List<String> words) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("constraint '" + word + "' is not of the form key=value");
            }
            out.put(word.substring(0, eq), value(word.substring(eq + 1)));
        }
        return out;
    }

    /** Reads the value of one {@code key=value} word. */
    public static JsonNode value(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    /**
     * Reads constraints given as one JSON object.
     *
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    public static Map<String, JsonNode> parseJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--json is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("--json must be a JSON object like {\"lr\": 0.1}");
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
