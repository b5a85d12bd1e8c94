package io.friendliflink.sink;

import java.util.Objects;

/**
 * One failed request or unusable input line as it is written to {@code <output>/errors/}.
 *
 * <p>The raw input line is kept whole so that a failed line can be fixed and submitted again.
 *
 * @param customId the line's {@code custom_id}, or {@code null} when the line could not be read that far
 * @param errorType a short machine-readable category, e.g. {@code invalid_request} or {@code http_error}
 * @param errorMessage what went wrong, for a person
 * @param httpStatus status of the final attempt, or {@code null} when no response was received
 * @param attempts number of attempts sent; 0 when the line was rejected before sending
 * @param inputLine the input line exactly as read
 * @param source where the line was read ({@code file:line}, {@code topic-partition@offset}), or {@code null}
 * @param responseJson the last answer's body when it is kept ({@code output.raw-response}), else {@code null}
 */
public record ErrorRow(
        String customId, String errorType, String errorMessage, Integer httpStatus, int attempts, String inputLine,
        String source, String responseJson) {
    public ErrorRow {
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(inputLine, "inputLine");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
        }
    }

    /** A row without the answer's body. */
    public ErrorRow(String customId, String errorType, String errorMessage, Integer httpStatus, int attempts,
            String inputLine, String source) {
        this(customId, errorType, errorMessage, httpStatus, attempts, inputLine, source, null);
    }

    /** The row for a line rejected before any request was sent. */
    public static ErrorRow badLine(String customId, String errorType, String errorMessage, String inputLine,
            String source) {
        return new ErrorRow(customId, errorType, errorMessage, null, 0, inputLine, source);
    }
}
