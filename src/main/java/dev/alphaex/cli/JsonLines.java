package dev.alphaex.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Compact JSON values written as UTF-8 to a stream, whatever the platform's default charset. */
final class JsonLines implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OutputStream out;

    JsonLines(OutputStream target) {
        this.out = new BufferedOutputStream(target, 1 << 16) {
            @Override
            public void close() throws IOException {
                flush(); // never close System.out
            }
        };
    }

    /** One value and a newline. */
    void write(JsonNode value) throws IOException {
        value(value);
        out.write('\n');
    }

    /** One value, no newline. */
    void value(JsonNode value) throws IOException {
        try (JsonGenerator g = JSON.getFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            JSON.writeTree(g, value);
        }
    }

    void raw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** One value and a newline to System.out. */
    static void print(JsonNode value) {
        try (JsonLines out = new JsonLines(System.out)) {
            out.write(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
