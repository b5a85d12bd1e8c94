package io.friendliflink.lines;

/**
 * An input line that will not be sent, and why.
 *
 * @param customId the line's {@code custom_id} when it could be read, else {@code null}
 * @param errorType a stable machine-readable category, one of the constants below
 * @param message what is wrong, naming the field and the rule
 * @param rawLine the input line, shortened to the configured size
 * @param source where the line was read (see {@link InputLine#source()}), or {@code null}
 */
public record RejectedLine(String customId, String errorType, String message, String rawLine, String source) {
    public static final String INVALID_JSON = "invalid_json";
    public static final String MISSING_CUSTOM_ID = "missing_custom_id";
    public static final String DUPLICATE_CUSTOM_ID = "duplicate_custom_id";
    public static final String UNSUPPORTED_URL = "unsupported_url";
    public static final String UNSUPPORTED_METHOD = "unsupported_method";
    public static final String INVALID_REQUEST = "invalid_request";
}
