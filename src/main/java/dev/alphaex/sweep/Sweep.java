package dev.alphaex.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hyper-parameter sweep in AlphaEx's grammar, and the mapping from an integer index to one
 * configuration that AlphaEx's {@code Sweeper} computes, reproduced exactly.
 *
 * <p>A sweep is an object; each key maps to a list; an element of a list that is an object is a
 * nested sweep whose combinations add to the list's count; any other element is one literal
 * value. A configuration takes one element of every list and all keys of every object. Index
 * {@code i} decomposes in mixed radix with the first key varying fastest; nested sweeps occupy
 * contiguous blocks of their list; {@code run = i / total} and indices of {@code total} and beyond
 * wrap. A key assigned twice keeps the place of its first assignment and the later value.
 *
 * <p>Indices are exact 64-bit integers. AlphaEx divides with Python floats, which agrees with
 * exact division for every index below 2<sup>53</sup>.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class Sweep {
    /** A compiled object of the sweep. */
    static final class Node {
        final String pointer;
        final String[] keys;
        /** Key id of each key for literal assignment, -1 when its list holds only nested objects. */
        final int[] keyIds;
        /** Per key, the list's elements: a {@link JsonNode} literal or a nested {@link Node}. */
        final Object[][] choices;
        /** Per key, the first digit each element occupies. */
        final long[][] starts;
        final boolean[] literalOnly;
        final long[] counts;
        /** Per key, the product of the counts of the keys before it. */
        final long[] mult;
        final long total;

        Node(String pointer, String[] keys, int[] keyIds, Object[][] choices, long[][] starts, boolean[] literalOnly,
             long[] counts, long[] mult, long total) {
            this.pointer = pointer;
            this.keys = keys;
            this.keyIds = keyIds;
            this.choices = choices;
            this.starts = starts;
            this.literalOnly = literalOnly;
            this.counts = counts;
            this.mult = mult;
            this.total = total;
        }
    }

    private final String source;
    private final SweepReader.RawObject raw;
    private final Node root;
    private final long total;
    private final List<String> keyNames;
    private final Map<String, Integer> keyIds;
    /** True when no key can be assigned twice along one configuration (the common case). */
    private final boolean keysUnique;

    private Sweep(String source, SweepReader.RawObject raw) {
        this.source = source;
        this.raw = raw;
        Map<String, Integer> ids = new LinkedHashMap<>();
        Map<Integer, Integer> placesOfKey = new HashMap<>();
        this.root = compile(raw, ids, placesOfKey);
        this.total = root.total;
        this.keyIds = Collections.unmodifiableMap(ids);
        this.keyNames = List.copyOf(ids.keySet());
        boolean unique = true;
        for (int places : placesOfKey.values()) {
            unique &= places <= 1;
        }
        this.keysUnique = unique;
    }

    /** Loads a sweep file: YAML when the name ends in .yaml or .yml, JSON otherwise (UTF-8). */
    public static Sweep load(Path file) {
        String name = file.toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new SweepException(name, 0, 0, null, "no such file", e);
        } catch (CharacterCodingException e) {
            throw new SweepException(name, 0, 0, null, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new SweepException(name, 0, 0, null, "cannot read: " + e, e);
        }
        return parse(text, name, SweepReader.isYaml(name));
    }

    /** Parses sweep text; {@code sourceName} names it in errors. */
    public static Sweep parse(String text, String sourceName, boolean yaml) {
        return read(new StringReader(text), sourceName, yaml);
    }

    /** Parses a sweep from a reader; {@code sourceName} names it in errors. */
    public static Sweep read(Reader reader, String sourceName, boolean yaml) {
        return new Sweep(sourceName, SweepReader.read(reader, sourceName, yaml));
    }

    private Node compile(SweepReader.RawObject raw, Map<String, Integer> ids, Map<Integer, Integer> placesOfKey) {
        int n = raw.keys.size();
        String[] keys = raw.keys.toArray(new String[0]);
        int[] kid = new int[n];
        Object[][] choices = new Object[n][];
        long[][] starts = new long[n][];
        boolean[] literalOnly = new boolean[n];
        long[] counts = new long[n];
        long[] mult = new long[n];
        long product = 1;
        for (int k = 0; k < n; k++) {
            List<Object> list = raw.lists.get(k);
            Object[] ch = new Object[list.size()];
            long[] st = new long[list.size()];
            long count = 0;
            boolean onlyLiterals = true;
            boolean anyLiteral = false;
            for (int i = 0; i < ch.length; i++) {
                Object e = list.get(i);
                st[i] = count;
                if (e instanceof SweepReader.RawObject) {
                    Node child = compile((SweepReader.RawObject) e, ids, placesOfKey);
                    ch[i] = child;
                    count = addExact(count, child.total, raw.pointer + "/" + SweepReader.escape(keys[k]));
                    onlyLiterals = false;
                } else {
                    ch[i] = e;
                    count = addExact(count, 1, raw.pointer);
                    anyLiteral = true;
                }
            }
            if (anyLiteral) {
                kid[k] = ids.computeIfAbsent(keys[k], key -> ids.size());
                placesOfKey.merge(kid[k], 1, Integer::sum);
            } else {
                kid[k] = -1;
            }
            choices[k] = ch;
            starts[k] = st;
            literalOnly[k] = onlyLiterals;
            counts[k] = count;
            mult[k] = product;
            product = multiplyExact(product, count, raw.pointer);
        }
        // A key assigned both here and inside a nested object below counts as two places.
        return new Node(raw.pointer, keys, kid, choices, starts, literalOnly, counts, mult, product);
    }

    private long addExact(long a, long b, String pointer) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw tooMany(pointer, e);
        }
    }

    private long multiplyExact(long a, long b, String pointer) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw tooMany(pointer, e);
        }
    }

    private SweepException tooMany(String pointer, ArithmeticException e) {
        return new SweepException(source, 0, 0, pointer, "the sweep has more than 2^63-1 combinations", e);
    }

    /** The name of the file (or source) the sweep was read from. */
    public String source() {
        return source;
    }

    /**
     * The sweep itself as a JSON tree: every key in file order with its list, nested sweeps as objects,
     * values as read (floats with their written text). Two files that give the same tree are the same
     * sweep, however they are formatted (JSON or YAML, spaces, line breaks).
     */
    public ObjectNode content() {
        return content(raw);
    }

    private static ObjectNode content(SweepReader.RawObject o) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int k = 0; k < o.keys.size(); k++) {
            ArrayNode list = node.putArray(o.keys.get(k));
            for (Object e : o.lists.get(k)) {
                list.add(e instanceof SweepReader.RawObject ? content((SweepReader.RawObject) e) : ((JsonNode) e).deepCopy());
            }
        }
        return node;
    }

    /** The number of combinations (AlphaEx's {@code total_combinations}). */
    public long total() {
        return total;
    }

    /**
     * The keys that take values (AlphaEx's {@code keys_set}), in the order they first appear in
     * the file. Keys whose lists hold only nested objects are not among them.
     */
    public List<String> keys() {
        return keyNames;
    }

    /**
     * The configuration for an index, identical to AlphaEx's {@code Sweeper.parse(index)}.
     *
     * @throws IllegalArgumentException when the index is negative
     */
    public Configuration parse(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be 0 or more, got " + index);
        }
        int[] order = new int[keyNames.size()];
        JsonNode[] values = new JsonNode[keyNames.size()];
        int count = fill(root, index, order, values, 0);
        return new Configuration(keyNames, index, index / total,
                count == order.length ? order : Arrays.copyOf(order, count),
                count == values.length ? values : Arrays.copyOf(values, count));
    }

    private int fill(Node node, long index, int[] order, JsonNode[] values, int count) {
        for (int k = 0; k < node.keys.length; k++) {
            long digit = (index / node.mult[k]) % node.counts[k];
            Object chosen;
            long relative;
            if (node.literalOnly[k]) {
                chosen = node.choices[k][(int) digit];
                relative = 0;
            } else {
                long[] st = node.starts[k];
                int i = Arrays.binarySearch(st, digit);
                if (i < 0) {
                    i = -i - 2;
                }
                chosen = node.choices[k][i];
                relative = digit - st[i];
            }
            if (chosen instanceof Node) {
                count = fill((Node) chosen, relative, order, values, count);
            } else {
                count = assign(node.keyIds[k], (JsonNode) chosen, order, values, count);
            }
        }
        return count;
    }

    private int assign(int keyId, JsonNode value, int[] order, JsonNode[] values, int count) {
        if (!keysUnique) {
            for (int i = 0; i < count; i++) {
                if (order[i] == keyId) {
                    values[i] = value; // keeps its first place, takes the later value
                    return count;
                }
            }
        }
        order[count] = keyId;
        values[count] = value;
        return count + 1;
    }

    /**
     * AlphaEx's {@code search}: every configuration that has all the constrained keys with the
     * given values (Python's {@code ==}), in index order, each with the indices of its runs
     * {@code combination + r * total} for r in 0..runs-1. Constraint keys that no list of the
     * sweep assigns are ignored, as in AlphaEx.
     *
     * <p>It walks the sweep's structure, pruning choices that contradict a constraint or cannot
     * supply a constrained key, so the work follows the number of matches, not the total.
     */
    public List<Match> search(Map<String, ? extends JsonNode> constraints, int runs) {
        if (runs < 0) {
            throw new IllegalArgumentException("runs must be 0 or more, got " + runs);
        }
        if (runs > 0) {
            multiplyExact(total, runs, ""); // every id fits in a long
        }
        return new SweepSearch(this, constraints, runs).run();
    }

    /** The sweep's compiled root object (for {@link SweepSearch}). */
    Node root() {
        return root;
    }

    /** Each key's id (for {@link SweepSearch}). */
    Map<String, Integer> keyIds() {
        return keyIds;
    }
}
