package io.friendliflink.policy;

/** Why an attempt failed, coarse enough to name a counter ({@link #counterName()}). */
public enum FailureCategory {
    /** {@code 429}: over a rate limit, or the request's {@code timeout_microseconds} expired in the queue. */
    RATE_LIMITED("rate_limited"),
    /** {@code 5xx}. */
    SERVER_ERROR("server_error"),
    /** {@code 408}, or the attempt's own timeout expired. */
    TIMEOUT("timeout"),
    /** The connection could not be opened, or closed before the response was complete. */
    CONNECTION("connection"),
    /** An SSE stream ended before {@code data: [DONE]}. */
    TRUNCATED_STREAM("truncated_stream"),
    /** A 2xx body that is not what the API documents. */
    MALFORMED("malformed"),
    /** {@code 401} or {@code 403}: the endpoint refused the credentials (a wrong or expired token, no access). */
    UNAUTHORIZED("unauthorized"),
    /** A {@code 4xx} other than {@code 401}, {@code 403}, {@code 408} and {@code 429}: the request itself is wrong. */
    CLIENT_ERROR("client_error"),
    /** Anything else: an unexpected status or exception. */
    UNEXPECTED("unexpected");

    private final String counterName;

    FailureCategory(String counterName) {
        this.counterName = counterName;
    }

    public String counterName() {
        return counterName;
    }
}
