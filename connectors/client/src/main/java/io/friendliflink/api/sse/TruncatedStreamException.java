package io.friendliflink.api.sse;

/** A stream ended before {@code data: [DONE]}: whatever arrived is a partial result and not to be trusted. */
public class TruncatedStreamException extends RuntimeException {
    public TruncatedStreamException(String message) {
        super(message);
    }

    public TruncatedStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
