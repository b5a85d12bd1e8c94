package io.friendliflink.api.response;

/**
 * What an endpoint said when it refused a request.
 *
 * <p>Parsed from {@code {"error":{"message","type","param","code"}}}, {@code {"message"}},
 * {@code {"detail":"..."}} or FastAPI's {@code {"detail":[{"loc","msg","type"}]}}; when the body fits none
 * of them, {@code message} is the raw body (shortened) and the other fields are {@code null}.
 *
 * @param rawBody the body exactly as received (text), never {@code null}
 */
public record ApiError(String message, String type, String param, String code, String rawBody) {}
