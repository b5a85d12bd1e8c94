package io.friendliflink.client;

import io.friendliflink.api.response.ApiError;
import io.friendliflink.api.response.InferenceResult;

/**
 * What one HTTP attempt against an endpoint returned: a status and a body, parsed as far as it could be.
 *
 * <p>Exactly one of {@code result} and {@code error} is set: {@code result} for a 2xx whose body (JSON, or
 * an SSE stream assembled) parsed, {@code error} for any other status. Failures below HTTP (connect,
 * reset, attempt timeout, a stream cut off before {@code [DONE]}, a 2xx body that is not valid) do not
 * produce an {@code HttpResult}: the future fails with a {@link TransportException}.
 *
 * @param latencyNanos from the request's first byte sent to the response's last byte received
 * @param firstOutputNanos for a stream, from the request's first byte sent to the first event that carried
 *     generated output (its time to first token); {@code -1} for a body that is not a stream
 * @param rawBody the body as received: JSON, or the SSE text of a stream
 */
public record HttpResult(
        int status,
        RateLimitHeaders rateLimit,
        long latencyNanos,
        long firstOutputNanos,
        byte[] rawBody,
        InferenceResult result,
        ApiError error) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
