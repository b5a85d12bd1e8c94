package io.friendliflink.api.response;

/** A response body that is not the JSON the API documents for its kind. */
public class MalformedBodyException extends RuntimeException {
    public MalformedBodyException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedBodyException(String message) {
        super(message);
    }
}
