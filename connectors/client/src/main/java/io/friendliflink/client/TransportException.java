package io.friendliflink.client;

/**
 * An attempt failed below HTTP semantics: no usable response arrived.
 *
 * <p>The {@link Cause} tells the retry policy what happened; all causes are worth a retry.
 */
public class TransportException extends RuntimeException {

    /** Why no usable response arrived. */
    public enum Cause {
        /** The connection could not be opened. */
        CONNECT,
        /** The connection closed or reset before the response was complete. */
        CONNECTION_RESET,
        /** The per-attempt timeout expired. */
        TIMEOUT,
        /** An SSE stream ended before {@code data: [DONE]}. */
        TRUNCATED_STREAM,
        /** A 2xx response whose body is not the JSON (or SSE) the API documents. */
        MALFORMED_RESPONSE
    }

    private final Cause cause;

    public TransportException(Cause cause, String message, Throwable underlying) {
        super(message, underlying);
        this.cause = cause;
    }

    public TransportException(Cause cause, String message) {
        this(cause, message, null);
    }

    public Cause reason() {
        return cause;
    }
}
