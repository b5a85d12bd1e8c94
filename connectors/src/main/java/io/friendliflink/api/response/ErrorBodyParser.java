package io.friendliflink.api.response;

/** Reads an error response body in any of the shapes seen in the wild; never throws. */
public final class ErrorBodyParser {
    private ErrorBodyParser() {}

    public static ApiError parse(byte[] body) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
