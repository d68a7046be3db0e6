package dev.alphaex.cluster;

import java.time.Duration;
import java.time.Instant;

/**
 * The books of the commands sent to one cluster ({@link ClusterKind#meter}): the engine tells it every command as it
 * goes out and every poll once it has gone out, so that the commands of the cluster's first exchange are its
 * start-up and the later ones fall into poll periods. Thread-safe.
 */
public interface CommandMeter {
    /** A meter that counts nothing and has nothing to say. */
    CommandMeter NONE = new CommandMeter() {
        @Override
        public void sent(String command, Instant at) {
        }

        @Override
        public void polled(Instant started, Duration period) {
        }

        @Override
        public String summary(Instant now) {
            return "";
        }
    };

    /** {@code command} (as the cluster's shell runs it) went out at {@code at}. */
    void sent(String command, Instant at);

    /** A poll that began at {@code started} has gone out; polls are {@code period} apart (the configured period). */
    void polled(Instant started, Duration period);

    /** One line for the summary at the end, e.g. the scheduler commands per kind and per poll period; "" for none. */
    String summary(Instant now);
}
