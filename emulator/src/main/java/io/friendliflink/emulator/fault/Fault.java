package io.friendliflink.emulator.fault;

/**
 * A way the emulator misbehaves on purpose, as real endpoints and the proxies before them do.
 *
 * <p>The {@link #option()} names are the standalone command's flags ({@code --fault-500 0.01}) and the
 * keys of {@code faults} in the stats.
 */
public enum Fault {
    /**
     * {@code 429} with an error body and no {@code Retry-After}, before any generation: a gateway under load
     * or a flaky replica, tied to no rate limit (the {@code --rpm}/{@code --tpm} limits answer their own).
     */
    HTTP_429("fault-429", 429),
    /** The same transient {@code 429}, with {@code Retry-After: 1}. */
    HTTP_429_RETRY_AFTER("fault-429-retry-after", 429),
    /** {@code 500} with an error body, before any generation. */
    HTTP_500("fault-500", 500),
    /** {@code 502} with an error body, as a gateway in front of the model would send. */
    HTTP_502("fault-502", 502),
    /** {@code 503} with an error body: overloaded. */
    HTTP_503("fault-503", 503),
    /** {@code 504} with an error body: the gateway gave up waiting. */
    HTTP_504("fault-504", 504),
    /** Headers and part of the body (JSON), or some chunks (SSE), then a TCP reset. */
    CONNECTION_RESET("fault-reset", 0),
    /** A stream ends cleanly before {@code data: [DONE]}; a JSON body ends cleanly short of its length. */
    TRUNCATED_STREAM("fault-truncate", 0),
    /** Status 200 with a body (or one SSE event) that is not valid JSON. */
    MALFORMED_JSON("fault-malformed", 0),
    /** The answer starts only after the configured slow delay, longer than any sane client timeout. */
    SLOW_RESPONSE("fault-slow", 0),
    /**
     * Status 200 whose output ignores the request's {@code json_schema} {@code response_format}: a JSON object as
     * for {@code json_object}, as a server that does not enforce the schema answers (a faithful answer to a
     * request without a {@code json_schema}).
     */
    INVALID_OUTPUT("fault-invalid-output", 0);

    private final String option;
    private final int status;

    Fault(String option, int status) {
        this.option = option;
        this.status = status;
    }

    /** The standalone flag without dashes, e.g. {@code fault-reset}. */
    public String option() {
        return option;
    }

    /** The HTTP status this fault answers with, or {@code 0} when it corrupts a normal answer instead. */
    public int status() {
        return status;
    }

    /** Whether this fault answers with an error status instead of generating. */
    public boolean isErrorStatus() {
        return status != 0;
    }
}
