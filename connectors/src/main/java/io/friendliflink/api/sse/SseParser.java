package io.friendliflink.api.sse;

import java.util.function.Consumer;

/**
 * Splits a {@code text/event-stream} byte stream into {@link SseEvent}s as bytes arrive.
 *
 * <p>Bytes may arrive in any split, including inside a UTF-8 sequence or between {@code \r} and
 * {@code \n}.
 */
public final class SseParser {
    private final Consumer<SseEvent> sink;

    public SseParser(Consumer<SseEvent> sink) {
        this.sink = sink;
    }

    public void feed(byte[] bytes, int offset, int length) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The stream ended: dispatches a last event that was not followed by a blank line. */
    public void end() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
