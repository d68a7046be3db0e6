package dev.alphaex.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration an index maps to: the run number and, in AlphaEx's order, the value of every
 * key the index selects. Values are Jackson nodes and keep their JSON kind exactly (0.1 stays a
 * float 0.1, 2.0 stays a float, integers of any size stay exact integers, lists stay lists).
 * Immutable.
 */
public final class Configuration {
    private final List<String> keyNames;
    private final long index;
    private final long run;
    private final int[] keys;
    private final JsonNode[] values;

    Configuration(List<String> keyNames, long index, long run, int[] keys, JsonNode[] values) {
        this.keyNames = keyNames;
        this.index = index;
        this.run = run;
        this.keys = keys;
        this.values = values;
    }

    /** The index this configuration was parsed from. */
    public long index() {
        return index;
    }

    /** {@code index / total}: which repetition (seed) of the configuration this index is. */
    public long run() {
        return run;
    }

    /** {@code index % total}: the configuration's position among the sweep's combinations. */
    public long combination(long total) {
        return index % total;
    }

    /** Number of keys (without run). */
    public int size() {
        return keys.length;
    }

    /** Name of the i-th key in AlphaEx's order. */
    public String key(int i) {
        return keyNames.get(keys[i]);
    }

    /** Value of the i-th key in AlphaEx's order. */
    public JsonNode value(int i) {
        return values[i];
    }

    /** The value of a key, or null when this configuration does not have the key. */
    public JsonNode get(String key) {
        for (int i = 0; i < keys.length; i++) {
            if (keyNames.get(keys[i]).equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    /** The keys and values in AlphaEx's order, without run. */
    public Map<String, JsonNode> values() {
        Map<String, JsonNode> map = new LinkedHashMap<>(keys.length * 2);
        for (int i = 0; i < keys.length; i++) {
            map.put(keyNames.get(keys[i]), values[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * The configuration as AlphaEx's {@code parse} returns it: {@code run} first, then the keys in
     * order; with {@code withIndex}, {@code index} comes before {@code run}.
     */
    public ObjectNode toJson(boolean withIndex) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (withIndex) {
            node.put("index", index);
        }
        node.put("run", run);
        for (int i = 0; i < keys.length; i++) {
            node.set(keyNames.get(keys[i]), values[i]);
        }
        return node;
    }

    @Override
    public String toString() {
        return toJson(true).toString();
    }
}
