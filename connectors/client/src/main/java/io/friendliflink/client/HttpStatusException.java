package io.friendliflink.client;

import io.friendliflink.api.response.ApiError;

/**
 * A call that returns a value rather than an {@link HttpResult} (tokenize, detokenize) got a non-2xx
 * status; the full result, with the parsed error and rate-limit headers, is attached.
 */
public class HttpStatusException extends RuntimeException {
    private final transient HttpResult result;

    public HttpStatusException(String path, HttpResult result) {
        super("HTTP " + result.status() + " from " + path
                + (result.error() != null && result.error().message() != null ? ": " + result.error().message() : ""));
        this.result = result;
    }

    public HttpResult result() {
        return result;
    }

    public int status() {
        return result.status();
    }

    public ApiError error() {
        return result.error();
    }
}
