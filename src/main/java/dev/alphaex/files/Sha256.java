package dev.alphaex.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in lower-case hex, the one way every part names content: the results store (a redelivered log against a
 * second one), the sweep's fingerprint, the doctor's sweep and jar checks, and the upload's manifest.
 */
public final class Sha256 {
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has it
        }
    });

    private Sha256() {
    }

    /** Of the first {@code length} bytes. */
    public static String of(byte[] bytes, int length) {
        MessageDigest md = DIGEST.get();
        md.reset();
        md.update(bytes, 0, length);
        return HexFormat.of().formatHex(md.digest());
    }

    public static String of(byte[] bytes) {
        return of(bytes, bytes.length);
    }

    /** Of the text's UTF-8 bytes. */
    public static String of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Of a file's bytes, read in blocks (a jar or a large log is not held in memory). */
    public static String of(Path file) throws IOException {
        MessageDigest md = DIGEST.get();
        md.reset();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Of a file's bytes, or null when it cannot be read (e.g. a sweep given as text, a file not there). */
    public static String ofFileOrNull(Path file) {
        try {
            return of(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
