package dev.alphaex.merge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in hex: how the store tells a redelivery (the same bytes) from a second log. */
final class Hashes {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Hashes() {
    }

    /** The SHA-256 of the first {@code length} bytes. */
    static String sha256(byte[] bytes, int length) {
        MessageDigest md = SHA256.get();
        md.reset();
        md.update(bytes, 0, length);
        return HexFormat.of().formatHex(md.digest());
    }

    /** The SHA-256 of a file's bytes, or null when it cannot be read (e.g. a sweep given as text). */
    static String sha256OfFile(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return sha256(bytes, bytes.length);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
