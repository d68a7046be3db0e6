package dev.alphaex.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.alphaex.files.AtomicFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The command line's side of the requests folder ({@code <campaign.dir>/requests}, read by the route
 * {@code alphaex-campaign-requests} of a running controller): a request goes in whole (written under a hidden
 * temporary name, then renamed), and its answer is awaited in {@code requests/answers/<id>.json}.
 */
public final class RequestFiles {
    private final Path dir;

    public RequestFiles(Path campaignDir) {
        this.dir = campaignDir.resolve("requests");
    }

    /** Puts the request where the controller's route takes it. */
    public Path put(OperatorRequest request) {
        Path file = dir.resolve(request.id() + ".json");
        try {
            Files.createDirectories(dir);
            AtomicFile.write(file, Operations.JSON.writeValueAsBytes(request));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the request " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Waits up to {@code wait} for the answer; empty when none came. */
    public Optional<OperatorAnswer> await(OperatorRequest request, Duration wait) throws InterruptedException {
        Path answer = dir.resolve("answers").resolve(request.id() + ".json");
        long end = System.nanoTime() + wait.toNanos();
        do {
            try {
                return Optional.of(Operations.JSON.readValue(Files.readString(answer, StandardCharsets.UTF_8), OperatorAnswer.class));
            } catch (NoSuchFileException e) {
                Thread.sleep(100);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(answer + ": not an answer: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } while (System.nanoTime() < end);
        return Optional.empty();
    }

    /** Takes a request back that no controller took: true when it was still there (and is gone now). */
    public boolean withdraw(OperatorRequest request) {
        try {
            return Files.deleteIfExists(dir.resolve(request.id() + ".json"));
        } catch (IOException e) {
            return false;
        }
    }
}
