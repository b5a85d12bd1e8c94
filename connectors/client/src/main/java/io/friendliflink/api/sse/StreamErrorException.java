package io.friendliflink.api.sse;

import io.friendliflink.api.response.ApiError;

/** A stream carried an {@code error} object instead of (or after some) content: the request failed. */
public final class StreamErrorException extends RuntimeException {
    private final ApiError error;

    public StreamErrorException(ApiError error) {
        super(describe(error));
        this.error = error;
    }

    public ApiError error() {
        return error;
    }

    private static String describe(ApiError error) {
        StringBuilder s = new StringBuilder("the stream reported an error: ").append(error.message());
        if (error.type() != null) {
            s.append(" (type ").append(error.type());
            if (error.code() != null) {
                s.append(", code ").append(error.code());
            }
            s.append(')');
        } else if (error.code() != null) {
            s.append(" (code ").append(error.code()).append(')');
        }
        return s.toString();
    }
}
