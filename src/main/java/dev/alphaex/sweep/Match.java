package dev.alphaex.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;

/**
 * One element of a search result: a configuration that satisfies the constraints and the index
 * of each of its runs ({@code combination + r * total}).
 */
public final class Match {
    private final long[] ids;
    private final Configuration configuration;

    Match(long[] ids, Configuration configuration) {
        this.ids = ids;
        this.configuration = configuration;
    }

    /** The indices of runs 0..runs-1 of this configuration. */
    public long[] ids() {
        return ids.clone();
    }

    /** The configuration (its run is 0, its index the combination). */
    public Configuration configuration() {
        return configuration;
    }

    /** As AlphaEx's search returns it: {@code {"ids": [...], "run": 0, key: value, ...}}. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ArrayNode array = node.putArray("ids");
        for (long id : ids) {
            array.add(id);
        }
        node.setAll(configuration.toJson(false));
        return node;
    }

    @Override
    public String toString() {
        return "Match" + Arrays.toString(ids) + configuration;
    }
}
