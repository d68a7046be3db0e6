package dev.alphaex.plot;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** A YAML (or JSON) document read as a Jackson tree, remembering where every value starts, for messages. */
final class YamlTree {
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    final String source;
    final JsonNode root;
    private final Map<String, int[]> places = new HashMap<>();

    private YamlTree(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    static YamlTree parse(String text, String source) {
        try {
            JsonNode root = MAPPER.readTree(text);
            YamlTree tree = new YamlTree(source, root);
            try (JsonParser p = YAML.createParser(text)) {
                if (p.nextToken() != null) {
                    tree.walk(p, "");
                }
            }
            return tree;
        } catch (StreamReadException e) {
            JsonLocation loc = e.getLocation();
            throw new PlotSpecException(source, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
                    null, "malformed YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PlotSpecException(source, 0, 0, null, "cannot read: " + e.getMessage());
        }
    }

    private void walk(JsonParser p, String pointer) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        places.put(pointer, new int[]{loc.getLineNr(), loc.getColumnNr()});
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                walk(p, pointer + "/" + name.replace("~", "~0").replace("/", "~1"));
            }
        } else if (t == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                walk(p, pointer + "/" + i++);
            }
        }
    }

    PlotSpecException error(String pointer, String problem) {
        int[] at = places.get(pointer);
        return new PlotSpecException(source, at == null ? 0 : at[0], at == null ? 0 : at[1], pointer, problem);
    }
}
